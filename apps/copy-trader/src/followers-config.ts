import { Decimal } from '@xport/core';
import type { PositionMode } from '@xport/core';
import type { VenueName } from '@xport/venues';
import { descriptorOf, VENUE_NAMES } from '@xport/venues';

import { CopyTraderConfigError } from './config-error';
import { formatIssues } from './config-issues';
import { FOLLOWER_FIELD_ORDER, followersFileSchema } from './config-schema';
import { PUT_VALUE_IN_ENVIRONMENT } from './credential-variables';
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

/** Where a follower's credentials are in the file: their values are described, never quoted. */
function underCredentials(path: readonly PropertyKey[]): boolean {
  return path[0] === 'followers' && path[2] === 'credentials';
}

/**
 * Validates a parsed followers file (`{ "followers": [ … ] }`) against `followersFileSchema` and
 * returns every follower, or throws a CopyTraderConfigError listing every problem, each with its
 * path, what was expected and what was given (`followers[3].sizing.ratio: expected a positive
 * decimal string, got "abc"`); a value that may be a credential is described by its kind and length.
 */
export function parseFollowersConfig(document: unknown, source = 'followers file'): readonly FollowerConfig[] {
  const result = followersFileSchema.safeParse(document, { reportInput: true });
  const entries: unknown[] = typeof document === 'object' && document !== null && Array.isArray((document as { followers?: unknown }).followers) ? (document as { followers: unknown[] }).followers : [];
  const issues = result.success
    ? []
    : formatIssues(result.error.issues, {
        pathText: (path) => (path.length === 0 ? '(top level)' : path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join('')),
        hidden: underCredentials,
        hiddenHint: PUT_VALUE_IN_ENVIRONMENT,
        expectation: (path, expected) => {
          const exchange: unknown = typeof path[1] === 'number' ? (entries[path[1]] as { exchange?: unknown } | undefined)?.exchange : undefined;
          const needsPassphrase = path[3] === 'passphrase' && underCredentials(path) && typeof exchange === 'string' && (VENUE_NAMES as readonly string[]).includes(exchange) && descriptorOf(exchange as Venue).requiresPassphrase;
          return needsPassphrase ? `${expected}: ${exchange} keys come with a passphrase` : expected;
        },
        fieldOrder: FOLLOWER_FIELD_ORDER,
      });
  // Ids are compared among the followers that are valid otherwise.
  const invalid = new Set(result.success ? [] : result.error.issues.map((issue) => issue.path[1]));
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (invalid.has(index)) return;
    const id = (entry as { id: string }).id;
    const first = seen.get(id);
    if (first !== undefined) issues.push(`followers[${index}].id: expected a unique id, got ${JSON.stringify(id)} (already used by followers[${first}])`);
    else seen.set(id, index);
  });
  if (issues.length > 0 || !result.success) throw new CopyTraderConfigError(source, issues);
  return result.data.followers.map((entry) => {
    const { ratio, fixedNotional, equity } = entry.sizing;
    const sizing: SizingRule =
      ratio !== undefined ? { rule: 'ratio', ratio } : fixedNotional !== undefined ? { rule: 'fixedNotional', notional: fixedNotional } : { rule: 'equity', multiplier: equity ?? new Decimal(0) };
    const { apiKey, apiSecret, passphrase } = entry.credentials;
    return {
      id: entry.id,
      exchange: entry.exchange,
      credentials: { apiKey, apiSecret, ...(passphrase !== undefined && { passphrase }) },
      sizing,
      positionMode: entry.positionMode,
      maxNotional: entry.maxNotional,
      maxLeverage: entry.maxLeverage,
    };
  });
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
