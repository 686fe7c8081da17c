import type { Decimal, MarketType, PositionSide } from '@xport/core';
import type { z } from 'zod';

import { CopyTraderConfigError } from './config-error';
import { formatIssues } from './config-issues';
import { SIGNAL_ACTIONS, SIGNAL_FIELD_ORDER, SIGNAL_SCHEMAS, signalHeadSchema } from './config-schema';
import { withoutByteOrderMark } from './json-text';

export { SIGNAL_ACTIONS };
/** One of the actions a signal may carry. */
export type SignalAction = (typeof SIGNAL_ACTIONS)[number];

/** A master trade that opens or changes exposure: followers size their own quantity from it. */
export interface OpenSignal {
  readonly id: string;
  readonly action: 'spotBuy' | 'spotSell' | 'futuresLong' | 'futuresShort';
  readonly symbol: string;
  /** The master's quantity in base asset. */
  readonly quantity: Decimal;
  /** The master's fill (or reference) price: what notional rules and caps are computed at. */
  readonly price: Decimal;
  /** The master's equity in USDT, for the `equity` sizing rule. */
  readonly masterEquity: Decimal;
  /** Futures only. */
  readonly leverage?: number | undefined;
}

/** Closes the follower's whole leg, whatever its size: followers' positions differ from the master's. */
export interface CloseSignal {
  readonly id: string;
  readonly action: 'closeLong' | 'closeShort';
  readonly symbol: string;
}

/**
 * Closes the same fraction of the follower's own leg as the master closed of its: `quantity` of
 * `masterPositionBefore`. Given as the master's two quantities, not as their ratio, so a converter
 * from the master's fills writes what the venue reported, exactly (1/3 has no exact decimal).
 */
export interface ReduceSignal {
  readonly id: string;
  readonly action: 'reduceLong' | 'reduceShort';
  readonly symbol: string;
  /** What the master closed, in base asset. */
  readonly quantity: Decimal;
  /** The master's leg just before, in base asset: never below `quantity`. */
  readonly masterPositionBefore: Decimal;
}

/** One line of the signals file: a trade that opens exposure, one that closes it, or one that closes part of it. */
export type Signal = OpenSignal | CloseSignal | ReduceSignal;

export function isCloseSignal(signal: Signal): signal is CloseSignal {
  return signal.action === 'closeLong' || signal.action === 'closeShort';
}

export function isReduceSignal(signal: Signal): signal is ReduceSignal {
  return signal.action === 'reduceLong' || signal.action === 'reduceShort';
}

/** A signal that opens or adds to exposure: followers size it from their own rule. */
export function isOpenSignal(signal: Signal): signal is OpenSignal {
  return !isCloseSignal(signal) && !isReduceSignal(signal);
}

/** The leg a close or a reduce acts on. */
export function positionSideOf(signal: CloseSignal | ReduceSignal): PositionSide {
  return signal.action === 'closeLong' || signal.action === 'reduceLong' ? 'long' : 'short';
}

/** True for a reduce of the master's whole leg: the follower's whole leg is closed too. */
export function reducesWholeLeg(signal: ReduceSignal): boolean {
  return signal.quantity.eq(signal.masterPositionBefore);
}

export function marketOf(signal: Signal): MarketType {
  return signal.action === 'spotBuy' || signal.action === 'spotSell' ? 'spot' : 'futures';
}

/**
 * Validates one parsed line: first the fields every action shares, then, once the action is known,
 * against that action's schema (which fields belong depends on it: without one, listing missing
 * fields would be noise). Issues are pushed as `line 3: quantity: expected …, got …`.
 */
function readSignal(value: unknown, lineNumber: number, issues: string[]): Signal | undefined {
  const report = (found: readonly z.core.$ZodIssue[]): void => {
    issues.push(...formatIssues(found, { pathText: (path) => [`line ${lineNumber}`, ...path.map(String)].join(': '), fieldOrder: SIGNAL_FIELD_ORDER }));
  };
  const action: unknown = typeof value === 'object' && value !== null ? (value as { action?: unknown }).action : undefined;
  const known = SIGNAL_ACTIONS.find((candidate) => candidate === action);
  if (known === undefined) {
    const head = signalHeadSchema.safeParse(value, { reportInput: true });
    if (!head.success) report(head.error.issues);
    return undefined;
  }
  const result = SIGNAL_SCHEMAS[known].safeParse(value, { reportInput: true });
  if (!result.success) {
    report(result.error.issues);
    return undefined;
  }
  const line = result.data;
  if (line.action === 'closeLong' || line.action === 'closeShort') return { id: line.id, action: line.action, symbol: line.symbol };
  if (line.action === 'reduceLong' || line.action === 'reduceShort') return { id: line.id, action: line.action, symbol: line.symbol, quantity: line.quantity, masterPositionBefore: line.masterPositionBefore };
  // Every opening signal has the key; a spot signal's is undefined.
  return { id: line.id, action: line.action, symbol: line.symbol, quantity: line.quantity, price: line.price, masterEquity: line.masterEquity, leverage: line.leverage };
}

/**
 * Parses a signals file: one JSON object per line, blank lines and a leading byte-order mark ignored. Throws a
 * CopyTraderConfigError naming each bad line (`signals.jsonl:3: quantity: expected …`).
 */
export function parseSignalsJsonl(text: string, source = 'signals file'): readonly Signal[] {
  const issues: string[] = [];
  const signals: Signal[] = [];
  const seen = new Map<string, number>();
  withoutByteOrderMark(text).split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const lineNumber = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      issues.push(`line ${lineNumber}: expected a JSON object, got ${raw.length > 40 ? `${raw.slice(0, 37)}...` : raw}`);
      return;
    }
    const signal = readSignal(value, lineNumber, issues);
    if (signal === undefined) return;
    const first = seen.get(signal.id);
    if (first !== undefined) issues.push(`line ${lineNumber}: id: expected a unique id, got ${JSON.stringify(signal.id)} (already used on line ${first})`);
    else seen.set(signal.id, lineNumber);
    signals.push(signal);
  });
  if (issues.length === 0 && signals.length === 0) issues.push('expected at least one signal, got an empty file');
  if (issues.length > 0) throw new CopyTraderConfigError(source, issues);
  return signals;
}
