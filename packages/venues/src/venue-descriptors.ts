import { binance } from '@xport/binance';
import { bitget } from '@xport/bitget';
import { bybit } from '@xport/bybit';

/**
 * Every venue package xport ships, in the order the demo and the soak spread their accounts over
 * them. The apps read venue names, passphrase rules and factory registrations from here.
 */
export const VENUE_DESCRIPTORS = [binance, bybit, bitget] as const;

/** The name of a venue xport ships: `'binance' | 'bybit' | 'bitget'`, derived from the descriptors. */
export type VenueName = (typeof VENUE_DESCRIPTORS)[number]['name'];

export type VenueDescriptor = (typeof VENUE_DESCRIPTORS)[number];

export const VENUE_NAMES: readonly VenueName[] = VENUE_DESCRIPTORS.map((descriptor) => descriptor.name);
