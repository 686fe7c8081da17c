import { ConfigurationError } from './errors';
import type { ExchangeConnectionOptions } from './exchange-descriptor';
import { redactUrls } from './redact';

/** What the connection options' rules need to know of the venue. */
export interface ConnectionVenue {
  /** The exchange name, said in every refusal. */
  readonly name: string;
  /** Whether the venue's API keys come with a passphrase (Bitget). */
  readonly requiresPassphrase: boolean;
}

/** The keys of `ExchangeConnectionOptions`, the options every venue's adapter takes. */
export const CONNECTION_OPTION_KEYS = ['apiKey', 'apiSecret', 'passphrase', 'testnet', 'baseUrl', 'logger', 'onEvent', 'positionMode', 'journal', 'extra'] as const;

interface FieldRule {
  readonly field: (typeof CONNECTION_OPTION_KEYS)[number];
  readonly required: boolean;
  readonly accepts: (value: unknown) => boolean;
  readonly expected: string;
  /** Said after "is required" when the field is missing: why this venue needs it. */
  readonly because?: string;
  /** What of a refused value may be shown (most values are secrets and never are). */
  readonly shown?: (value: unknown) => string;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const isBlank = (value: unknown): boolean => value === undefined || (typeof value === 'string' && value.trim() === '');
const isText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
const isHttpUrl = (value: unknown): boolean => typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
const isLogger = (value: unknown): boolean => isPlainObject(value) && LOG_LEVELS.every((level) => typeof (value as Record<string, unknown>)[level] === 'function');

function rulesFor(venue: ConnectionVenue): readonly FieldRule[] {
  return [
    { field: 'apiKey', required: true, accepts: isText, expected: 'a non-empty string' },
    { field: 'apiSecret', required: true, accepts: isText, expected: 'a non-empty string' },
    { field: 'passphrase', required: venue.requiresPassphrase, accepts: isText, expected: 'a non-empty string', because: `${venue.name} API keys come with a passphrase` },
    { field: 'testnet', required: false, accepts: (value) => typeof value === 'boolean', expected: 'true or false' },
    // A proxy URL can carry a password: a refused one is shown with its userinfo and query blanked.
    { field: 'baseUrl', required: false, accepts: isHttpUrl, expected: 'an http:// or https:// URL', shown: (value) => (typeof value === 'string' ? JSON.stringify(redactUrls(value)) : typeof value) },
    { field: 'positionMode', required: false, accepts: (value) => value === 'oneway' || value === 'hedge', expected: '"oneway" or "hedge"' },
    { field: 'logger', required: false, accepts: isLogger, expected: 'a Logger with debug, info, warn and error methods' },
    { field: 'onEvent', required: false, accepts: (value) => typeof value === 'function', expected: 'a function' },
    { field: 'journal', required: false, accepts: isPlainObject, expected: 'an object { store, account, owner?, leaseMs? } (the adapter checks its fields)' },
    { field: 'extra', required: false, accepts: isPlainObject, expected: 'an object of venue-package options' },
  ];
}

/**
 * The one check of the connection options every venue takes (`ExchangeConnectionOptions`), used by
 * the factory before it calls a descriptor and by an adapter built directly: credentials present
 * (the passphrase where the venue needs one), and each other option of the right kind. Refuses with
 * a ConfigurationError naming the field; values are never quoted back — most are secrets — except a
 * base URL, shown with its userinfo and query blanked. Keys it does not name are the caller's to
 * check. Returns the options it checked, without undefined ones and without a blank passphrase
 * beside a venue that takes none (what `process.env.X ?? ''` gives).
 */
export function validateConnectionOptions(options: Readonly<Record<string, unknown>>, venue: ConnectionVenue): ExchangeConnectionOptions {
  const exchange = venue.name;
  const refuse = (field: string, problem: string, expected: string): never => {
    throw new ConfigurationError(`${exchange}: ${field} ${problem}`, { exchange, field, expected });
  };
  const connection: Record<string, unknown> = {};
  for (const rule of rulesFor(venue)) {
    const value = options[rule.field];
    if (rule.required && isBlank(value)) refuse(rule.field, `is required${rule.because === undefined ? '' : `: ${rule.because}`}`, rule.expected);
    if (value === undefined || (rule.field === 'passphrase' && isBlank(value))) continue;
    if (!rule.accepts(value)) refuse(rule.field, `must be ${rule.expected}${rule.shown === undefined ? '' : `, got ${rule.shown(value)}`}`, rule.expected);
    connection[rule.field] = value;
  }
  return connection as unknown as ExchangeConnectionOptions;
}
