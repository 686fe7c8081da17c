import type { VenueDescriptor, VenueName } from './venue-descriptors';
import { VENUE_DESCRIPTORS } from './venue-descriptors';

/** The descriptor of a venue xport ships. */
export function descriptorOf(name: VenueName): VenueDescriptor {
  const descriptor = VENUE_DESCRIPTORS.find((candidate) => candidate.name === name);
  if (descriptor === undefined) throw new TypeError(`no venue package for ${JSON.stringify(name)}`);
  return descriptor;
}

/** The venues whose API keys come with a passphrase. */
export const PASSPHRASE_VENUES: readonly VenueName[] = VENUE_DESCRIPTORS.filter((descriptor) => descriptor.requiresPassphrase).map((descriptor) => descriptor.name);
