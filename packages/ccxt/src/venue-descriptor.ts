import type { ExchangeDescriptor } from '@xport/core';

import type { CcxtAdapterOptions } from './adapter-options';
import { validateExtraOptions } from './adapter-options';
import { CcxtExchangeAdapter } from './ccxt-adapter';
import type { VenueProfile } from './venue-profile';

/**
 * The factory entry of a ccxt-backed venue: `extra` carries the adapter options the generic
 * connection options do not name (clock, retry, breaker, placement, registry…), checked here so a
 * refusal names the field as the caller wrote it (`extra.placement.lookups`).
 */
export function venueDescriptor<Name extends string>(profile: VenueProfile<Name>): ExchangeDescriptor<Name> {
  return {
    name: profile.id,
    packageName: profile.packageName,
    requiresPassphrase: profile.requiresPassphrase,
    requestBudgets: {
      spot: { capacity: profile.rateLimit.spot.capacity, intervalMs: profile.rateLimit.spot.intervalMs },
      futures: { capacity: profile.rateLimit.futures.capacity, intervalMs: profile.rateLimit.futures.intervalMs },
    },
    create: ({ extra, ...options }) => {
      validateExtraOptions(extra, profile.id);
      return new CcxtExchangeAdapter(profile, { ...(extra as Partial<CcxtAdapterOptions> | undefined), ...options });
    },
  };
}
