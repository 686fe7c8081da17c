import { describe, expect, it } from 'vitest';

import { journalOwner } from './journal-owner';

describe('journalOwner', () => {
  it('names this process uniquely: label, pid and a random part', () => {
    const owner = journalOwner('copy-trader');
    expect(owner).toMatch(new RegExp(`^copy-trader:${process.pid}:[0-9a-f]{8}$`));
    expect(journalOwner('copy-trader')).not.toBe(owner);
    expect(journalOwner()).toMatch(/^xport:/);
  });

  it('refuses a label with spaces or nothing in it', () => {
    expect(() => journalOwner('copy trader')).toThrow(RangeError);
    expect(() => journalOwner('')).toThrow(RangeError);
  });
});
