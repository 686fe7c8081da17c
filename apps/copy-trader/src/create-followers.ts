import { ConfigurationError, journalOwner } from '@xport/core';
import type { OrderJournal } from '@xport/core';
import { ExchangeFactory } from '@xport/factory';
import { VENUE_DESCRIPTORS } from '@xport/venues';

import { CopyTraderConfigError } from './config-error';
import type { Follower } from './copy-signal';
import { isShowableVariableName, PUT_VALUE_IN_ENVIRONMENT } from './credential-variables';
import type { CredentialVariables, FollowerConfig, Venue } from './followers-config';
import { redactMessage } from './redact-message';

/** How followers connect: where their credentials come from, testnet, and per-venue base URLs. */
export interface ConnectOptions {
  /** Where credentials are read from, by the names the followers file gives. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly testnet?: boolean | undefined;
  /** Per venue, replaces the REST hosts (a simulator, a proxy). */
  readonly baseUrls?: Partial<Readonly<Record<Venue, string>>> | undefined;
  /** Handed to each venue package unchanged (`registry`, `requestBudgets`, `timeoutMs`, …). */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
  /**
   * The order journal every follower's adapter records into, each under its follower id as the
   * journal's account: placement is then exactly-once across restarts. Without it, within one
   * process only.
   */
  readonly journal?: FollowerJournal | undefined;
}

/** The order journal every follower's adapter records its orders in, and under which process name. */
export interface FollowerJournal {
  /** The journal store (an SQLite file, PostgreSQL, or `MemoryOrderJournal`). */
  readonly store: OrderJournal;
  /** This process's name in the journal. Default: one `journalOwner('copy-trader')` for all followers. */
  readonly owner?: string | undefined;
  /** How long a claim holds against another process, in ms. Default: the adapter's (60,000). */
  readonly leaseMs?: number | undefined;
}

/**
 * Creates one adapter per follower through `ExchangeFactory`. Every missing environment variable is
 * reported at once, before any adapter exists, so a run never starts half-configured.
 */
export function createFollowers(configs: readonly FollowerConfig[], options: ConnectOptions): Follower[] {
  const issues: string[] = [];
  const read = (config: FollowerConfig, index: number, field: keyof CredentialVariables): string | undefined => {
    const variable = config.credentials[field];
    if (variable === undefined) return undefined;
    const value = options.env[variable];
    if (value !== undefined && value.trim() !== '') return value;
    const who = `followers[${index}] (${config.id})`;
    if (value !== undefined) issues.push(`${who}: environment variable ${variable} is empty`);
    else if (isShowableVariableName(variable)) issues.push(`${who}: environment variable ${variable} is not set`);
    // No variable of that name, and the name looks like a key or secret: most likely the credential itself.
    else issues.push(`${who}: credentials.${field}: expected the name of an environment variable, got what looks like a value (${variable.length} characters, not shown) and no variable of that name is set; ${PUT_VALUE_IN_ENVIRONMENT}`);
    return undefined;
  };
  const credentials = configs.map((config, index) => ({
    apiKey: read(config, index, 'apiKey') ?? '',
    apiSecret: read(config, index, 'apiSecret') ?? '',
    passphrase: read(config, index, 'passphrase'),
  }));
  if (issues.length > 0) throw new CopyTraderConfigError('credentials', issues);

  const factory = new ExchangeFactory(VENUE_DESCRIPTORS);
  const journal = options.journal;
  const owner = journal === undefined ? undefined : (journal.owner ?? journalOwner('copy-trader'));
  return configs.map((config, index) => {
    const baseUrl = options.baseUrls?.[config.exchange];
    try {
      const port = factory.createExchange({
        exchange: config.exchange,
        apiKey: credentials[index]?.apiKey ?? '',
        apiSecret: credentials[index]?.apiSecret ?? '',
        passphrase: credentials[index]?.passphrase,
        ...(options.testnet === true && { testnet: true }),
        ...(baseUrl !== undefined && { baseUrl }),
        ...(config.positionMode !== undefined && { positionMode: config.positionMode }),
        ...(options.extra !== undefined && { extra: options.extra }),
        ...(journal !== undefined && { journal: { store: journal.store, account: config.id, owner, ...(journal.leaseMs !== undefined && { leaseMs: journal.leaseMs }) } }),
      });
      return { config, port, journal: journal?.store };
    } catch (error) {
      // An option the adapter refuses is something to fix in the command line or the file, like the checks above.
      if (ConfigurationError.isInstance(error)) throw new CopyTraderConfigError(`followers[${index}] (${config.id})`, [redactMessage(error.message)]);
      throw error;
    }
  });
}
