import { readFile } from 'node:fs/promises';

import { isDecimal } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { schemaFileTexts } from './config-schema';
import { parseFollowersConfig } from './followers-config';
import { parseSignalsJsonl } from './signals';

describe('the published JSON Schemas', () => {
  it('are what the zod definitions generate (`pnpm run schema` rewrites them)', async () => {
    for (const [name, text] of Object.entries(schemaFileTexts())) {
      const committed = await readFile(new URL(`../schema/${name}`, import.meta.url), 'utf8');
      expect(committed, `schema/${name} is stale: run \`npx pnpm@10.34.9 --filter @xport/copy-trader run schema\``).toBe(text);
    }
  });

  it('describe the rules the CLI enforces: fields, enums, decimal strings, exactly one sizing rule, the passphrase venues', () => {
    const followers = JSON.parse(schemaFileTexts()['followers.schema.json'] ?? '{}') as Record<string, unknown>;
    const text = JSON.stringify(followers);
    expect(followers.required).toEqual(['followers']);
    expect(text).toContain('"enum":["binance","bybit","bitget"]');
    expect(text).toContain('"minProperties":1,"maxProperties":1');
    expect(text).toContain('"then":{"properties":{"credentials":{"required":["passphrase"]}}}');
    const signals = JSON.parse(schemaFileTexts()['signals.schema.json'] ?? '{}') as { oneOf: { properties: { action: { const: string } }; required: string[] }[] };
    expect(signals.oneOf.map((option) => [option.properties.action.const, option.required.includes('leverage')])).toEqual([
      ['spotBuy', false],
      ['spotSell', false],
      ['futuresLong', true],
      ['futuresShort', true],
      ['closeLong', false],
      ['closeShort', false],
      ['reduceLong', false],
      ['reduceShort', false],
    ]);
  });

  it('a followers file may name its schema; decimals are read as Decimal, never as numbers', () => {
    const [follower] = parseFollowersConfig({
      $schema: './node_modules/@xport/copy-trader/schema/followers.schema.json',
      followers: [{ id: 'a', exchange: 'binance', credentials: { apiKey: 'A_KEY', apiSecret: 'A_SECRET' }, sizing: { ratio: '0.5' }, maxNotional: '100.10' }],
    });
    expect(isDecimal(follower?.maxNotional)).toBe(true);
    expect(follower?.sizing).toMatchObject({ rule: 'ratio' });
    expect(follower?.sizing.rule === 'ratio' && isDecimal(follower.sizing.ratio) ? follower.sizing.ratio.toFixed() : undefined).toBe('0.5');
    const [signal] = parseSignalsJsonl('{"id":"s1","action":"spotBuy","symbol":"BTCUSDT","quantity":"0.000000001","price":"65000.5","masterEquity":"1e6"}');
    expect(signal !== undefined && 'price' in signal ? [signal.quantity.toFixed(), signal.price.toFixed(), signal.masterEquity.toFixed()] : []).toEqual(['0.000000001', '65000.5', '1000000']);
    expect(() => parseSignalsJsonl('{"id":"s1","action":"spotBuy","symbol":"BTCUSDT","quantity":"0","price":"-1","masterEquity":"1e99999999999999999"}', 's.jsonl')).toThrow(
      [
        's.jsonl: 3 problems',
        '  line 1: quantity: expected a positive decimal string, got "0"',
        '  line 1: price: expected a positive decimal string, got "-1"',
        '  line 1: masterEquity: expected a positive decimal string, got "1e99999999999999999"',
      ].join('\n'),
    );
  });
});
