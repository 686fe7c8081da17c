import { describe, expect, it } from 'vitest';

import { describeError } from './copy-signal';
import { redactMessage } from './redact-message';

describe('redactMessage', () => {
  it('removes a signature from a signed URL, keeping the rest of the line', () => {
    const message = 'binance GET https://api.binance.com/api/v3/account?timestamp=1795962083767&recvWindow=10000&signature=73a8f7e42607e15ed285d3e2cacce7eb fetch failed';
    expect(redactMessage(message)).toBe('binance GET https://api.binance.com/api/v3/account?timestamp=1795962083767&recvWindow=10000&signature=[REDACTED] fetch failed');
  });

  it('removes a password from a URL, and keys, tokens and signs from queries and JSON bodies', () => {
    expect(redactMessage('GET http://proxy-user:hunter2@10.0.0.1:3128/binance/api/v3/time failed')).toBe('GET http://[REDACTED]@10.0.0.1:3128/binance/api/v3/time failed');
    expect(redactMessage('https://x.test/a?apiKey=abc&symbol=BTCUSDT&sign=def')).toBe('https://x.test/a?apiKey=[REDACTED]&symbol=BTCUSDT&sign=[REDACTED]');
    expect(redactMessage('bybit {"retCode":10003,"retMsg":"API key is invalid.","apiKey": "AbCdEf123"}')).toBe('bybit {"retCode":10003,"retMsg":"API key is invalid.","apiKey": "[REDACTED]"}');
  });

  it('leaves a message without credentials unchanged', () => {
    const message = 'bitget GET http://127.0.0.1:9/bitget/api/v2/public/time fetch failed: connect ECONNREFUSED 127.0.0.1:9';
    expect(redactMessage(message)).toBe(message);
  });
});

describe('describeError', () => {
  it('redacts before printing: every table row, summary line and report goes through it', () => {
    const error = new Error('binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=deadbeef request timed out (10000 ms)\n    at fetch');
    error.name = 'NetworkError';
    expect(describeError(error)).toBe('NetworkError: binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=[REDACTED] request timed out (10000 ms)');
    expect(describeError('http://u:p4ss@h/x')).toBe('http://[REDACTED]@h/x');
  });
});
