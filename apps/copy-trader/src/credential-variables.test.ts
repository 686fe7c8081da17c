import { describe, expect, it } from 'vitest';

import { describeHiddenValue, isShowableVariableName } from './credential-variables';

describe('isShowableVariableName', () => {
  it('shows conventional names and hides what may be a key, a secret or a passphrase', () => {
    for (const name of ['ALICE_KEY', 'CT_BINANCE_SECRET', 'BINANCE_API_KEY_2', 'K', '_PASS']) expect(isShowableVariableName(name), name).toBe(true);
    for (const value of [
      'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A', // Binance-style key
      'bg_0123456789abcdef0123456789abcdef', // Bitget-style key
      'XQKF3N7P2M9T4L8WQZ', // an upper-case key
      'hunter2', // a passphrase
      'alice_key', // a lower-case name: not shown either, the message says why
    ]) {
      expect(isShowableVariableName(value), value).toBe(false);
    }
  });
});

describe('describeHiddenValue', () => {
  it('gives the kind and length, never the content', () => {
    expect([undefined, null, '', ' ', 'secret', 42, true, {}, []].map(describeHiddenValue)).toEqual([
      'nothing',
      'null',
      'an empty string',
      'an empty string',
      'a value of 6 characters (not shown)',
      'a number (not shown)',
      'a boolean (not shown)',
      'an object (not shown)',
      'an array (not shown)',
    ]);
  });
});
