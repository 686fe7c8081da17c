export type { CcxtAdapterOptions, StreamSettings } from './adapter-options';
export { CcxtExchangeAdapter } from './ccxt-adapter';
export type { CcxtBalances, CcxtExchange, CcxtMarket, CcxtOrder, CcxtPosition } from './ccxt-types';
export type { PlacementSettings } from './order-placement';
export type { VenueErrorMeaning } from './translate-error';
export type { BreakerStateEvent, BudgetScope, BudgetWaitEvent, RateLimitedEvent, VenueEvent, VenueEventHub, VenueEventListener } from './venue-events';
export type { AccountEventFacts, AccountRequestBudget, AccountRequestBudgets, ClientOrderIdRules, OrderParamsInput, PrepareOrderInput, RequestBudget, ShareRead, VenueOperation, VenueProfile, VenueRateLimit } from './venue-profile';
export { VenueRuntime, VenueRuntimeRegistry } from './venue-runtime';
export type { AccountBudgetUse, VenueRuntimeOptions } from './venue-runtime';
