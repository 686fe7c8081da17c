import { inspect } from 'node:util';

import type { OrderResult } from '@xport/core';
import type { LedgerOrder } from '@xport/simulator';
import { expect } from 'vitest';

import type { ContractContext } from './contract-context';
import { toDecimal } from './market-fixtures';

/** A class with the cross-copy `isInstance` guard (@xport/core errors, CircuitOpenError). */
export interface BrandedClass {
  readonly name: string;
  /** The class's own brand check, which holds across copies of the package. */
  isInstance(value: unknown): boolean;
}

function describeError(error: unknown): string {
  return inspect(error, { depth: 2, breakLength: Infinity });
}

/** The rejection of `promise`; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    const value = await promise;
    expect.fail(`expected a rejection, got ${inspect(value, { depth: 1 })}`);
  } catch (error) {
    return error;
  }
}

/** Asserts `promise` rejects with an instance of `type` (by brand), and returns the error. */
export async function expectRejection(promise: Promise<unknown>, type: BrandedClass): Promise<unknown> {
  const error = await rejectionOf(promise);
  expect(type.isInstance(error), `expected ${type.name}, got ${describeError(error)}`).toBe(true);
  return error;
}

/**
 * Runs `action` and asserts it was refused with `type` while the simulator received no request at
 * all (on any venue), which is what "refused before sending" means.
 */
export async function expectRefusedWithoutRequests(ctx: ContractContext, type: BrandedClass, action: () => Promise<unknown>): Promise<unknown> {
  const before = ctx.sim.requests().length;
  const error = await expectRejection(action(), type);
  expect(ctx.sim.requests().slice(before), 'requests sent for an order that should have been refused before sending').toEqual([]);
  return error;
}

/** The ledger's record of `orderId` for that account; fails when the engine never executed it. */
export function ledgerOrder(ctx: ContractContext, apiKey: string, orderId: string): LedgerOrder {
  const found = ctx.sim.ledger.orders({ venue: ctx.name, apiKey }).find((order) => order.orderId === orderId);
  if (found === undefined) expect.fail(`order ${orderId} is not in the simulator's ledger`);
  return found;
}

/** The account's ledger orders, oldest first. */
export function ledgerOrders(ctx: ContractContext, apiKey: string): LedgerOrder[] {
  return ctx.sim.ledger.orders({ venue: ctx.name, apiKey });
}

/**
 * The OrderResult says what the engine executed: ids, quantity, average price, cost, and the fee
 * where the venue reports one in the order answer.
 */
export function expectOrderMatchesLedger(result: OrderResult, order: LedgerOrder): void {
  expect(result.exchange).toBe(order.venue);
  expect(result.orderId).toBe(order.orderId);
  expect(result.clientOrderId).toBe(order.clientOrderId);
  expect(result.marketType).toBe(order.market);
  expect(result.side).toBe(order.side);
  expect(result.symbol.replace('/', '')).toBe(order.symbol);
  expect(result.status).toBe('filled');
  expect(result.filledQuantity.toFixed(), 'filled quantity').toBe(toDecimal(order.quantity).toFixed());
  expect(result.requestedQuantity.toFixed(), 'requested quantity').toBe(toDecimal(order.quantity).toFixed());
  expect(result.averagePrice?.toFixed(), 'average price').toBe(toDecimal(order.price).toFixed());
  expect(result.cost.toFixed(), 'cost').toBe(toDecimal(order.cost).toFixed());
  if (result.fee !== undefined) {
    expect(result.fee.amount.toFixed(), 'fee').toBe(toDecimal(order.fee).toFixed());
    expect(result.fee.asset, 'fee asset').toBe(order.feeAsset);
  }
}
