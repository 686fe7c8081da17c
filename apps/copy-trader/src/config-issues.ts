import type { z } from 'zod';

import { quoteValue } from './config-error';
import { describeHiddenValue } from './credential-variables';

/** A field name short and plain enough to be a misspelt key rather than a pasted credential. */
const PLAIN_FIELD_NAME = /^[A-Za-z][A-Za-z_-]{0,23}$/;

/**
 * How one file's zod issues become the CLI's lines, `path: expected …, got …`. Each schema's error
 * message is the expectation alone (`a positive decimal string`); a strict object's message for an
 * unknown key is the list of its allowed keys. What was given is added here, from the issue's input
 * (parse with `reportInput: true`), and never quoted under a hidden path (credentials).
 */
export interface IssueStyle {
  /** `followers[3].sizing.ratio`, or `line 4: leverage`. */
  pathText(path: readonly PropertyKey[]): string;
  /** True for a path whose values may be credentials: they are described, never quoted. */
  hidden?(path: readonly PropertyKey[]): boolean;
  /** What follows a hidden value that looks pasted (a non-empty string, a number). */
  readonly hiddenHint?: string | undefined;
  /** The expectation for an issue at `path`, when the file says more than the schema can (`bitget keys come with a passphrase`). */
  expectation?(path: readonly PropertyKey[], expected: string): string;
  /** Field names in the order the file's fields are described: issues are listed in this order, each object's unknown fields first. */
  readonly fieldOrder: readonly string[];
}

function comparePaths(a: readonly PropertyKey[], b: readonly PropertyKey[], order: readonly string[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const x = a[index];
    const y = b[index];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const rank = (key: PropertyKey | undefined): number => {
      const found = order.indexOf(String(key));
      return found === -1 ? order.length : found;
    };
    return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Every issue as one line, ordered by path, one per path (a value failing two checks is one problem). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], style: IssueStyle): string[] {
  const sorted = issues.map((issue, index) => ({ issue, index })).sort((a, b) => comparePaths(a.issue.path, b.issue.path, style.fieldOrder) || a.index - b.index);
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const { issue } of sorted) {
    const path = issue.path;
    const hidden = style.hidden?.(path) === true;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (!hidden || PLAIN_FIELD_NAME.test(key)) lines.push(`${style.pathText([...path, key])}: unknown field (allowed: ${issue.message})`);
        else lines.push(`${style.pathText(path)}: unknown field whose name looks like a value (not shown; allowed: ${issue.message})`);
      }
      continue;
    }
    const where = style.pathText(path);
    if (seen.has(where)) continue;
    seen.add(where);
    const given: unknown = issue.input;
    const expected = style.expectation?.(path, issue.message) ?? issue.message;
    if (!hidden) {
      lines.push(`${where}: expected ${expected}, got ${quoteValue(given)}`);
      continue;
    }
    const pasted = (typeof given === 'string' && given.trim() !== '') || typeof given === 'number';
    lines.push(`${where}: expected ${expected}, got ${describeHiddenValue(given)}${pasted && style.hiddenHint !== undefined ? `; ${style.hiddenHint}` : ''}`);
  }
  return lines;
}

/** The error option of a strict object: its expectation when the value is not an object, its allowed keys for an unknown one. */
export function objectError(expected: string, keys: readonly string[]): { error: (issue: { readonly code?: string | undefined }) => string } {
  return { error: (issue) => (issue.code === 'unrecognized_keys' ? keys.join(', ') : expected) };
}
