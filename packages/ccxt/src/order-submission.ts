import {
  assertCallOptions,
  assertLeverage,
  assertPositionSide,
  assertQuantity,
  Decimal,
  ExchangeError,
  IdempotencyConflictError,
  idempotencyConflict,
  InvalidOrderError,
  journalOrderRequest,
  JournalOwnershipError,
  JournalUnavailableError,
  OrderResult,
  OrderStatusUnknownError,
  parseSymbol,
} from '@xport/core';
import type {
  JournalKey,
  JournalOrderCall,
  JournalOrderRequest,
  JournalOutcome,
  LogFields,
  LogLevel,
  MarketType,
  OrderJournal,
  OrderOperation,
  OrderOptions,
  OrderSide,
  PositionMode,
  PositionSide,
  SymbolInfo,
} from '@xport/core';
import type { Clock } from '@xport/resilience';

import { acceptedButNotVisible } from './accepted-not-visible';
import { attemptVerdict } from './attempt-verdict';
import type { CcxtExchange as Exchange, CcxtMarket as Market, CcxtOrder as Order } from './ccxt-types';
import { resolveClientOrderId } from './client-order-id';
import { baseToContracts, contractSizeOf, contractsToBase } from './contract-size';
import { reduceOnlySize } from './reduce-only-size';
import { sharedReadsOf } from './shared-reads';
import { foundOrderMismatches, reportedOrder } from './intent-check';
import type { ExpectedOrder } from './intent-check';
import { operationAborted } from './operation-aborted';
import { placeExactlyOnce, reconcile } from './order-placement';
import type { AttemptVerdict, PlacementSettings } from './order-placement';
import { findMarket, symbolInfoOf } from './symbol-rules';
import { checkedPositions, decimalFrom, orderIdOf, toOrderResult } from './to-domain';
import { ccxtErrorNames } from './translate-error';
import type { VenueProfile } from './venue-profile';
import type { VenueRequests } from './venue-requests';
import type { VenueRuntime } from './venue-runtime';

/** One order a port method asks for. */
export interface OrderIntent {
  readonly operation: OrderOperation;
  readonly symbol: string;
  readonly market: MarketType;
  readonly side: OrderSide;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean;
  /** Undefined for a close: the open leg's size, read just before sending. */
  readonly quantity: Decimal | undefined;
  readonly leverage: number | undefined;
  readonly options: OrderOptions | undefined;
}

/** The order journal an adapter records into, with its defaults applied. */
export interface AdapterJournal {
  readonly store: OrderJournal;
  readonly account: string;
  readonly owner: string;
  readonly leaseMs: number;
}

export interface OrderSubmissionOptions {
  readonly profile: VenueProfile;
  readonly runtime: VenueRuntime;
  readonly requests: VenueRequests;
  readonly clock: Clock;
  readonly placement: PlacementSettings;
  /** How old a price another adapter of the venue read may be and still size this order (see CcxtAdapterOptions). */
  readonly priceMaxAgeMs: number;
  readonly journal: AdapterJournal | undefined;
  readonly log: (level: LogLevel, event: string, fields: LogFields) => void;
  /** The ccxt instance with the venue's markets, once the adapter is initialised (throws once it is closed). */
  readonly ready: (operation: string, signal: AbortSignal | undefined) => Promise<Exchange>;
  /** The account's position mode, known after initialisation (one-way when the venue has no perpetuals). */
  readonly positionMode: () => PositionMode | undefined;
}

/** Whether an earlier attempt under the client order id may be on the venue and no lookup has yet said it is not. */
interface Doubt {
  open: boolean;
}

/**
 * Submits one order: the caller's input is checked before anything is sent, the order is claimed
 * in the journal (when there is one), the leverage set where it changed, the venue's hook run, and
 * the order placed exactly once (order-placement.ts); the result is mapped, checked against the
 * intent, remembered for the notional check and logged.
 */
