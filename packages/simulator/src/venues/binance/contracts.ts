import { Decimal } from 'decimal.js';

import type { Instrument } from '../../contract';

const ONE = new Decimal(1);

/** Base units per contract of a USDⓈ-M instrument (1 but for a test instrument). */
export function contractSizeOf(instrument: Instrument | undefined): Decimal {
  return instrument?.contractSize ?? ONE;
}

/** A base quantity as the wire's number of contracts. */
export function toContracts(instrument: Instrument | undefined, base: Decimal): Decimal {
  return base.div(contractSizeOf(instrument));
}

/** The wire's number of contracts as a base quantity, for the engine. */
export function toBase(instrument: Instrument | undefined, contracts: Decimal): Decimal {
  return contracts.times(contractSizeOf(instrument));
}
