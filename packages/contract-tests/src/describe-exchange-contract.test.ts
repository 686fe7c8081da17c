import type { ExchangePort } from '@xport/core';
import { describe, expect, it } from 'vitest';

import type { ExchangeContractOptions } from './contract-options';
import { describeExchangeContract } from './describe-exchange-contract';

const createAdapter = (): ExchangePort => {
  throw new Error('never called: the options are refused first');
};

describe('describeExchangeContract options', () => {
  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /options must be an object/],
    ['a venue the simulator does not model', { name: 'kraken', createAdapter }, /name must be one of binance, bybit, bitget/],
    ['no createAdapter', { name: 'binance' }, /createAdapter must be a function/],
    ['a createRegistry that is not a function', { name: 'binance', createAdapter, createRegistry: {} }, /createRegistry must be a function/],
    ['an extra that is not a function', { name: 'binance', createAdapter, extra: 'tests' }, /extra must be a function/],
    ['an unknown target', { name: 'binance', createAdapter, target: 'mainnet' }, /target must be "simulator" or "testnet", got "mainnet"/],
    ['knownFailures that are not titles', { name: 'binance', createAdapter, knownFailures: [1] }, /knownFailures must be an array of test titles/],
  ])('refuses %s before registering anything', (_what, options, message) => {
    expect(() => {
      describeExchangeContract(options as ExchangeContractOptions);
    }).toThrow(message);
  });
});
