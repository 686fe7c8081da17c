export type { VenueDescriptor, VenueName } from './venue-descriptors';
export { VENUE_DESCRIPTORS, VENUE_NAMES } from './venue-descriptors';
export { descriptorOf, PASSPHRASE_VENUES } from './venue-lookup';
