import { Decimal } from 'decimal.js';
import { ClientOrderIdIndex, type ClientOrderIdPolicy } from './client-order-ids';
import type { Account, Balance, LedgerOrder, PositionMode, PositionSide, VenueName } from './contract';

export interface WalletEntry {
  free: Decimal;
  locked: Decimal;
}

export type Wallet = Map<string, WalletEntry>;

/** One open futures position leg; `signedSize` is positive long, negative short. */
export interface PositionState {
  readonly symbol: string;
  readonly side: PositionSide;
  signedSize: Decimal;
  entryPrice: Decimal;
  margin: Decimal;
  /** Realised by partial closes since the leg opened, fees not included. */
  realisedPnl: Decimal;
  /** Trading fees paid by the leg since it opened (its opening and closing shares of orders). */
  fees: Decimal;
}

/**
 * Everything one leg (symbol and position side) has realised since the account was created, open
 * or closed: venues that report an all-time figure (Bybit's `cumRealisedPnl`) read it.
 */
export interface LegTotals {
  realisedPnl: Decimal;
  fees: Decimal;
}

/** Decimals as JSON strings or Decimal instances. */
export type DecimalInput = Decimal.Value;

export interface CreateAccountInput {
  readonly venue: VenueName;
  readonly apiKey?: string;
  readonly secret?: string;
  /** Bitget needs one; generated when absent there, ignored by the signing of the others. */
  readonly passphrase?: string;
  readonly uid?: string;
  /** Spot wallet (Bybit: the unified wallet). */
  readonly balances?: Readonly<Record<string, DecimalInput>>;
  /** USDT-M futures wallet (Bybit: added to the unified wallet). */
  readonly futuresBalances?: Readonly<Record<string, DecimalInput>>;
  readonly positionMode?: PositionMode;
}

/**
 * An account and everything it owns. Venues see it through the `Account` interface only; the engine
 * keeps the wallets, positions, leverage settings and the account's orders on it.
 */
export class SimAccount implements Account {
  positionMode: PositionMode;
  readonly spot: Wallet = new Map();
  /** The same Map as `spot` for Bybit, whose unified account has one wallet. */
  readonly futures: Wallet;
  readonly positions = new Map<string, PositionState>();
  /** By positionKey; a leg is listed once it has traded and stays after it closes. */
  readonly legTotals = new Map<string, LegTotals>();
  readonly leverages = new Map<string, number>();
  readonly orders: LedgerOrder[] = [];
  readonly ordersById = new Map<string, LedgerOrder>();
  readonly clientOrderIds: ClientOrderIdIndex;

  readonly passphrase?: string;

  constructor(
    readonly venue: VenueName,
    readonly apiKey: string,
    readonly secret: string,
    readonly uid: string,
    positionMode: PositionMode,
    passphrase: string | undefined,
    sharedWallet: boolean,
    clientOrderIdPolicy: ClientOrderIdPolicy,
  ) {
    this.positionMode = positionMode;
    this.clientOrderIds = new ClientOrderIdIndex(clientOrderIdPolicy);
    this.futures = sharedWallet ? this.spot : new Map<string, WalletEntry>();
    if (passphrase !== undefined) this.passphrase = passphrase;
  }
}

export function credit(wallet: Wallet, asset: string, amount: Decimal): void {
  const entry = wallet.get(asset);
  if (entry) entry.free = entry.free.plus(amount);
  else wallet.set(asset, { free: amount, locked: new Decimal(0) });
}

export function freeOf(wallet: Wallet, asset: string): Decimal {
  return wallet.get(asset)?.free ?? ZERO;
}

export function walletBalances(wallet: Wallet): Balance[] {
  const out: Balance[] = [];
  for (const [asset, entry] of wallet) out.push({ asset, free: entry.free, locked: entry.locked });
  return out;
}

export const ZERO = new Decimal(0);

export function positionKey(symbol: string, side: PositionSide): string {
  return `${symbol}|${side}`;
}
