import { ConfigurationError } from '@xport/core';
import type { ExchangeConnectionOptions, ExchangeDescriptor } from '@xport/core';

import type { CreateExchangeOptions } from './create-exchange-options';

interface FieldRule {
  readonly field: keyof ExchangeConnectionOptions;
  readonly required: boolean;
  readonly accepts: (value: unknown) => boolean;
  readonly expected: string;
  /** Said after "is required" when the field is missing: why this venue needs it. */
  readonly because?: string;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const isBlank = (value: unknown): boolean => value === undefined || (typeof value === 'string' && value.trim() === '');
const isText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
const isHttpUrl = (value: unknown): boolean => typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
const isLogger = (value: unknown): boolean =>
  isPlainObject(value) && LOG_LEVELS.every((level) => typeof (value as Record<string, unknown>)[level] === 'function');

function rulesFor(descriptor: ExchangeDescriptor): readonly FieldRule[] {
  return [
    { field: 'apiKey', required: true, accepts: isText, expected: 'a non-empty string' },
    { field: 'apiSecret', required: true, accepts: isText, expected: 'a non-empty string' },
    {
      field: 'passphrase',
      required: descriptor.requiresPassphrase,
      accepts: isText,
      expected: 'a non-empty string',
      because: `${descriptor.name} API keys come with a passphrase`,
    },
    { field: 'testnet', required: false, accepts: (value) => typeof value === 'boolean', expected: 'true or false' },
    { field: 'baseUrl', required: false, accepts: isHttpUrl, expected: 'an http:// or https:// URL' },
    { field: 'positionMode', required: false, accepts: (value) => value === 'oneway' || value === 'hedge', expected: '"oneway" or "hedge"' },
    { field: 'logger', required: false, accepts: isLogger, expected: 'a Logger with debug, info, warn and error methods' },
    { field: 'onEvent', required: false, accepts: (value) => typeof value === 'function', expected: 'a function' },
    { field: 'journal', required: false, accepts: isPlainObject, expected: 'an object { store, account, owner?, leaseMs? } (the adapter checks its fields)' },
    { field: 'extra', required: false, accepts: isPlainObject, expected: 'an object of venue-package options' },
  ];
}

/**
 * Refuses options that cannot work before the descriptor sees them, so a missing credential fails
 * at creation rather than at the first order, whichever adapter the descriptor builds. Values are
 * never quoted back: most of them are secrets.
 */
export function validateConnectionOptions(options: CreateExchangeOptions, descriptor: ExchangeDescriptor): ExchangeConnectionOptions {
  const exchange = descriptor.name;
  const refuse = (field: string, problem: string, expected: string): never => {
    throw new ConfigurationError(`${exchange}: ${field} ${problem}`, { exchange, field, expected });
  };
  const rules = rulesFor(descriptor);
  const known = new Set<string>(['exchange', ...rules.map((rule) => rule.field)]);
  for (const key of Object.keys(options)) {
    // Untyped callers put venue options (clock, retry…) beside the credentials, where they would be lost.
    if (!known.has(key)) refuse(key, 'is not a connection option; venue-package options go in `extra`', [...known].join(', '));
  }
  const connection: Record<string, unknown> = {};
  for (const rule of rules) {
    const value = options[rule.field];
    if (rule.required && isBlank(value)) {
      refuse(rule.field, `is required${rule.because === undefined ? '' : `: ${rule.because}`}`, rule.expected);
    }
    // A blank passphrase beside a venue that takes none is what `process.env.X ?? ''` gives: not an error.
    if (value === undefined || (rule.field === 'passphrase' && isBlank(value))) continue;
    if (!rule.accepts(value)) refuse(rule.field, `must be ${rule.expected}`, rule.expected);
    connection[rule.field] = value;
  }
  return connection as unknown as ExchangeConnectionOptions;
}
