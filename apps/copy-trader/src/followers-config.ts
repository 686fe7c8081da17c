import type { Decimal, PositionMode } from '@xport/core';
import { MAX_SANE_LEVERAGE } from '@xport/core';
import type { VenueName } from '@xport/venues';
import { descriptorOf, PASSPHRASE_VENUES, VENUE_NAMES } from '@xport/venues';

import { CopyTraderConfigError } from './config-error';
import { PUT_VALUE_IN_ENVIRONMENT, VARIABLE_NAME } from './credential-variables';
import { FieldReader } from './field-readers';
import { describeJsonSyntaxError, withoutByteOrderMark } from './json-text';

/** A venue the copy-trader trades on: every venue package xport ships. */
export type Venue = VenueName;

/** How a follower's quantity is derived from the master's signal. */
export type SizingRule =
  /** The master's quantity × `ratio`. */
  | { readonly rule: 'ratio'; readonly ratio: Decimal }
  /** `notional` USDT worth at the signal's price, whatever the master traded. */
  | { readonly rule: 'fixedNotional'; readonly notional: Decimal }
  /** The master's quantity × follower equity ÷ master equity × `multiplier`. */
  | { readonly rule: 'equity'; readonly multiplier: Decimal };

/** Names of environment variables holding the credentials: the file itself never holds a secret. */
export interface CredentialVariables {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly passphrase?: string | undefined;
}

/** One follower as the followers file describes it: venue, credential variable names, sizing and caps. */
export interface FollowerConfig {
  readonly id: string;
  readonly exchange: Venue;
  readonly credentials: CredentialVariables;
  /** Given when known, so the adapter skips discovering it. */
  readonly positionMode?: PositionMode | undefined;
  readonly sizing: SizingRule;
  /** Upper bound on one order's notional (quantity × price) in USDT. */
  readonly maxNotional?: Decimal | undefined;
  /** Upper bound on the leverage used, below the master's and the symbol's. */
  readonly maxLeverage?: number | undefined;
}

const FOLLOWER_KEYS = ['id', 'exchange', 'credentials', 'positionMode', 'sizing', 'maxNotional', 'maxLeverage'] as const;
const SIZING_RULES = ['ratio', 'fixedNotional', 'equity'] as const;
const FOLLOWER_ID = /^[A-Za-z0-9._-]{1,64}$/;

function readSizing(reader: FieldReader, value: unknown): SizingRule | undefined {
  const sizing = reader.object(value, 'sizing');
  if (sizing === undefined) return undefined;
  const present = SIZING_RULES.filter((rule) => rule in sizing);
  if (present.length !== 1) {
    reader.fail('sizing', `exactly one of ${SIZING_RULES.join(', ')} (e.g. { "ratio": "0.5" })`, sizing);
    return undefined;
  }
  reader.at(reader.path('sizing')).onlyKeys(sizing, SIZING_RULES);
  const inner = reader.at(reader.path('sizing'));
  const rule = present[0];
  if (rule === 'ratio') {
    const ratio = inner.positiveDecimal(sizing.ratio, 'ratio');
    return ratio && { rule, ratio };
  }
  if (rule === 'fixedNotional') {
    const notional = inner.positiveDecimal(sizing.fixedNotional, 'fixedNotional');
    return notional && { rule, notional };
  }
  const multiplier = inner.positiveDecimal(sizing.equity, 'equity');
  return multiplier && { rule: 'equity', multiplier };
}

