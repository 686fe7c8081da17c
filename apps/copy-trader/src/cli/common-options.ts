import { VENUE_NAMES } from '@xport/venues';

import { quoteValue } from '../config-error';
import type { Venue } from '../followers-config';
import type { JournalLocation } from '../journal-store';
import { journalLocation } from '../journal-store';
import { redactMessage } from '../redact-message';

import type { ExitCode, OptionDefinition, ParsedArgs } from './definition';
import { EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED, EXIT_USAGE } from './definition';
import { usageError } from './parse-args';

/** Options several commands share, defined once. */
export const OPTIONS = {
  followersFile: { name: 'followers', type: 'string', value: 'FILE', required: true, description: 'the followers file (JSON; schema/followers.schema.json)' },
  signalsFile: { name: 'signals', type: 'string', value: 'FILE', required: true, description: 'the signals file (one JSON object per line; schema/signals.schema.json)' },
  testnet: { name: 'testnet', type: 'boolean', description: "each venue's testnet instead of its live hosts" },
  venueConcurrency: { name: 'venue-concurrency', type: 'string', value: 'N', description: 'orders (or balance reads) in flight per venue and market, 1 to 1000; per account: 1', default: "from the venue's request budget, 4 to 64" },
  requestTimeoutMs: { name: 'request-timeout-ms', type: 'string', value: 'N', description: 'how long one request to a venue may take, 100 to 600000 ms', default: '10000' },
  journal: {
    name: 'journal',
    type: 'string',
    value: 'FILE|URL',
    description: 'the order journal: an SQLite file (created if absent) or postgres://user@host:5432/db, for several processes or machines',
  },
  noJournal: { name: 'no-journal', type: 'boolean', description: 'no journal: exactly-once within this process only' },
  journalLeaseMs: {
    name: 'journal-lease-ms',
    type: 'string',
    value: 'N',
    description: "how long this process's claim on an order holds against another process, 100 to 86400000 ms; more than 1.5 x (2 x the request timeout + the venue's visibility window, 3000)",
    default: '60000',
  },
  json: { name: 'json', type: 'string', value: 'FILE|-', description: 'the whole result as JSON (decimals as strings, latencies in whole ms); `-` writes it to standard output and the tables to standard error' },
  verbose: { name: 'verbose', type: 'boolean', description: 'every table row and every note in full; a stack trace for unexpected errors' },
} as const satisfies Record<string, OptionDefinition>;

/** `--base-url-<venue>` for every venue. */
export const BASE_URL_OPTIONS: readonly OptionDefinition[] = VENUE_NAMES.map((venue) => ({
  name: `base-url-${venue}`,
  type: 'string',
  value: 'URL',
  description: `replaces ${venue}'s REST hosts (a simulator, a proxy): an absolute http:// or https:// URL without a query or fragment`,
}));

/** The exit codes of a command that copies signals (`run`, `demo`). */
export const SESSION_EXIT_CODES: readonly ExitCode[] = [
  { code: 0, meaning: 'every order placed or skipped' },
  { code: 1, meaning: 'an order failed (listed in the summary)' },
  EXIT_USAGE,
  EXIT_INTERRUPTED,
  EXIT_OUTPUT_CLOSED,
];

/** The base URLs given, each checked before any file is read. */
export function readBaseUrls(args: ParsedArgs): Partial<Record<Venue, string>> {
  const baseUrls: Partial<Record<Venue, string>> = {};
  for (const venue of VENUE_NAMES) {
    const url = args.string(`base-url-${venue}`);
    if (url !== undefined) baseUrls[venue] = readBaseUrl(url, `--base-url-${venue}`);
  }
  return baseUrls;
}

/**
 * A venue's REST root: an absolute http(s) URL with a host and no query or fragment (the adapter
 * appends each endpoint's path). Refused here, before any file is read, with the value quoted
 * without its password.
 */
function readBaseUrl(value: string, option: string): string {
  const refuse = (why: string): Error => usageError(`${option}: expected an http:// or https:// URL${why}, got ${quoteValue(redactMessage(value))}`);
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

export function readVenueConcurrency(args: ParsedArgs): number | undefined {
  const value = args.string('venue-concurrency');
  if (value === undefined) return undefined;
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) throw usageError(`--venue-concurrency: expected an integer from 1 to 1000, got ${JSON.stringify(value)}`);
  return concurrency;
}

export function readMilliseconds(args: ParsedArgs, name: 'journal-lease-ms' | 'request-timeout-ms'): number | undefined {
  const value = args.string(name);
  if (value === undefined) return undefined;
  const [min, max] = name === 'journal-lease-ms' ? [100, 86_400_000] : [100, 600_000];
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < min || ms > max) throw usageError(`--${name}: expected a number of milliseconds from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return ms;
}

/** `--journal` or `--no-journal`; undefined when neither was given (each command has its default). */
export function readJournal(args: ParsedArgs, options: { readonly noJournal: boolean } = { noJournal: true }): JournalLocation | undefined {
  const journal = args.string('journal');
  const none = options.noJournal && args.flag('no-journal');
  if (journal !== undefined && none) throw usageError('--journal and --no-journal: give one or the other');
  if (journal === '') throw usageError('--journal: expected a file or a postgres:// URL, got ""');
  return none ? { kind: 'none' } : journal === undefined ? undefined : journalLocation(journal);
}

/** `--request-timeout-ms` as the adapters' option. */
export function readAdapterExtra(args: ParsedArgs): { readonly timeoutMs: number } | undefined {
  const timeoutMs = readMilliseconds(args, 'request-timeout-ms');
  return timeoutMs === undefined ? undefined : { timeoutMs };
}

