import { parseArgs } from 'node:util';

import { VENUE_NAMES } from '@xport/venues';

import { CopyTraderConfigError, quoteValue } from './config-error';
import type { Venue } from './followers-config';
import { redactMessage } from './redact-message';

export const USAGE = `usage:
  copy-trader demo  [--followers N] [--json report.json] [--verbose]
  copy-trader run   --followers followers.json --signals signals.jsonl [--testnet] [--dry-run]
                    ${VENUE_NAMES.map((venue) => `[--base-url-${venue} URL]`).join(' ')}
                    [--json report.json] [--venue-concurrency N] [--verbose]
  copy-trader check --followers followers.json [--testnet] [--base-url-<venue> URL] [--verbose]`;

const OPTIONS = {
  followers: { type: 'string' },
  signals: { type: 'string' },
  json: { type: 'string' },
  testnet: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  verbose: { type: 'boolean' },
  'venue-concurrency': { type: 'string' },
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
  return {
    command: positionals[0],
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
