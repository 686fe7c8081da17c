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
      'followers[1].credentials.apiSecret: expected the name of an environment variable (letters, digits, _), got a value of 10 characters (not shown); the file holds the names of environment variables: put the credential itself in a variable and give its name here',
      'followers[1].credentials.passphrase: expected the name of an environment variable (letters, digits, _): bitget keys come with a passphrase, got nothing',
      'followers[2].maxNotinal: unknown field (allowed: id, exchange, credentials, positionMode, sizing, maxNotional, maxLeverage)',
      'followers[2].sizing: expected exactly one of ratio, fixedNotional, equity (e.g. { "ratio": "0.5" }), got an object with fields "ratio", "equity"',
      'followers[3]: expected an object, got "bob"',
    ]);
  });

  it('says a value was given where a variable name belongs, and never prints it', () => {
    const key = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
    const issues = issuesOf({
      followers: [
        good({ credentials: { apiKey: 'ALICE_KEY', apiSecret: `${key}+/=` } }),
        good({ id: 'b', exchange: 'bitget', credentials: { apiKey: 'B_K', apiSecret: 'B_S', passphrase: 123456 } }),
        good({ id: 'c', credentials: key }),
        good({ id: 'd', credentials: [key, key] }),
        good({ id: 'e', credentials: { apiKey: 'E_K', apiSecret: 'E_S', [key]: 'E_X', secret: 'x' } }),
      ],
    });
    const hint = 'the file holds the names of environment variables: put the credential itself in a variable and give its name here';
    expect(issues).toEqual([
      `followers[0].credentials.apiSecret: expected the name of an environment variable (letters, digits, _), got a value of 67 characters (not shown); ${hint}`,
      `followers[1].credentials.passphrase: expected the name of an environment variable (letters, digits, _): bitget keys come with a passphrase, got a number (not shown); ${hint}`,
      `followers[2].credentials: expected an object naming environment variables (apiKey, apiSecret, and passphrase for bitget), got a value of 64 characters (not shown); ${hint}`,
      'followers[3].credentials: expected an object naming environment variables (apiKey, apiSecret, and passphrase for bitget), got an array (not shown)',
      'followers[4].credentials: unknown field whose name looks like a value (not shown; allowed: apiKey, apiSecret, passphrase)',
      'followers[4].credentials.secret: unknown field (allowed: apiKey, apiSecret, passphrase)',
    ]);
    expect(issues.join('\n')).not.toContain(key.slice(0, 8));
    expect(issues.join('\n')).not.toContain('123456');
  });

  it('quotes an object or array by its shape: it may hold credentials one level down', () => {
    expect(issuesOf({ followers: { alice: { credentials: { apiKey: 'vmPUZE6mv9SD5VNHk4Hl' } } } })).toEqual(['followers: expected a non-empty array of followers, got an object with fields "alice"']);
    expect(issuesOf({ followers: [['alice', 'vmPUZE6mv9SD5VNHk4Hl']] })).toEqual(['followers[0]: expected an object, got an array of 2']);
  });

  it('accepts a byte-order mark; a syntax error names its line and column and quotes none of the text', () => {
    const text = JSON.stringify({ followers: [good()] }, null, 2);
    expect(parseFollowersJson(`\uFEFF${text}`)).toHaveLength(1);
    const pasted = text.replace('"ALICE_SECRET"', 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A');
    expect(() => parseFollowersJson(pasted, 'f.json')).toThrow(
      'f.json: not valid JSON at line 8, column 22: expected a value (a string in double quotes, a number, an object, an array, true, false or null), found unquoted text',
    );
  });

  it('refuses duplicate ids, an empty list and bad JSON', () => {
    expect(issuesOf({ followers: [good(), good()] })).toEqual(['followers[1].id: expected a unique id, got "alice" (already used by followers[0])']);
    expect(issuesOf({ followers: [] })).toEqual(['followers: expected a non-empty array of followers, got []']);
    expect(issuesOf([])).toEqual(['(top level): expected an object, got []']);
    expect(() => parseFollowersJson('{ "followers": [', 'f.json')).toThrow(/^f\.json: not valid JSON/);
  });
});
