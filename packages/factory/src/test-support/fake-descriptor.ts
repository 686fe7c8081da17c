import type { ExchangeConnectionOptions, ExchangeDescriptor, ExchangePort } from '@xport/core';

/** A port that records nothing and refuses every call: the factory tests never trade through it. */
function fakePort(exchange: string): ExchangePort {
  const refuse = (): Promise<never> => Promise.reject(new Error(`${exchange}: fake port`));
  return {
    exchange,
    initialize: refuse,
    close: refuse,
    executeSpotBuy: refuse,
    executeSpotSell: refuse,
    executeFuturesLong: refuse,
    executeFuturesShort: refuse,
    closeFuturesPosition: refuse,
    reduceFuturesPosition: refuse,
    getBalances: refuse,
    getBalance: refuse,
    getSymbolInfo: refuse,
    getFuturesPosition: refuse,
  };
}

export interface FakeDescriptor extends ExchangeDescriptor {
  /** What each create() call received, in order. */
  readonly created: ExchangeConnectionOptions[];
  /** What each create() call returned. */
  readonly ports: ExchangePort[];
}

/** A descriptor for `name` whose create() records its options and returns a fake port. */
export function fakeDescriptor(name: string, overrides: Partial<ExchangeDescriptor> = {}): FakeDescriptor {
  const created: ExchangeConnectionOptions[] = [];
  const ports: ExchangePort[] = [];
  return {
    name,
    packageName: `@xport/${name}`,
    requiresPassphrase: false,
    create: (options) => {
      created.push(options);
      const port = fakePort(name);
      ports.push(port);
      return port;
    },
    ...overrides,
    created,
    ports,
  };
}

/** The error `fn` throws; fails the test when it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
