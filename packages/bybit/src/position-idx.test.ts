import { describe, expect, it } from 'vitest';

import { positionIdxFor, positionModeOf } from './position-idx';

describe('positionIdxFor', () => {
  it.each([
    ['oneway', 'long', 0],
    ['oneway', 'short', 0],
    ['oneway', undefined, 0],
    ['hedge', 'long', 1],
    ['hedge', 'short', 2],
  ] as const)('%s %s → %i', (mode, side, idx) => {
    expect(positionIdxFor(mode, side)).toBe(idx);
  });

  it('refuses to guess the leg of a hedge-mode order', () => {
    expect(() => positionIdxFor('hedge', undefined)).toThrow(TypeError);
  });
});

describe('positionModeOf', () => {
  it.each([
    [[0], 'oneway'],
    [['0'], 'oneway'],
    [[1, 2], 'hedge'],
    [['1', '2'], 'hedge'],
    [[2], 'hedge'],
    [[], 'oneway'],
    [[undefined], 'oneway'],
  ] as const)('%j → %s', (idxs, mode) => {
    expect(positionModeOf(idxs)).toBe(mode);
  });
});
