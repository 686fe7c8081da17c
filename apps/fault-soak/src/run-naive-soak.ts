import { rewriteHosts } from '@xport/ccxt/internal';
import ccxt from 'ccxt';
import type { Exchange } from 'ccxt';
import type { Simulator } from '@xport/simulator';

import { countDuplicates, matchLedger } from './ledger-check';
import { runBounded } from './run-bounded';
import type { Intent, SoakAccount } from './soak-plan';
import { createSoakAccounts, faultRules, planIntents } from './soak-plan';
import type { SoakOptions } from './run-xport-soak';

export interface NaiveReport {
  readonly orders: number;
  readonly faultsInjected: number;
  readonly duplicates: number;
  /** Intents the caller was told failed although they executed. */
  readonly lost: number;
  readonly wallMs: number;
}

function client(sim: Simulator, account: SoakAccount, timeoutMs: number): Exchange {
  const exchange = new ccxt[account.venue]({
    apiKey: account.apiKey,
    secret: account.secret,
    ...(account.passphrase === undefined ? {} : { password: account.passphrase }),
    enableRateLimit: false,
    timeout: timeoutMs,
    options: { defaultType: 'spot' },
  });
  const urls = exchange.urls as { api: unknown };
  urls.api = rewriteHosts(urls.api, `${sim.url}/${account.venue}`);
  return exchange;
}

/** The usual wrapper around plain ccxt: retry on any network error, up to 3 times, 1 s → 2 s → 4 s (here scaled down). */
async function withNaiveRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 3 || !(error instanceof ccxt.NetworkError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }
}

/** Whether ccxt sizes this exchange's spot market buys in quote currency, so it wants a cost or a price. */
function marketBuyNeedsCost(exchange: Exchange): boolean {
  const options = exchange.options as { createOrder?: { createMarketBuyOrderRequiresPrice?: unknown } } | undefined;
  return options?.createOrder?.createMarketBuyOrderRequiresPrice === true;
}

function place(exchange: Exchange, intent: Intent): Promise<unknown> {
  const amount = Number(intent.quantity.toFixed());
  if (intent.kind === 'spotBuy') {
    const params = marketBuyNeedsCost(exchange) ? { cost: amount * 65_000 * 1.001 } : {};
    return exchange.createOrder('BTC/USDT', 'market', 'buy', amount, undefined, params);
  }
  const side = intent.kind === 'futuresLong' ? 'buy' : 'sell';
  return exchange.createOrder('ETH/USDT:USDT', 'market', side, amount);
}

/** The same soak through plain ccxt behind the naive retry wrapper, for the side-by-side count. */
export async function runNaiveSoak(sim: Simulator, options: SoakOptions): Promise<NaiveReport> {
  const accounts = createSoakAccounts(sim, options.accountsPerVenue);
  const clients = new Map(accounts.map((account) => [account.apiKey, client(sim, account, options.timeoutMs)]));
  await runBounded([...clients.values()], 4, (exchange) => withNaiveRetry(() => exchange.loadMarkets()));
  const intents = planIntents(accounts, options.orders, options.runId);
  const rules = faultRules(options.faults).map((rule) => sim.faults.add(rule));
  const started = performance.now();
  const outcomes = await runBounded(intents, options.concurrency, async (intent) => {
    const exchange = clients.get(intent.apiKey);
    if (exchange === undefined) throw new Error('no client');
    try {
      await withNaiveRetry(() => place(exchange, intent));
      return true;
    } catch {
      return false;
    }
  });
  const wallMs = performance.now() - started;
  const faultsInjected = sim.faults.list().reduce((sum, rule) => sum + rule.hits, 0);
  for (const rule of rules) sim.faults.remove(rule.id);
  const match = matchLedger(sim, intents);
  let lost = 0;
  intents.forEach((intent, index) => {
    // Told "failed" although it executed: the caller's own retry would buy again.
    if ((match.byIntent.get(intent.index) ?? []).length > 0 && outcomes[index] === false) lost += 1;
  });
  return { orders: intents.length, faultsInjected, duplicates: countDuplicates(match), lost, wallMs };
}
