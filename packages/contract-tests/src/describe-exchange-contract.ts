import { ALL_VENUES, startSimulator, VENUE_RULE_CHOICES } from '@xport/simulator';
import type { VenueRules } from '@xport/simulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';

import { ContractHarness } from './contract-context';
import type { ExchangeContractOptions } from './contract-options';
import { describeAborts } from './groups/aborts';
import { describeAccountStream } from './groups/account-stream';
import { describeAccountReads } from './groups/account-reads';
import { describeBaseUrl } from './groups/base-url';
import { describeClosedAdapter } from './groups/closed-adapter';
import { describeExactlyOnce } from './groups/exactly-once';
import { describeFaultProperty } from './groups/fault-property';
import { describeFuturesOrders } from './groups/futures-orders';
import { describeHedgeMode } from './groups/hedge-mode';
import { describeJournalPlacement } from './groups/journal-placement';
import { describeLeverage } from './groups/leverage';
import { describePartialCloses } from './groups/partial-closes';
import { describePreTradeChecks } from './groups/pre-trade-checks';
import { describeResilience } from './groups/resilience';
import { describeSecrets } from './groups/secrets';
import { describeSharedVenueState } from './groups/shared-venue-state';
import { describeSpotOrders } from './groups/spot-orders';
import { describeTestnet } from './groups/testnet';
import { describeUnreadableAnswers } from './groups/unreadable-answers';
import { describeVenueErrors } from './groups/venue-errors';

/** The suite runs against the simulator, so it serves the venues the simulator speaks. */
const VENUES: readonly string[] = ALL_VENUES.map((venue) => venue.name);


/** The options as untyped JavaScript could pass them. */
type UncheckedOptions = Readonly<Record<keyof ExchangeContractOptions, unknown>>;

function checkOptions(input: unknown): void {
  const fail = (message: string): never => {
    throw new TypeError(`describeExchangeContract: ${message}`);
  };
  if (typeof input !== 'object' || input === null) fail('options must be an object');
  const options = input as UncheckedOptions;
  if (typeof options.name !== 'string' || !VENUES.includes(options.name)) fail(`name must be one of ${VENUES.join(', ')} (a simulator venue), got ${JSON.stringify(options.name)}`);
  if (typeof options.createAdapter !== 'function') fail('createAdapter must be a function');
  for (const hook of ['createRegistry', 'extra'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') fail(`${hook} must be a function`);
  }
  if (options.target !== undefined && options.target !== 'simulator' && options.target !== 'testnet') fail(`target must be "simulator" or "testnet", got ${JSON.stringify(options.target)}`);
  const known = options.knownFailures;
  if (known !== undefined && !(Array.isArray(known) && known.every((title) => typeof title === 'string'))) fail('knownFailures must be an array of test titles');
}

/** For every rule with readings the sources leave open, the reading the simulator does not default to. */
const OTHER_READINGS = Object.fromEntries(
  Object.entries(VENUE_RULE_CHOICES).map(([rule, readings]: [string, readonly string[]]) => [rule, readings[1]]),
) as Partial<VenueRules>;

function describeAgainstSimulator<Registry>(
  options: ExchangeContractOptions<Registry>,
  title: string,
  rules: Partial<VenueRules>,
  checkKnownFailures: boolean,
  groups: (harness: ContractHarness<Registry>) => void,
): void {
  const harness = new ContractHarness(options);
  describe(title, () => {
    beforeAll(async () => {
      // Nested describes are collected after this callback returns; by the time hooks run, every title is known.
      const unmatched = checkKnownFailures ? harness.unmatchedKnownFailures() : [];
      if (unmatched.length > 0) {
        throw new Error(`describeExchangeContract: knownFailures names no test: ${unmatched.map((entry) => JSON.stringify(entry)).join(', ')}`);
      }
      harness.startSuite(await startSimulator({ port: 0, host: '127.0.0.1', catalogue: 'minimal', rules }));
    });
    afterAll(() => harness.endSuite());
    beforeEach(() => {
      harness.startTest();
    });
    afterEach(() => harness.endTest());
    groups(harness);
  });
}

/**
 * Registers the shared behavioural suite for one adapter: every ExchangePort method end to end, the
 * pre-trade checks, domain errors, retries, the breaker, venue-wide sharing and secret hygiene, each
 * checked against the simulator's own ledger, balances, positions and request log. Call it at the
 * top level of a test file.
 */
export function describeExchangeContract<Registry>(options: ExchangeContractOptions<Registry>): void {
  checkOptions(options);
  const target = options.target ?? 'simulator';
  describe(`${options.name} exchange contract`, () => {
    if (target === 'simulator') {
      describeAgainstSimulator(options, 'against the simulator', {}, true, (harness) => {
        describeSpotOrders(harness);
        describeFuturesOrders(harness);
        describeHedgeMode(harness, options.skip?.hedgeMode === true);
        describePartialCloses(harness, options.skip?.hedgeMode === true);
        describeLeverage(harness);
        describeAccountReads(harness);
        describePreTradeChecks(harness);
        describeVenueErrors(harness);
        describeResilience(harness);
        describeExactlyOnce(harness);
        describeJournalPlacement(harness);
        describeUnreadableAnswers(harness);
        describeAborts(harness);
        describeClosedAdapter(harness);
        describeFaultProperty(harness);
        describeSharedVenueState(harness);
        describeSecrets(harness);
        describeBaseUrl(harness);
        describeAccountStream(harness, options.skip?.accountStream === true);
        if (options.extra !== undefined) {
          describe(`${options.name} only`, () => {
            options.extra?.(harness);
          });
        }
      });
      // Where no source settles a venue rule the simulator takes a default; an adapter must be
      // right under the other reading too, so the order groups run again under it.
      describeAgainstSimulator(options, 'against the simulator under the other reading of every unsettled venue rule', OTHER_READINGS, false, (harness) => {
        describeSpotOrders(harness);
        describeFuturesOrders(harness);
        describePartialCloses(harness, options.skip?.hedgeMode === true);
        describeExactlyOnce(harness);
        describeJournalPlacement(harness);
      });
    }
    describeTestnet(options, process.env);
  });
}
