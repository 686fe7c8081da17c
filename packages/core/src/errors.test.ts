import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { describe, expect, it } from 'vitest';

import type * as CoreModule from './index';

import {
  AdapterClosedError,
  AuthenticationError,
  ExchangeAPIError,
  ExchangeError,
  ExchangeUnavailableError,
  InsufficientBalanceError,
  InvalidLeverageError,
  InvalidOrderError,
  JournalOwnershipError,
  NetworkError,
  OperationAbortedError,
  OrderStatusUnknownError,
  PositionNotFoundError,
  RateLimitError,
  RetryableError,
  SymbolNotFoundError,
  UnsupportedExchangeError,
} from './errors';

describe('error hierarchy', () => {
  it('marks network, rate-limit and outage errors retryable, and nothing a caller must change', () => {
    const retryable = [new NetworkError('x'), new RateLimitError('x'), new ExchangeUnavailableError('x')];
    const final = [
      new InsufficientBalanceError('x'),
      new ExchangeAPIError('x'),
      new InvalidOrderError('x'),
      new InvalidLeverageError('x'),
      new PositionNotFoundError('x'),
      new AuthenticationError('x'),
      new SymbolNotFoundError('x'),
      new OrderStatusUnknownError('x', { exchange: 'binance', clientOrderId: 'abc' }),
      new UnsupportedExchangeError('x'),
      new OperationAbortedError('x', { retryable: true }),
      new AdapterClosedError('x', { retryable: true }),
    ];
    for (const error of retryable) {
      expect(error.retryable, error.name).toBe(true);
      expect(RetryableError.isInstance(error), error.name).toBe(true);
    }
    for (const error of final) {
      expect(error.retryable, error.name).toBe(false);
      expect(RetryableError.isInstance(error), error.name).toBe(false);
      expect(ExchangeError.isInstance(error), error.name).toBe(true);
    }
  });

  it('carries exchange, operation, code and cause', () => {
    const cause = new Error('upstream');
    const error = new InsufficientBalanceError('not enough USDT', {
      exchange: 'binance',
      operation: 'executeSpotBuy',
      code: '-2010',
      cause,
      asset: 'USDT',
    });
    expect(error).toMatchObject({ exchange: 'binance', operation: 'executeSpotBuy', code: '-2010', asset: 'USDT', name: 'InsufficientBalanceError' });
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain('InsufficientBalanceError');
  });

  it('keeps subclass checks exact: a leverage error is an order error, not the reverse', () => {
    const leverage = new InvalidLeverageError('too high', { maxLeverage: 125 });
    expect(InvalidOrderError.isInstance(leverage)).toBe(true);
    expect(InvalidLeverageError.isInstance(new InvalidOrderError('x'))).toBe(false);
    expect(leverage.field).toBe('leverage');
    expect(RateLimitError.isInstance(new NetworkError('x'))).toBe(false);
    expect(ExchangeError.isInstance(new Error('plain'))).toBe(false);
    expect(ExchangeError.isInstance(null)).toBe(false);
    expect(ExchangeError.isInstance('ExchangeError')).toBe(false);
  });

  it('is recognised across the ESM and CJS builds, where instanceof fails', () => {
    const require = createRequire(import.meta.url);
    const cjs = require('../dist/index.cjs') as typeof CoreModule;
    const fromCjs = new cjs.RateLimitError('slow down', { retryAfterMs: 1500 });
    expect(fromCjs instanceof RateLimitError).toBe(false);
    expect(RateLimitError.isInstance(fromCjs)).toBe(true);
    expect(RetryableError.isInstance(fromCjs)).toBe(true);
    expect(cjs.RateLimitError.isInstance(new RateLimitError('x'))).toBe(true);
    expect(cjs.NetworkError.isInstance(fromCjs)).toBe(false);
    expect(fromCjs.retryAfterMs).toBe(1500);
  });

  it('carries the error-brand helper inside its build, so once installed it depends on nothing of ours', () => {
    for (const file of ['index.mjs', 'index.cjs', 'index.d.mts', 'index.d.cts']) {
      expect(readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8'), file).not.toMatch(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']@xport\/|\brequire\(\s*["']@xport\//m);
    }
  });

  it('serialises without the cause object, which may hold request details', () => {
    const cause = Object.assign(new Error('HTTP 401'), { headers: { 'X-MBX-APIKEY': 'k3y-should-not-leak' } });
    const error = new OrderStatusUnknownError('order status unknown', {
      exchange: 'bybit',
      operation: 'executeFuturesLong',
      clientOrderId: 'xp-123',
      cause,
    });
    const json = JSON.stringify(error);
    expect(JSON.parse(json)).toEqual({
      name: 'OrderStatusUnknownError',
      message: 'order status unknown',
      exchange: 'bybit',
      operation: 'executeFuturesLong',
      retryable: false,
      clientOrderId: 'xp-123',
      cause: { name: 'Error', message: 'HTTP 401' },
    });
    expect(json).not.toContain('k3y-should-not-leak');
  });

  it('keeps the abort reason of an aborted call as its cause, and is never retryable', () => {
    const reason = new Error('caller gave up');
    const error = new OperationAbortedError('binance executeSpotBuy: aborted before anything was sent', { exchange: 'binance', operation: 'executeSpotBuy', cause: reason });
    expect(error.cause).toBe(reason);
    expect(OperationAbortedError.isInstance(error)).toBe(true);
    expect(AdapterClosedError.isInstance(error)).toBe(false);
    expect(error.retryable).toBe(false);
  });

  it('says who holds a journal entry the caller could not settle, and is final', () => {
    const error = new JournalOwnershipError('taken over', {
      key: { exchange: 'bybit', account: 'follower-3', clientOrderId: 'xp-9' },
      owner: 'copy-trader:12:ab',
      holder: 'copy-trader:99:cd',
      state: 'pending',
    });
    expect(error).toMatchObject({ exchange: 'bybit', account: 'follower-3', clientOrderId: 'xp-9', owner: 'copy-trader:12:ab', holder: 'copy-trader:99:cd', state: 'pending', retryable: false });
    expect(JournalOwnershipError.isInstance(error)).toBe(true);
    expect(ExchangeError.isInstance(error)).toBe(true);
    expect(RetryableError.isInstance(error)).toBe(false);
  });

  it('names the package to install for an unsupported exchange', () => {
    const error = new UnsupportedExchangeError('bybit is not registered: install @xport/bybit', {
      packageName: '@xport/bybit',
      supported: ['binance'],
    });
    expect(error.packageName).toBe('@xport/bybit');
    expect(error.supported).toEqual(['binance']);
  });
});
