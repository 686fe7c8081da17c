/**
 * The followers file names the environment variables that hold each credential. A user may paste
 * the key or secret itself where the name belongs; every message about these fields must then say
 * that a value was given without printing it.
 */

/** What the shell and the file accept as a variable name. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Upper-case letters, digits and `_`: how environment variables are named by convention. */
const CONVENTIONAL_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;

/**
 * True when `name` may be printed: it has the conventional form of a variable name and none of its
 * `_`-separated parts is a long run mixing letters and digits, as API keys and secrets are. Anything
 * else might be the credential itself (a Binance key is 64 letters and digits, a Bitget key
 * `bg_` and 32 hex digits, both valid variable names).
 */
export function isShowableVariableName(name: string): boolean {
  return CONVENTIONAL_NAME.test(name) && name.split('_').every((part) => part.length < 16 || !/\d/.test(part));
}

/** Describes a value in a credential field by its kind and length, never by its content. */
export function describeHiddenValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : `a value of ${value.length} characters (not shown)`;
  if (Array.isArray(value)) return 'an array (not shown)';
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`} (not shown)`;
}

/** What to do when a credential field holds something other than a variable name. */
export const PUT_VALUE_IN_ENVIRONMENT = 'the file holds the names of environment variables: put the credential itself in a variable and give its name here';
