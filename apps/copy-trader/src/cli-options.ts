import { parseArgs } from 'node:util';

import { VENUE_NAMES } from '@xport/venues';

import { CopyTraderConfigError, quoteValue } from './config-error';
import type { Venue } from './followers-config';
import type { JournalLocation } from './journal-store';
import { journalLocation } from './journal-store';
import { redactMessage } from './redact-message';

export const USAGE = `usage:
  copy-trader demo    [--followers N] [--json report.json] [--journal FILE|URL | --no-journal] [--verbose]
  copy-trader run     --followers followers.json --signals signals.jsonl [--testnet] [--dry-run]
                      ${VENUE_NAMES.map((venue) => `[--base-url-${venue} URL]`).join(' ')}
                      [--journal FILE|URL | --no-journal] [--journal-lease-ms N] [--request-timeout-ms N]
                      [--json report.json] [--venue-concurrency N] [--verbose]
  copy-trader check   --followers followers.json [--testnet] [--base-url-<venue> URL] [--verbose]
  copy-trader journal [--journal FILE|URL | --signals signals.jsonl] [--pending] [--json FILE|-]

  --journal FILE        the order journal (SQLite); default copy-trader-journal.db beside the signals
                        file (run) or a temporary file (demo)
  --journal postgres://user@host:5432/db   the journal in PostgreSQL, for several processes or machines
  --no-journal          no journal: exactly-once within this process only
  --journal-lease-ms N  how long this process's claim on an order holds against another process (60000);
                        more than 1.5 x (2 x the request timeout + the venue's visibility window, 3000)
  --request-timeout-ms N  how long one request to a venue may take (10000)`;

const OPTIONS = {
  followers: { type: 'string' },
  signals: { type: 'string' },
  json: { type: 'string' },
  testnet: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  verbose: { type: 'boolean' },
  'venue-concurrency': { type: 'string' },
  journal: { type: 'string' },
  'no-journal': { type: 'boolean' },
  'journal-lease-ms': { type: 'string' },
  'request-timeout-ms': { type: 'string' },
  pending: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--base-url-<venue>` for every venue. */
const BASE_URL_OPTIONS: Readonly<Record<string, { readonly type: 'string' }>> = Object.fromEntries(VENUE_NAMES.map((venue) => [`base-url-${venue}`, { type: 'string' }]));

export interface CliOptions {
  readonly command: string | undefined;
  readonly followers?: string | undefined;
  readonly signals?: string | undefined;
  readonly json?: string | undefined;
  readonly testnet: boolean;
  readonly dryRun: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
  readonly venueConcurrency?: number | undefined;
  readonly baseUrls: Partial<Record<Venue, string>>;
  /** `--journal` or `--no-journal`; undefined when neither was given (each command has its default). */
  readonly journal?: JournalLocation | undefined;
  readonly journalLeaseMs?: number | undefined;
  readonly requestTimeoutMs?: number | undefined;
  /** `journal --pending`: only what recovery must resolve. */
  readonly pending: boolean;
}

function usageError(message: string): CopyTraderConfigError {
  return new CopyTraderConfigError('usage', [`${message} (copy-trader --help lists the options)`]);
}

export function parseCliOptions(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...BASE_URL_OPTIONS, ...OPTIONS }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw usageError(`expected one command, got ${positionals.join(' ')}`);
  const baseUrls: Partial<Record<Venue, string>> = {};
  for (const venue of VENUE_NAMES) {
    const url: unknown = (values as Readonly<Record<string, unknown>>)[`base-url-${venue}`];
    if (typeof url !== 'string') continue;
    baseUrls[venue] = readBaseUrl(url, `--base-url-${venue}`);
  }
  const concurrency = values['venue-concurrency'];
  const venueConcurrency = concurrency === undefined ? undefined : Number(concurrency);
  if (venueConcurrency !== undefined && (!Number.isInteger(venueConcurrency) || venueConcurrency < 1 || venueConcurrency > 1000)) {
    throw usageError(`--venue-concurrency: expected an integer from 1 to 1000, got ${JSON.stringify(concurrency)}`);
  }
  if (values.journal !== undefined && values['no-journal'] === true) throw usageError('--journal and --no-journal: give one or the other');
  if (values.journal === '') throw usageError('--journal: expected a file or a postgres:// URL, got ""');
  const journal = values['no-journal'] === true ? ({ kind: 'none' } as const) : values.journal === undefined ? undefined : journalLocation(values.journal);
  const journalLeaseMs = readMilliseconds(values['journal-lease-ms'], '--journal-lease-ms', 100, 86_400_000);
  const requestTimeoutMs = readMilliseconds(values['request-timeout-ms'], '--request-timeout-ms', 100, 600_000);
  return {
    command: positionals[0],
    journal,
    journalLeaseMs,
    requestTimeoutMs,
    pending: values.pending === true,
    followers: values.followers,
    signals: values.signals,
    json: values.json,
    testnet: values.testnet === true,
    dryRun: values['dry-run'] === true,
    verbose: values.verbose === true,
    help: values.help === true,
    venueConcurrency,
    baseUrls,
  };
}

/**
 * A venue's REST root: an absolute http(s) URL with a host and no query or fragment (the adapter
 * appends each endpoint's path). Refused here, before any file is read, with the value quoted
 * without its password.
 */
function readBaseUrl(value: string, option: string): string {
  const refuse = (why: string): CopyTraderConfigError => usageError(`${option}: expected an http:// or https:// URL${why}, got ${quoteValue(redactMessage(value))}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse('');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || !/^https?:\/\//i.test(value)) throw refuse('');
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) throw refuse(' without a query or fragment');
  return value.replace(/\/+$/, '');
}

function readMilliseconds(value: string | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < min || ms > max) throw usageError(`${option}: expected a number of milliseconds from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return ms;
}

/** `--followers` is a count for the demo. */
export function demoFollowerCount(value: string | undefined): number {
  if (value === undefined) return 30;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 10_000) throw usageError(`--followers: expected a number of followers from 1 to 10000, got ${JSON.stringify(value)}`);
  return count;
}

export function required(value: string | undefined, option: string): string {
  if (value === undefined || value === '') throw usageError(`${option} is required`);
  return value;
}
