import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { KNOWN_PACKAGES } from '@xport/factory';
import { ALL_VENUES } from '@xport/simulator';
import { describe, expect, it } from 'vitest';

import { VENUE_DESCRIPTORS, VENUE_NAMES } from './venue-descriptors';
import { descriptorOf, PASSPHRASE_VENUES } from './venue-lookup';

const packagesDir = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  readonly name: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** The workspace packages built on @xport/ccxt: the venue packages, whether or not they are listed. */
function venuePackagesInWorkspace(): string[] {
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        return [JSON.parse(readFileSync(join(packagesDir, entry.name, 'package.json'), 'utf8')) as Manifest];
      } catch {
        return [];
      }
    })
    .filter((manifest) => manifest.dependencies?.['@xport/ccxt'] !== undefined)
    .map((manifest) => manifest.name)
    .sort();
}

// Each venue is named in three lists outside its own package (CONTRIBUTING.md, "Adding a venue"):
// these tests fail, naming the list, when one of them misses it.
describe('the venue list', () => {
  it('holds every venue package in the workspace (packages/venues/src/venue-descriptors.ts)', () => {
    expect(VENUE_DESCRIPTORS.map((descriptor) => descriptor.packageName).sort()).toEqual(venuePackagesInWorkspace());
  });

  it("matches the factory's install hints (packages/factory/src/known-packages.ts)", () => {
    expect(KNOWN_PACKAGES).toEqual(Object.fromEntries(VENUE_DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor.packageName])));
  });

  it("matches the simulator's venues, passphrase included (packages/simulator/src/venues/registry.ts)", () => {
    expect(ALL_VENUES.map((venue) => venue.name).sort()).toEqual([...VENUE_NAMES].sort());
    for (const venue of ALL_VENUES) expect(venue.accounts.passphrase, venue.name).toBe(descriptorOf(venue.name).requiresPassphrase);
  });

  it('derives the names and the passphrase venues from the descriptors', () => {
    expect(VENUE_NAMES).toEqual(['binance', 'bybit', 'bitget']);
    expect(PASSPHRASE_VENUES).toEqual(['bitget']);
    expect(descriptorOf('bybit').packageName).toBe('@xport/bybit');
  });
});
