import { afterEach, beforeEach, describe } from 'vitest';

import { describeClaims } from './journal-claims';
import { OrderJournalHarness } from './journal-contract-context';
import type { OrderJournalContractOptions } from './journal-contract-options';
import { describeProcesses } from './journal-processes';
import { describeQueries } from './journal-queries';

function checkOptions(input: unknown): void {
  const fail = (message: string): never => {
    throw new TypeError(`describeOrderJournalContract: ${message}`);
  };
  if (typeof input !== 'object' || input === null) fail('options must be an object');
  const options = input as Readonly<Record<keyof OrderJournalContractOptions, unknown>>;
  if (typeof options.name !== 'string' || options.name === '') fail('name must be a non-empty string');
  if (typeof options.createStore !== 'function') fail('createStore must be a function');
  if (options.durable !== undefined && typeof options.durable !== 'boolean') fail('durable must be a boolean');
  const child = options.childProcess as Readonly<Record<string, unknown>> | undefined;
  if (child !== undefined && (typeof child.module !== 'string' || typeof child.exportName !== 'string')) {
    fail('childProcess must be { module: string, exportName: string }');
  }
}

/**
 * Registers the behavioural suite every `OrderJournal` store runs: each transition of `begin` and
 * `settle` (claimed, placed, refused, unknown, busy, conflict), lease takeover only after expiry on
 * an injected clock, settling by a non-owner refused, `pending()` and `list()`, bad input refused,
 * durability across reopen, and with real child processes: several racing for the same keys
 * (exactly one claims each), and one killed with SIGKILL between begin and settle. Call it at the
 * top level of a test file.
 */
export function describeOrderJournalContract(options: OrderJournalContractOptions): void {
  checkOptions(options);
  describe(`${options.name} order journal contract`, () => {
    const harness = new OrderJournalHarness(options);
    beforeEach(async () => {
      await harness.startTest();
    });
    afterEach(async () => {
      await harness.endTest();
    });
    describeClaims(harness);
    describeQueries(harness);
    describeProcesses(harness);
  });
}
