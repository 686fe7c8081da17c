/**
 * A problem the user fixes in a file or the environment: the CLI prints each issue as one line
 * (`followers[3].sizing.ratio: expected a positive decimal string, got "abc"`) and no stack trace.
 */
export class CopyTraderConfigError extends Error {
  override readonly name = 'CopyTraderConfigError';
  readonly issues: readonly string[];

  constructor(source: string, issues: readonly string[]) {
    super(issues.length === 1 ? `${source}: ${issues[0] ?? ''}` : `${source}: ${issues.length} problems\n  ${issues.join('\n  ')}`);
    this.issues = issues;
  }
}

/**
 * How a bad value is quoted in an issue: JSON, so `"12"` and `12` read differently. An object or
 * array is described by its shape only: it may hold a follower's credentials one level down.
 */
export function quoteValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return keys.length === 0 ? '{}' : `an object with fields ${keys.map((key) => quoteValue(key)).join(', ')}`;
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
