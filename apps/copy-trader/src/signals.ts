import type { Decimal, MarketType } from '@xport/core';
import { MAX_SANE_LEVERAGE } from '@xport/core';

import { CopyTraderConfigError } from './config-error';
import { FieldReader } from './field-readers';
import { withoutByteOrderMark } from './json-text';

/** Every action a signal may carry. */
export const SIGNAL_ACTIONS = ['spotBuy', 'spotSell', 'futuresLong', 'futuresShort', 'closeLong', 'closeShort'] as const;
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

/** One line of the signals file: a trade that opens exposure, or one that closes it. */
export type Signal = OpenSignal | CloseSignal;

export function isCloseSignal(signal: Signal): signal is CloseSignal {
  return signal.action === 'closeLong' || signal.action === 'closeShort';
}

export function marketOf(signal: Signal): MarketType {
  return signal.action === 'spotBuy' || signal.action === 'spotSell' ? 'spot' : 'futures';
}

const SIGNAL_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SYMBOL = /^[A-Za-z0-9]+(\/[A-Za-z0-9]+(:[A-Za-z0-9]+)?)?$/;
const OPEN_KEYS = ['id', 'action', 'symbol', 'quantity', 'price', 'masterEquity', 'leverage'];
const CLOSE_KEYS = ['id', 'action', 'symbol'];

function readSignal(reader: FieldReader, value: unknown): Signal | undefined {
  const line = reader.object(value, '');
  if (line === undefined) return undefined;
  const id = reader.string(line.id, 'id', SIGNAL_ID, 'an id of 1 to 64 letters, digits, ".", "_" or "-"');
  const action = reader.oneOf(line.action, 'action', SIGNAL_ACTIONS);
  const symbol = reader.string(line.symbol, 'symbol', SYMBOL, 'a symbol such as "BTCUSDT" or "BTC/USDT"');
  // Which fields belong depends on the action: without one, listing missing fields would be noise.
  if (action === undefined) return undefined;
  if (action === 'closeLong' || action === 'closeShort') {
    reader.onlyKeys(line, CLOSE_KEYS);
    return id === undefined || symbol === undefined ? undefined : { id, action, symbol };
  }
  reader.onlyKeys(line, OPEN_KEYS);
  const quantity = reader.positiveDecimal(line.quantity, 'quantity');
  const price = reader.positiveDecimal(line.price, 'price');
  const masterEquity = reader.positiveDecimal(line.masterEquity, 'masterEquity');
  const futures = action === 'futuresLong' || action === 'futuresShort';
  const leverage = futures ? reader.integer(line.leverage, 'leverage', 1, MAX_SANE_LEVERAGE) : undefined;
  if (!futures && line.leverage !== undefined) reader.fail('leverage', 'no leverage on a spot signal', line.leverage);
  if (id === undefined || symbol === undefined || quantity === undefined || price === undefined || masterEquity === undefined) return undefined;
  if (futures && leverage === undefined) return undefined;
  return { id, action, symbol, quantity, price, masterEquity, leverage };
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
    const signal = readSignal(new FieldReader(issues, `line ${lineNumber}`, ': '), value);
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
