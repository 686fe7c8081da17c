import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import { Decimal } from './decimal';
import { logEvent } from './logger';
import type { LogFields, Logger } from './logger';
import { redact, redactText, redactUrls } from './redact';
import { Secret } from './secret';

const recorder = (): Logger & { lines: [string, LogFields, string | undefined][] } => {
  const lines: [string, LogFields, string | undefined][] = [];
  const at = (level: string) => (fields: LogFields, message?: string) => {
    lines.push([level, fields, message]);
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

describe('secrets never leak', () => {
  it('a Secret prints, serialises and inspects as [REDACTED]', () => {
    const secret = new Secret('sup3r-s3cret-value');
    const holder = { apiSecret: secret, nested: { list: [secret] } };
    expect(String(secret)).toBe('[REDACTED]');
    expect(`key=${secret.toString()}`).toBe('key=[REDACTED]');
    expect(JSON.stringify(holder)).not.toContain('sup3r');
    expect(inspect(holder, { depth: 10, showHidden: true })).not.toContain('sup3r');
    expect(secret.reveal()).toBe('sup3r-s3cret-value');
  });

  it('redact() blanks credential-named keys at any depth and formats decimals', () => {
    const out = redact({
      apiKey: 'k',
      headers: { 'X-MBX-APIKEY': 'k', 'ACCESS-PASSPHRASE': 'p' },
      params: { signature: 's', quantity: new Decimal('0.010') },
      passphrase: 'p',
    });
    expect(out).toEqual({
      apiKey: '[REDACTED]',
      headers: { 'X-MBX-APIKEY': '[REDACTED]', 'ACCESS-PASSPHRASE': '[REDACTED]' },
      params: { signature: '[REDACTED]', quantity: '0.01' },
      passphrase: '[REDACTED]',
    });
  });

  it('redactText() removes known secret values from upstream messages', () => {
    expect(redactText('bad key AKIA1234 used', ['AKIA1234'])).toBe('bad key [REDACTED] used');
  });

  it('redactUrls() blanks the userinfo and the query of every URL in a text, and keeps where it went', () => {
    const signed = 'binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=9f86d081884c request timed out (10000 ms)';
    expect(redactUrls(signed)).toBe('binance GET https://api.binance.com/api/v3/account?[REDACTED] request timed out (10000 ms)');
    expect(redactUrls('via http://proxy-user:hunter2@10.0.0.1:3128/binance/api/v3/order failed')).toBe('via http://[REDACTED]@10.0.0.1:3128/binance/api/v3/order failed');
    // An unescaped "@" in a pasted password, and a URL too broken to parse, are blanked all the same.
    expect(redactUrls('http://user:p@ss@host/x?a=1')).toBe('http://[REDACTED]@host/x?[REDACTED]');
    expect(redactUrls('"http://user:pass@[::1"')).toBe('"http://[REDACTED]@[::1"');
    expect(redactUrls('socks5://me:secret@proxy:1080')).toBe('socks5://[REDACTED]@proxy:1080');
    expect(redactUrls('no url here, and https://api.bybit.com/v5 is fine')).toBe('no url here, and https://api.bybit.com/v5 is fine');
  });

  it('logEvent writes a structured line with the event name and no credentials', () => {
    const logger = recorder();
    logEvent(logger, 'info', 'exchange.order.placed', { exchange: 'bybit', apiSecret: 'zzz', secret: new Secret('zzz') });
    expect(logger.lines).toEqual([
      ['info', { event: 'exchange.order.placed', exchange: 'bybit', apiSecret: '[REDACTED]', secret: '[REDACTED]' }, 'exchange.order.placed'],
    ]);
  });
});