export class OrderSubmission {
  readonly #exchange: string;
  readonly #options: OrderSubmissionOptions;
  /** The leverage last set per symbol and leg, so it is sent only when it changes. */
  readonly #leverage = new Map<string, number>();

  constructor(options: OrderSubmissionOptions) {
    this.#exchange = options.profile.id;
    this.#options = options;
  }

  async submit(intent: OrderIntent): Promise<OrderResult> {
    const { profile, journal, clock } = this.#options;
    // Everything a caller can get wrong is refused here, before any request (and before the journal).
    const parsed = parseSymbol(intent.symbol);
    if (intent.quantity !== undefined || intent.operation === 'reduceFuturesPosition') assertQuantity(intent.quantity);
    if (intent.reduceOnly && intent.positionSide !== undefined) assertPositionSide(intent.positionSide);
    // Opening a futures position takes a leverage; untyped callers can leave it out.
    if (intent.market === 'futures' && !intent.reduceOnly) assertLeverage(intent.leverage);
    assertCallOptions(intent.options);
    const clientOrderId = resolveClientOrderId(intent.options, profile.clientOrderId, this.#exchange);
    const signal = intent.options?.signal;
    if (signal?.aborted === true) throw operationAborted(this.#exchange, intent.operation, signal, 'before sending');
    const request = journalOrderRequest(journalCallOf(intent));
    if (journal === undefined) return this.#place(intent, parsed.unified, clientOrderId, request, { open: false }, undefined);
    const key: JournalKey = { exchange: this.#exchange, account: journal.account, clientOrderId };
    // Claimed (and committed by the store) before anything is sent, markets included: a journal hit
    // costs no request at all.
    const begun = await this.#begin(journal, key, request, intent.operation);
    const fields = { operation: intent.operation, symbol: parsed.unified, clientOrderId, account: journal.account };
    switch (begun.kind) {
      case 'placed':
        this.#options.log('info', 'exchange.journal.hit', { ...fields, orderId: begun.entry.outcome.order.orderId });
        return OrderResult.fromJSON(begun.entry.outcome.order).withOrigin('journal');
      case 'conflict':
        throw idempotencyConflict({ key, requested: request, existing: begun.entry.request, operation: intent.operation });
      case 'busy':
        this.#options.log('warn', 'exchange.journal.busy', { ...fields, holder: begun.entry.owner, leaseExpiresAt: begun.entry.leaseExpiresAt });
        throw new OrderStatusUnknownError(
          `${this.#exchange} ${intent.operation}: the order with client order id ${clientOrderId} (account ${journal.account}) is being placed by another process, ` +
            `which holds it in the order journal until ${new Date(begun.entry.leaseExpiresAt).toISOString()}; nothing was sent. Call again after that: the order is then looked up before anything is sent`,
          { exchange: this.#exchange, operation: intent.operation, clientOrderId, symbol: parsed.unified },
        );
      case 'claimed':
        break;
    }
    // An entry an earlier process left pending or unknown may be on the venue: it is looked up first.
    const previous = begun.previous?.state;
    const doubt: Doubt = { open: previous === 'pending' || previous === 'unknown' };
    // The claim is renewed between the steps of a long placement (reconciliation, resubmits), so
    // the lease has to outlast one step only, not the whole placement.
    let claimedAt = clock.now();
    const renew = async (): Promise<void> => {
      if (clock.now() - claimedAt < journal.leaseMs / 3) return;
      let again: Awaited<ReturnType<OrderJournal['begin']>> | undefined;
      let failure: unknown;
      try {
        again = await journal.store.begin({ key, request }, { owner: journal.owner, leaseMs: journal.leaseMs });
      } catch (error) {
        failure = error;
      }
      if (again?.kind === 'claimed') {
        claimedAt = clock.now();
        this.#options.log('info', 'exchange.journal.renewed', { ...fields, leaseExpiresAt: again.entry.leaseExpiresAt });
        return;
      }
      this.#options.log('error', 'exchange.journal.claim_lost', { ...fields, kind: again?.kind, error: failure });
      throw new OrderStatusUnknownError(
        `${this.#exchange} ${intent.operation}: the order journal claim on client order id ${clientOrderId} (account ${journal.account}) could not be renewed ` +
          `(${again === undefined ? 'the journal failed' : `the entry is ${again.kind}`}); nothing more is sent. An attempt may have reached the venue: the next claim of the key looks it up first`,
        { exchange: this.#exchange, operation: intent.operation, clientOrderId, symbol: parsed.unified, cause: failure },
      );
    };
    let result: OrderResult;
    try {
      result = await this.#place(intent, parsed.unified, clientOrderId, request, doubt, renew);
    } catch (error) {
      await this.#settle(journal, key, failureOutcome(error, doubt), fields);
      throw error;
    }
    await this.#settle(journal, key, { state: 'placed', order: result.toJSON() }, fields);
    return result;
  }

  /** `begin`, with a store's own failure (a database down) turned into JournalUnavailableError: nothing was sent. */
  async #begin(journal: AdapterJournal, key: JournalKey, request: JournalOrderRequest, operation: string): ReturnType<OrderJournal['begin']> {
    try {
      return await journal.store.begin({ key, request }, { owner: journal.owner, leaseMs: journal.leaseMs });
    } catch (error) {
      if (IdempotencyConflictError.isInstance(error) || InvalidOrderError.isInstance(error) || JournalOwnershipError.isInstance(error)) throw error;
      throw new JournalUnavailableError(
        `${this.#exchange} ${operation}: the order journal could not claim client order id ${key.clientOrderId} (account ${key.account}); nothing was sent: ${error instanceof Error ? error.message : String(error)}`,
        { exchange: this.#exchange, operation, cause: error },
      );
    }
  }

  /**
   * Records the outcome. The caller gets the venue's truth whatever happens here: a failure is
   * logged and leaves the entry pending, which the next claim of the key resolves by a lookup.
   */
  async #settle(journal: AdapterJournal, key: JournalKey, outcome: JournalOutcome, fields: LogFields): Promise<void> {
    try {
      await journal.store.settle(key, outcome, { owner: journal.owner });
    } catch (error) {
      this.#options.log('error', 'exchange.journal.settle_failed', { ...fields, state: outcome.state, error });
    }
  }

  async #place(
    intent: OrderIntent,
    unified: string,
    clientOrderId: string,
    request: JournalOrderRequest,
    doubt: Doubt,
    renew: (() => Promise<void>) | undefined,
  ): Promise<OrderResult> {
    const { profile, runtime, requests, clock, placement } = this.#options;
    const exchangeName = this.#exchange;
    const signal = intent.options?.signal;
    const exchange = await this.#options.ready(intent.operation, signal);
    const market = findMarket(exchange, unified, intent.market, intent.operation, exchangeName);
    const info = symbolInfoOf(exchange, market, intent.market, runtime, profile);
    const contractSize = contractSizeOf(market, exchangeName);
    const priceKey = `${intent.market}:${market.symbol}`;
    const rounded = intent.quantity === undefined ? undefined : info.prepareQuantity(intent.quantity, intent.reduceOnly ? undefined : runtime.lastPrice(priceKey));
    if (rounded?.lte(0) === true) {
      throw new InvalidOrderError(`${exchangeName}: quantity ${intent.quantity?.toFixed() ?? ''} rounds to zero`, { exchange: exchangeName, field: 'quantity' });
    }
    if (intent.leverage !== undefined) info.checkLeverage(intent.leverage);
    const key: JournalKey = { exchange: exchangeName, account: this.#options.journal?.account ?? '(no journal)', clientOrderId };
    // What an order found under the id must be. Quantity is compared where the venue reports it in
    // the base asset it was sent in: not a spot market buy sized in quote (Bitget), not a close
    // (its size is read from the position just before sending).
    const quoteSized = intent.market === 'spot' && intent.side === 'buy' && profile.prepareOrder !== undefined;
    const expected: ExpectedOrder = { ccxtSymbol: market.symbol, side: intent.side, reduceOnly: intent.reduceOnly, quantity: quoteSized || rounded === undefined ? undefined : baseToContracts(market, rounded, exchangeName) };
    const mismatched = new WeakMap<OrderResult, { readonly fields: string[]; readonly order: Order }>();
    const toResult = (order: Order, requestedQuantity: Decimal | undefined): OrderResult => {
      const result = toOrderResult(order, {
        exchange: exchangeName,
        symbol: unified,
        market: intent.market,
        side: intent.side,
        positionSide: intent.positionSide,
        reduceOnly: intent.reduceOnly,
        clientOrderId,
        requestedQuantity: requestedQuantity ?? contractsToBase(market, decimalFrom(order.amount, 'amount', exchangeName), exchangeName),
        contractSize,
        now: clock.now(),
      });
      const fields = foundOrderMismatches(order, expected);
      if (fields.length > 0) mismatched.set(result, { fields, order });
      return result;
    };
    // The venue's id of the order this call sent, once the venue acknowledged it.
    let acknowledgedId: string | undefined;
    // Whether the last attempt's fate was open (no answer) rather than refused as a duplicate.
    let lastVerdict: AttemptVerdict | 'journal' = 'journal';
    /**
     * An order found under the id must be the one asked for. When the venue refused this call's
     * order as a duplicate, the other order is all there is: IdempotencyConflictError, nothing more
     * sent. When this call's (or an earlier process's) attempt may have reached the venue, the
     * venue may hold both orders under the id (Binance and Bitget accept a filled order's id
     * again, and may answer a lookup with either): the fate of ours is unknown.
     */
    const checkFound = (found: OrderResult): OrderResult => {
      const mismatch = mismatched.get(found);
      if (mismatch === undefined) return found;
      this.#options.log('error', 'exchange.order.conflict', { operation: intent.operation, symbol: unified, clientOrderId, mismatches: mismatch.fields, orderId: found.orderId, verdict: lastVerdict });
      const conflict = idempotencyConflict({ key, requested: request, existing: reportedOrder(mismatch.order, found), operation: intent.operation });
      if (lastVerdict === 'duplicate') throw conflict;
      throw new OrderStatusUnknownError(
        `${exchangeName} ${intent.operation}: client order id ${clientOrderId} names another order on the venue (${conflict.message}); ` +
          'an attempt of this order may also have reached the venue, so its fate is unknown: look it up by order history before giving the order a new id',
        { exchange: exchangeName, operation: intent.operation, clientOrderId, symbol: unified, cause: conflict },
      );
    };
    const fetchOrder = (read: () => Promise<Order>): Promise<Order> => requests.call({ operation: 'fetchOrder', market: intent.market, portOperation: intent.operation, exchange, signal }, read);
    const lookupOf = (requestedQuantity: Decimal | undefined) => async (): Promise<OrderResult | undefined> => {
      await renew?.();
      try {
        const found = await fetchOrder(() => profile.fetchOrderByClientId(exchange, { clientOrderId, symbol: market.symbol, market: intent.market }));
        // Where ids are reusable a lookup by client id may answer with an older order carrying it;
        // an order the venue acknowledged is then read by its own id.
        if (acknowledgedId !== undefined && found.id !== acknowledgedId) return toResult(await fetchOrder(() => exchange.fetchOrder(acknowledgedId ?? '', market.symbol)), requestedQuantity);
        return toResult(found, requestedQuantity);
      } catch (error) {
        if (isOrderNotFound(error) || requests.meaning(error) === 'orderNotFound') return undefined;
        throw error;
      }
    };
    const logFields = { operation: intent.operation, symbol: unified, market: intent.market, side: intent.side, clientOrderId };
    const decide = (decision: string, extra: Readonly<Record<string, unknown>>): void => {
      this.#options.log(decision === 'exchange.order.placed' ? 'info' : 'warn', decision, { ...logFields, ...extra });
    };
    const identity = { exchange: exchangeName, operation: intent.operation, clientOrderId, symbol: unified };
    if (doubt.open) {
      // The journal says an earlier process may have sent this order: it is looked up across the
      // venue's visibility window before anything is sent (the venue may accept the id again).
      decide('exchange.journal.in_doubt', {});
      const reconciled = await reconcile({ submit: () => Promise.reject(new Error('unused')), lookup: lookupOf(rounded), verdict: () => 'ambiguous', decide }, placement, clock, signal);
      if ('found' in reconciled) {
        const found = checkFound(reconciled.found).withOrigin('recovered');
        decide('exchange.order.recovered', { verdict: 'journal', orderId: found.orderId });
        return found;
      }
      if (!('absent' in reconciled)) {
        decide('exchange.order.status_unknown', { verdict: 'journal' });
        throw new OrderStatusUnknownError(
          `${exchangeName} ${intent.operation}: an earlier attempt with client order id ${clientOrderId} may or may not have been executed and the venue could not be asked; ` +
            'nothing was sent. Call again with the same id later: the order is looked up first',
          { ...identity, cause: 'unknown' in reconciled ? reconciled.unknown : signal?.reason },
        );
      }
      doubt.open = false;
    }
    const quantity = rounded !== undefined && !intent.reduceOnly ? rounded : await this.#closeSize(exchange, market, intent, unified, info, rounded, signal);
    const positionMode = this.#options.positionMode() ?? 'oneway';
    if (intent.leverage !== undefined && intent.positionSide !== undefined) {
      await this.#ensureLeverage(exchange, market, intent.positionSide, intent.leverage, positionMode, signal);
    }
    const params = profile.orderParams({
      market: intent.market,
      positionMode,
      positionSide: intent.positionSide,
      reduceOnly: intent.reduceOnly,
      clientOrderId,
    });
    const amount = Number(baseToContracts(market, quantity, exchangeName).toFixed());
    const prepareOrder = profile.prepareOrder;
    const prepared =
      prepareOrder === undefined
        ? undefined
        : await prepareOrder(
            exchange,
            { symbol: market.symbol, market: intent.market, side: intent.side, quantity, lastPrice: runtime.lastPrice(priceKey) },
            (operation, send) => requests.read({ operation, market: intent.market, portOperation: intent.operation, exchange, signal }, send),
            (key, send) => sharedReadsOf(runtime, clock).read(key, { maxAgeMs: this.#options.priceMaxAgeMs, signal }, send),
          );
    const orderParams = prepared?.params === undefined ? params : { ...params, ...prepared.params };
    const breaker = runtime.breaker(intent.market);
    const started = clock.now();
    const lookup = lookupOf(quantity);
    const { order: result, how } = await breaker.execute(() =>
      placeExactlyOnce<OrderResult>(
        {
          submit: async () => {
            await renew?.();
            const created = await requests.call({ operation: 'createOrder', market: intent.market, portOperation: intent.operation, exchange, signal }, () =>
              exchange.createOrder(market.symbol, 'market', intent.side, amount, prepared?.price, orderParams),
            );
            if (!profile.fetchAfterCreate && created.filled !== undefined && created.status !== undefined) return toResult(created, quantity);
            acknowledgedId = orderIdOf(created, exchangeName);
            // The venue answered with ids only (or without the fill): the fill is read back by client
            // order id. The order is placed whatever that read-back meets, so neither a miss nor a
            // failed read may count as a failed placement (a re-send would be a second order where
            // ids are reusable).
            const found = await lookup().catch((error: unknown) => {
              throw acceptedButNotVisible(exchangeName, intent.operation, clientOrderId, error);
            });
            if (found !== undefined) return found;
            throw acceptedButNotVisible(exchangeName, intent.operation, clientOrderId);
          },
          lookup,
          verdict: (error) => {
            lastVerdict = attemptVerdict(error);
            return lastVerdict;
          },
          decide,
        },
        identity,
        placement,
        clock,
        signal,
      ),
    );
    const checked = checkFound(result).withOrigin(how === 'recovered' ? 'recovered' : 'placed');
    if (checked.averagePrice !== undefined) runtime.rememberPrice(priceKey, checked.averagePrice);
    this.#options.log('info', 'exchange.order.completed', { ...logFields, quantity, how, orderId: checked.orderId, status: checked.status, latencyMs: clock.now() - started });
    return checked;
  }

  /** What a close or a partial close sends: checked against the leg read from the venue just before sending. */
  async #closeSize(exchange: Exchange, market: Market, intent: OrderIntent, unified: string, info: SymbolInfo, quantity: Decimal | undefined, signal: AbortSignal | undefined): Promise<Decimal> {
    const exchangeName = this.#exchange;
    const operation = intent.operation;
    const positions = await this.#options.requests.read({ operation: 'fetchPositions', market: 'futures', portOperation: operation, exchange, signal }, async () =>
      checkedPositions(await exchange.fetchPositions([market.symbol]), exchangeName),
    );
    return reduceOnlySize(positions, { exchange: exchangeName, operation, symbol: unified, market, positionSide: intent.positionSide ?? 'long', quantity, info });
  }

  async #ensureLeverage(exchange: Exchange, market: Market, side: PositionSide, leverage: number, positionMode: PositionMode, signal: AbortSignal | undefined): Promise<void> {
    const { profile, requests } = this.#options;
    const key = `${market.symbol}|${positionMode === 'hedge' ? side : 'both'}`;
    if (this.#leverage.get(key) === leverage) return;
    try {
      await requests.read({ operation: 'setLeverage', market: 'futures', portOperation: 'setLeverage', exchange, signal }, () =>
        exchange.setLeverage(leverage, market.symbol, profile.leverageParams({ positionMode, positionSide: side })),
      );
    } catch (error) {
      if (requests.meaning(error) !== 'noChange') throw error;
    }
    this.#leverage.set(key, leverage);
  }
}

/** Whether a lookup's error is ccxt's OrderNotFound (the venue said "no such order"). */
function isOrderNotFound(error: unknown): boolean {
  return ExchangeError.isInstance(error) && ccxtErrorNames(error.cause).includes('OrderNotFound');
}

/** The port call an intent stands for, as the journal records it: the caller's quantity, as given. */
function journalCallOf(intent: OrderIntent): JournalOrderCall {
  switch (intent.operation) {
    case 'closeFuturesPosition':
      return { operation: intent.operation, symbol: intent.symbol, positionSide: intent.positionSide ?? 'long' };
    case 'reduceFuturesPosition':
      return { operation: intent.operation, symbol: intent.symbol, positionSide: intent.positionSide ?? 'long', quantity: intent.quantity ?? new Decimal(0) };
    case 'executeFuturesLong':
    case 'executeFuturesShort':
      return { operation: intent.operation, symbol: intent.symbol, quantity: intent.quantity ?? new Decimal(0), leverage: intent.leverage ?? 0 };
    default:
      return { operation: intent.operation, symbol: intent.symbol, quantity: intent.quantity ?? new Decimal(0) };
  }
}

/**
 * What a failed placement records. Unknown while an earlier attempt may be on the venue and no
 * lookup said otherwise, for an OrderStatusUnknownError, and for an id the venue shows under another
 * order (so a re-run looks it up again rather than sending under it). Any other failure means
 * nothing was placed — the venue refused it, it was aborted before anything was sent, or it failed
 * before sending (a market missing, no position to close): recorded refused, so the key may be
 * claimed and sent again.
 */
function failureOutcome(error: unknown, doubt: Doubt): JournalOutcome {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
  if (doubt.open || OrderStatusUnknownError.isInstance(error) || IdempotencyConflictError.isInstance(error)) return { state: 'unknown', reason: message };
  const code = ExchangeError.isInstance(error) ? error.code : undefined;
  const errorClass = error instanceof Error ? error.constructor.name : typeof error;
  return code === undefined ? { state: 'refused', errorClass, message } : { state: 'refused', errorClass, code, message };
}
