import { VenueRuntimeRegistry } from '@xport/ccxt';
import { MemoryOrderJournal, OrderStatusUnknownError } from '@xport/core';
import type { ExchangeEvent, ExchangePort, OrderResult } from '@xport/core';
import { CircuitOpenError } from '@xport/resilience';
import type { Simulator } from '@xport/simulator';
import { descriptorOf } from '@xport/venues';

import { countDuplicates, matchLedger } from './ledger-check';
import { runBounded } from './run-bounded';
import type { FaultMix, Intent, SoakAccount } from './soak-plan';
import { createSoakAccounts, faultRules, planIntents } from './soak-plan';

export interface SoakOptions {
  readonly orders: number;
  readonly accountsPerVenue: number;
  readonly concurrency: number;
  readonly faults: FaultMix;
  /** The adapters' per-request timeout; the `slowMs` faults answer after it. */
  readonly timeoutMs: number;
  readonly runId: string;
}

export interface SoakReport {
  readonly orders: number;
  readonly faultsByKind: Readonly<Record<string, number>>;
  /** First calls that returned the order. */
  readonly returned: number;
  readonly recoveredByLookup: number;
  readonly resubmitted: number;
  /** First calls that threw OrderStatusUnknownError. */
  readonly unknown: number;
  /** Of those, resolved by re-sending the same intent with the same client order id afterwards. */
  readonly unknownResolved: number;
  /** First calls refused by an open breaker (nothing sent). */
  readonly circuitOpen: number;
  /** First calls that failed with any other error. */
  readonly otherErrors: readonly string[];
  readonly duplicates: number;
  /** Intents whose call said "done" without a ledger order, or said "failed" although it executed, or never executed. */
  readonly lost: number;
  readonly wallMs: number;
}

type Outcome = { readonly result: OrderResult } | { readonly error: unknown };

function place(adapter: ExchangePort, intent: Intent): Promise<OrderResult> {
  const options = { clientOrderId: intent.clientOrderId };
  if (intent.kind === 'spotBuy') return adapter.executeSpotBuy(intent.symbol, intent.quantity, options);
  if (intent.kind === 'futuresLong') return adapter.executeFuturesLong(intent.symbol, intent.quantity, 10, options);
  return adapter.executeFuturesShort(intent.symbol, intent.quantity, 10, options);
}

async function settle(promise: Promise<OrderResult>): Promise<Outcome> {
  try {
    return { result: await promise };
  } catch (error) {
    return { error };
  }
}

/**
 * The soak with xport's adapters: every intent is placed once through faults, then every call that
 * did not return an order is re-sent with the same client order id once the faults are gone — what a
 * caller is told to do with OrderStatusUnknownError — and the ledger is compared with the intents.
 */
