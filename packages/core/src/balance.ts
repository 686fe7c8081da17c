import { Decimal } from './decimal';
import { InvalidValueError } from './errors';
import type { MarketType } from './types';
import { MARKET_TYPES } from './types';
import { checkDecimal, checkOneOf, checkText, inspectCustom } from './value-checks';

export interface BalanceProps {
  readonly asset: string;
  readonly free: Decimal;
  readonly locked: Decimal;
  /** Optional; when given it must equal free + locked. */
  readonly total?: Decimal | undefined;
  /** The wallet it was read from: spot, or the futures (Bybit: unified) account. */
  readonly market: MarketType;
}

export interface BalanceJSON {
  readonly asset: string;
  readonly free: string;
  readonly locked: string;
  readonly total: string;
  readonly market: MarketType;
}

/** One asset in one wallet. Immutable; total is always free + locked. */
export class Balance {
  readonly asset: string;
  readonly free: Decimal;
  readonly locked: Decimal;
  readonly total: Decimal;
  readonly market: MarketType;

  constructor(props: BalanceProps) {
    this.asset = checkText('Balance', 'asset', props.asset).toUpperCase();
    this.free = checkDecimal('Balance', 'free', props.free, 'nonNegative');
    this.locked = checkDecimal('Balance', 'locked', props.locked, 'nonNegative');
    this.market = checkOneOf('Balance', 'market', props.market, MARKET_TYPES);
    const total = this.free.plus(this.locked);
    if (props.total !== undefined && !checkDecimal('Balance', 'total', props.total, 'nonNegative').eq(total)) {
      throw new InvalidValueError(
        `Balance.total must equal free + locked (${total.toFixed()}), got ${props.total.toFixed()}`,
        { field: 'total', expected: 'free + locked' },
      );
    }
    this.total = total;
    Object.freeze(this);
  }

  /** A zero balance, for an asset the venue does not list for the account. */
  static zero(asset: string, market: MarketType): Balance {
    return new Balance({ asset, free: new Decimal(0), locked: new Decimal(0), market });
  }

  toJSON(): BalanceJSON {
    return {
      asset: this.asset,
      free: this.free.toFixed(),
      locked: this.locked.toFixed(),
      total: this.total.toFixed(),
      market: this.market,
    };
  }

  [inspectCustom](): string {
    return `Balance ${JSON.stringify(this.toJSON())}`;
  }
}
