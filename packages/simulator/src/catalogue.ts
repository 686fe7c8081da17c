import type { Instrument, Market, VenueModule } from './contract';

export type CatalogueSize = 'minimal' | 'real';

/** Which base instrument synthetic symbols copy: a cheap coin, so default balances can trade them. */
const TEMPLATE_BASE = 'DOGE';

export function syntheticBase(index: number): string {
  return `SYN${String(index).padStart(4, '0')}`;
}

/**
 * The venue's instruments for one market: its base list, padded with synthetic copies of a template
 * instrument (`SYN0000USDT`, `SYN0001USDT`, ...) up to the venue's real-scale count when asked,
 * so that loading markets costs what it costs on the real venue.
 */
export function buildCatalogue(module: VenueModule, market: Market, size: CatalogueSize): Instrument[] {
  const base = module.baseInstruments.filter((instrument) => instrument.market === market);
  if (size === 'minimal') return base;
  const template = base.find((instrument) => instrument.base === TEMPLATE_BASE) ?? base[0];
  if (!template) return base;
  const padding = Math.max(0, module.realScale[market] - base.length);
  const out = base.slice();
  for (let i = 0; i < padding; i++) {
    const asset = syntheticBase(i);
    out.push({ ...template, symbol: `${asset}${template.quote}`, base: asset, synthetic: true });
  }
  return out;
}

/** Synthetic symbols are priced like their template. */
export function templateBaseOf(instrument: Instrument): string {
  return instrument.synthetic ? TEMPLATE_BASE : instrument.base;
}
