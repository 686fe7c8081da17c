import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log';

describe('RequestLog', () => {
  it('keeps the newest entries up to its capacity, in arrival order, across compactions', () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 10; i++) log.record({ method: 'GET', path: `/binance/${i}`, status: 200, time: i, exchange: i % 2 ? 'bybit' : 'binance' });
    expect(log.list().map((entry) => entry.time)).toEqual([7, 8, 9]);
    expect(log.list({ exchange: 'bybit' }).map((entry) => entry.time)).toEqual([7, 9]);
    log.clear();
    expect(log.list()).toEqual([]);
  });

  it('filters by api key', () => {
    const log = new RequestLog();
    log.record({ method: 'POST', path: '/bybit/v5/order/create', status: 200, time: 1, exchange: 'bybit', apiKey: 'a' });
    log.record({ method: 'POST', path: '/bybit/v5/order/create', status: 200, time: 2, exchange: 'bybit', apiKey: 'b' });
    expect(log.list({ apiKey: 'b' }).map((entry) => entry.time)).toEqual([2]);
  });
});
