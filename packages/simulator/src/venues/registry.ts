import { binanceVenue } from './binance/venue';
import { bitgetVenue } from './bitget/venue';
import { bybitVenue } from './bybit/venue';

/** Every venue the simulator speaks; the rest of the simulator reads the list from here. */
export const VENUE_MODULES = [binanceVenue, bybitVenue, bitgetVenue] as const;

export type VenueName = (typeof VENUE_MODULES)[number]['name'];

export const VENUE_NAMES: readonly VenueName[] = VENUE_MODULES.map((venue) => venue.name);

export function isVenueName(value: unknown): value is VenueName {
  return typeof value === 'string' && (VENUE_NAMES as readonly string[]).includes(value);
}
