import { Decimal } from '@xport/core';
import type { Market, Position } from '@xport/simulator';

import type { ContractContext } from './contract-context';
import { CONTRACT_SYMBOL } from './contract-context';
import { toDecimal } from './market-fixtures';

/** free + locked of one asset in one of the account's wallets, as the simulator keeps it. */
export function walletTotal(ctx: ContractContext, apiKey: string, wallet: Market, asset: string): Decimal {
  const balance = ctx.sim.balances(ctx.name, apiKey)[wallet][asset];
  return balance === undefined ? new Decimal(0) : toDecimal(balance.free).plus(toDecimal(balance.locked));
}

/** The account's open position legs on a symbol (size above zero), as the simulator keeps them. */
export function openLegs(ctx: ContractContext, apiKey: string, symbol: string = CONTRACT_SYMBOL): Position[] {
  return ctx.sim.positions(ctx.name, apiKey, symbol).filter((position) => toDecimal(position.size).gt(0));
}

/** A leg in the suite's terms: which way it points, how big, at what leverage. */
export interface LegSummary {
  readonly direction: 'long' | 'short';
  readonly size: string;
  readonly leverage: number;
  /** `both` for one-way mode's net position. */
  readonly side: string;
}

/** The simulator's positions as plain legs (direction, size, leverage), for comparing with `toEqual`. */
export function summariseLegs(positions: readonly Position[]): LegSummary[] {
  return positions.map((position) => ({
    direction: toDecimal(position.signedSize).gte(0) ? 'long' : 'short',
    size: toDecimal(position.size).toFixed(),
    leverage: position.leverage,
    side: position.side,
  }));
}