export async function runXportSoak(sim: Simulator, options: SoakOptions): Promise<SoakReport> {
  const accounts = createSoakAccounts(sim, options.accountsPerVenue);
  const registry = new VenueRuntimeRegistry();
  const decisions = new Map<string, number>();
  const onEvent = (event: ExchangeEvent): void => {
    decisions.set(event.name, (decisions.get(event.name) ?? 0) + 1);
  };
  const adapters = new Map<string, ExchangePort>();
  // Every adapter records into one journal: the re-send of an order whose outcome was unknown is a
  // fresh placement that finds the earlier claim and looks the order up before sending anything
  // (Binance and Bitget would execute a filled order's id again).
  const journal = new MemoryOrderJournal();
  const adapterOf = (account: SoakAccount, index: number): ExchangePort => {
    return descriptorOf(account.venue).create({
      apiKey: account.apiKey,
      apiSecret: account.secret,
      passphrase: account.passphrase,
      baseUrl: `${sim.url}/${account.venue}`,
      onEvent,
      journal: { store: journal, account: `${account.venue}-${index}` },
      extra: {
        registry,
        timeoutMs: options.timeoutMs,
        // Setup calls (leverage) are reads: retried on timeouts, spread out so a busy moment passes.
        retry: { baseDelayMs: 100, maxDelayMs: 1_000, maxRetries: 5 },
        // The simulator's budgets are set out of reach for the soak, so the adapters' are too: the
        // soak measures placement under faults, not pacing (the contract suite tests that).
        requestBudgets: { spot: { capacity: 100_000, intervalMs: 1_000 }, futures: { capacity: 100_000, intervalMs: 1_000 } },
        // The soak measures placement, not the breaker: an outage scenario tests that separately.
        breaker: { failureThreshold: 1_000_000 },
        placement: { visibilityMs: options.faults.slowMs + options.faults.queryLagMs + 100, lookups: 4, notSentDelayMs: 20 },
      },
    });
  };
  accounts.forEach((account, index) => adapters.set(account.apiKey, adapterOf(account, index)));
  await runBounded([...adapters.values()], 16, (adapter) => adapter.initialize());

  const intents = planIntents(accounts, options.orders, options.runId);
  const adapterFor = (intent: Intent): ExchangePort => {
    const adapter = adapters.get(intent.apiKey);
    if (adapter === undefined) throw new Error(`no adapter for ${intent.apiKey}`);
    return adapter;
  };
  const rules = faultRules(options.faults).map((rule) => sim.faults.add(rule));
  const started = performance.now();
  const first = await runBounded(intents, options.concurrency, (intent) => settle(place(adapterFor(intent), intent)));
  const wallMs = performance.now() - started;
  const faultsByKind: Record<string, number> = {};
  for (const rule of sim.faults.list()) {
    const kind = rule.kind === 'commitThenFail' ? `commitThenFail/${rule.mode ?? 'error5xx'}` : rule.kind;
    faultsByKind[kind] = (faultsByKind[kind] ?? 0) + rule.hits;
  }
  for (const rule of rules) sim.faults.remove(rule.id);

  // What executed during the faulty phase, before anything is re-sent.
  const duringFaults = matchLedger(sim, intents);
  let lost = 0;
  let unknown = 0;
  let circuitOpen = 0;
  const otherErrors: string[] = [];
  const resend: Intent[] = [];
  first.forEach((outcome, index) => {
    const intent = intents[index];
    if (intent === undefined) return;
    const executed = duringFaults.byIntent.get(intent.index) ?? [];
    if ('result' in outcome) {
      // Returned: it must be the ledger's order.
      if (!executed.some((order) => order.orderId === outcome.result.orderId && order.clientOrderId === outcome.result.clientOrderId)) lost += 1;
      return;
    }
    resend.push(intent);
    if (OrderStatusUnknownError.isInstance(outcome.error)) unknown += 1;
    else if (CircuitOpenError.isInstance(outcome.error)) circuitOpen += 1;
    else {
      otherErrors.push(outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : String(outcome.error));
      // Told "failed" although the order executed: the caller would send it again.
      if (executed.length > 0) lost += 1;
    }
  });
  const later = await runBounded(resend, options.concurrency, (intent) => settle(place(adapterFor(intent), intent)));
  let unknownResolved = 0;
  later.forEach((outcome, index) => {
    const intent = resend[index];
    const firstOutcome = intent === undefined ? undefined : first[intent.index];
    if ('result' in outcome && firstOutcome !== undefined && 'error' in firstOutcome && OrderStatusUnknownError.isInstance(firstOutcome.error)) unknownResolved += 1;
  });

  const final = matchLedger(sim, intents);
  for (const intent of intents) if ((final.byIntent.get(intent.index) ?? []).length === 0) lost += 1;
  return {
    orders: intents.length,
    faultsByKind,
    returned: first.filter((outcome) => 'result' in outcome).length,
    recoveredByLookup: decisions.get('exchange.order.recovered') ?? 0,
    resubmitted: decisions.get('exchange.order.resubmitted') ?? 0,
    unknown,
    unknownResolved,
    circuitOpen,
    otherErrors,
    duplicates: countDuplicates(final),
    lost,
    wallMs,
  };
}