function readCredentials(reader: FieldReader, value: unknown, exchange: Venue | undefined): CredentialVariables | undefined {
  // Never quote what is found here: a credential pasted where its variable's name belongs would be printed.
  const hidden = reader.hiding(PUT_VALUE_IN_ENVIRONMENT);
  const credentials = hidden.object(value, 'credentials', `an object naming environment variables (apiKey, apiSecret, and passphrase for ${PASSPHRASE_VENUES.join(', ')})`);
  if (credentials === undefined) return undefined;
  const inner = hidden.at(hidden.path('credentials'));
  inner.onlyKeys(credentials, ['apiKey', 'apiSecret', 'passphrase']);
  const expected = 'the name of an environment variable (letters, digits, _)';
  const apiKey = inner.string(credentials.apiKey, 'apiKey', VARIABLE_NAME, expected);
  const apiSecret = inner.string(credentials.apiSecret, 'apiSecret', VARIABLE_NAME, expected);
  const needsPassphrase = exchange !== undefined && descriptorOf(exchange).requiresPassphrase;
  const passphrase =
    credentials.passphrase !== undefined || needsPassphrase
      ? inner.string(credentials.passphrase, 'passphrase', VARIABLE_NAME, needsPassphrase ? `${expected}: ${exchange} keys come with a passphrase` : expected)
      : undefined;
  if (apiKey === undefined || apiSecret === undefined) return undefined;
  if (needsPassphrase && passphrase === undefined) return undefined;
  return { apiKey, apiSecret, ...(passphrase !== undefined && { passphrase }) };
}

function readFollower(reader: FieldReader, value: unknown): FollowerConfig | undefined {
  const entry = reader.object(value, '');
  if (entry === undefined) return undefined;
  reader.onlyKeys(entry, FOLLOWER_KEYS);
  const id = reader.string(entry.id, 'id', FOLLOWER_ID, 'an id of 1 to 64 letters, digits, ".", "_" or "-"');
  const exchange = reader.oneOf(entry.exchange, 'exchange', VENUE_NAMES);
  const credentials = readCredentials(reader, entry.credentials, exchange);
  const positionMode = entry.positionMode === undefined ? undefined : reader.oneOf(entry.positionMode, 'positionMode', ['oneway', 'hedge'] as const);
  const sizing = readSizing(reader, entry.sizing);
  const maxNotional = entry.maxNotional === undefined ? undefined : reader.positiveDecimal(entry.maxNotional, 'maxNotional');
  const maxLeverage = entry.maxLeverage === undefined ? undefined : reader.integer(entry.maxLeverage, 'maxLeverage', 1, MAX_SANE_LEVERAGE);
  if (id === undefined || exchange === undefined || credentials === undefined || sizing === undefined) return undefined;
  return { id, exchange, credentials, sizing, positionMode, maxNotional, maxLeverage };
}

/**
 * Validates a parsed followers file (`{ "followers": [ … ] }`) and returns every follower, or throws
 * a CopyTraderConfigError listing every problem, each with its path.
 */
export function parseFollowersConfig(document: unknown, source = 'followers file'): readonly FollowerConfig[] {
  const issues: string[] = [];
  const root = new FieldReader(issues);
  const top = root.object(document, '(top level)');
  const list = top?.followers;
  if (top !== undefined) {
    root.onlyKeys(top, ['followers']);
    if (!Array.isArray(list) || list.length === 0) root.fail('followers', 'a non-empty array of followers', list);
  }
  const followers: FollowerConfig[] = [];
  if (Array.isArray(list)) {
    const seen = new Map<string, number>();
    list.forEach((value: unknown, index) => {
      const follower = readFollower(root.at(`followers[${index}]`), value);
      if (follower === undefined) return;
      const first = seen.get(follower.id);
      if (first !== undefined) issues.push(`followers[${index}].id: expected a unique id, got ${JSON.stringify(follower.id)} (already used by followers[${first}])`);
      else seen.set(follower.id, index);
      followers.push(follower);
    });
  }
  if (issues.length > 0) throw new CopyTraderConfigError(source, issues);
  return followers;
}

/**
 * Parses the text of a followers file (a leading byte-order mark is skipped); a JSON syntax error is
 * one issue like any other, with its line and column and none of the text around it.
 */
export function parseFollowersJson(text: string, source = 'followers file'): readonly FollowerConfig[] {
  const json = withoutByteOrderMark(text);
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    throw new CopyTraderConfigError(source, [describeJsonSyntaxError(json)]);
  }
  return parseFollowersConfig(document, source);
}
