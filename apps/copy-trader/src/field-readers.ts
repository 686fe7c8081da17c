import { parseDecimal } from '@xport/core';
import type { Decimal } from '@xport/core';

import { quoteValue } from './config-error';
import { describeHiddenValue } from './credential-variables';

/** A field name short and plain enough to be a misspelt key rather than a pasted credential. */
const PLAIN_FIELD_NAME = /^[A-Za-z][A-Za-z_-]{0,23}$/;

/**
 * Reads one field of an untrusted JSON object, recording `path: expected …, got …` in `issues`
 * instead of throwing, so that one pass reports every problem in a file.
 */
export class FieldReader {
  constructor(
    private readonly issues: string[],
    private readonly prefix = '',
    private readonly separator = '.',
    /** Set for fields that may hold a credential: a bad value is described, never quoted, and the hint follows. */
    private readonly hidden?: { readonly hint: string } | undefined,
  ) {}

  at(prefix: string): FieldReader {
    return new FieldReader(this.issues, prefix, '.', this.hidden);
  }

  /** This reader for a subtree whose values may be credentials pasted by mistake. */
  hiding(hint: string): FieldReader {
    return new FieldReader(this.issues, this.prefix, this.separator, { hint });
  }

  fail(field: string, expected: string, got: unknown): void {
    if (this.hidden === undefined) {
      this.issues.push(`${this.path(field)}: expected ${expected}, got ${quoteValue(got)}`);
      return;
    }
    const pasted = (typeof got === 'string' && got.trim() !== '') || typeof got === 'number';
    this.issues.push(`${this.path(field)}: expected ${expected}, got ${describeHiddenValue(got)}${pasted ? `; ${this.hidden.hint}` : ''}`);
  }

  path(field: string): string {
    if (this.prefix === '') return field;
    return field === '' ? this.prefix : `${this.prefix}${this.separator}${field}`;
  }

  string(value: unknown, field: string, pattern?: RegExp, expected = 'a non-empty string'): string | undefined {
    if (typeof value === 'string' && value.trim() !== '' && (pattern === undefined || pattern.test(value))) return value;
    this.fail(field, expected, value);
    return undefined;
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(field, `one of ${allowed.join(', ')}`, value);
    return undefined;
  }

  /** Money and quantities travel as strings: a JSON number may already have lost digits. */
  positiveDecimal(value: unknown, field: string): Decimal | undefined {
    if (typeof value === 'string') {
      try {
        const parsed = parseDecimal(value, field);
        if (parsed.isFinite() && parsed.gt(0)) return parsed;
      } catch {
        // reported below with the path
      }
    }
    this.fail(field, 'a positive decimal string', value);
    return undefined;
  }

  integer(value: unknown, field: string, min: number, max: number): number | undefined {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.fail(field, `an integer from ${min} to ${max}`, value);
    return undefined;
  }

  object(value: unknown, field: string, expected = 'an object'): Readonly<Record<string, unknown>> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    this.fail(field, expected, value);
    return undefined;
  }

  /** Unknown keys are refused: a misspelt `maxNotinal` would otherwise silently remove a cap. */
  onlyKeys(value: Readonly<Record<string, unknown>>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      if (this.hidden === undefined || PLAIN_FIELD_NAME.test(key)) this.issues.push(`${this.path(key)}: unknown field (allowed: ${allowed.join(', ')})`);
      else this.issues.push(`${this.path('')}: unknown field whose name looks like a value (not shown; allowed: ${allowed.join(', ')})`);
    }
  }
}
