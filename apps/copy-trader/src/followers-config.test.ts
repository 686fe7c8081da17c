import { describe, expect, it } from 'vitest';

import { CopyTraderConfigError } from './config-error';
import { parseFollowersConfig, parseFollowersJson } from './followers-config';

const good = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'alice',
  exchange: 'binance',
  credentials: { apiKey: 'ALICE_KEY', apiSecret: 'ALICE_SECRET' },
  sizing: { ratio: '0.5' },
  ...overrides,
});

function issuesOf(document: unknown): readonly string[] {
  try {
    parseFollowersConfig(document);
  } catch (error) {
    if (error instanceof CopyTraderConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

describe('parseFollowersConfig', () => {
  it('reads every sizing rule and the caps', () => {
    const followers = parseFollowersConfig({
      followers: [
        good({ maxNotional: '1000', maxLeverage: 5, positionMode: 'hedge' }),
        good({ id: 'bob', exchange: 'bitget', credentials: { apiKey: 'B_K', apiSecret: 'B_S', passphrase: 'B_P' }, sizing: { fixedNotional: '100' } }),
        good({ id: 'carol', exchange: 'bybit', sizing: { equity: '1.5' } }),
      ],
    });
    expect(followers.map((follower) => [follower.id, follower.sizing.rule, follower.maxNotional?.toFixed(), follower.maxLeverage, follower.positionMode])).toEqual([
      ['alice', 'ratio', '1000', 5, 'hedge'],
      ['bob', 'fixedNotional', undefined, undefined, undefined],
      ['carol', 'equity', undefined, undefined, undefined],
    ]);
    expect(followers[1]?.credentials).toEqual({ apiKey: 'B_K', apiSecret: 'B_S', passphrase: 'B_P' });
  });

  it('names the follower, the field and what was expected', () => {
    const followers = [good(), good({ id: 'b' }), good({ id: 'c' }), good({ id: 'd', sizing: { ratio: 'abc' } })];
    expect(issuesOf({ followers })).toEqual(['followers[3].sizing.ratio: expected a positive decimal string, got "abc"']);
  });

  it('reports every problem in one pass', () => {
    const issues = issuesOf({
      followers: [
        good({ exchange: 'kraken', maxLeverage: 0, maxNotional: 1000 }),
        good({ id: 'x', exchange: 'bitget', credentials: { apiKey: 'K', apiSecret: 'not a name' } }),
        good({ id: 'alice', sizing: { ratio: '1', equity: '1' }, maxNotinal: '5' }),
        'bob',
      ],
    });
    expect(issues).toEqual([
      'followers[0].exchange: expected one of binance, bybit, bitget, got "kraken"',
      'followers[0].maxNotional: expected a positive decimal string, got 1000',
      'followers[0].maxLeverage: expected an integer from 1 to 200, got 0',
      'followers[1].credentials.apiSecret: expected the name of an environment variable (letters, digits, _), got "not a name"',
      'followers[1].credentials.passphrase: expected the name of an environment variable (letters, digits, _): bitget keys come with a passphrase, got nothing',
      'followers[2].maxNotinal: unknown field (allowed: id, exchange, credentials, positionMode, sizing, maxNotional, maxLeverage)',
      'followers[2].sizing: expected exactly one of ratio, fixedNotional, equity (e.g. { "ratio": "0.5" }), got {"ratio":"1","equity":"1"}',
      'followers[3]: expected an object, got "bob"',
    ]);
  });

  it('refuses duplicate ids, an empty list and bad JSON', () => {
    expect(issuesOf({ followers: [good(), good()] })).toEqual(['followers[1].id: expected a unique id, got "alice" (already used by followers[0])']);
    expect(issuesOf({ followers: [] })).toEqual(['followers: expected a non-empty array of followers, got []']);
    expect(issuesOf([])).toEqual(['(top level): expected an object, got []']);
    expect(() => parseFollowersJson('{ "followers": [', 'f.json')).toThrow(/^f\.json: not valid JSON/);
  });
});
