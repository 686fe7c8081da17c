import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { describeJsonSyntaxError, findJsonFault, withoutByteOrderMark } from './json-text';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** JSON texts with one character deleted, replaced or inserted, or a trailing comma: mostly broken, sometimes still valid. */
const mutatedJson = fc
  .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom('delete', 'replace', 'insert', 'trailing comma'), fc.constantFrom(...'{}[]":,. \n\\-+0e1tfnu"ab\u0001'.split('')))
  .map(([text, at, how, char]) => {
    const index = text.length === 0 ? 0 : at % text.length;
    if (how === 'trailing comma') {
      const closers = [...text.matchAll(/[\]}]/g)].map((match) => match.index);
      const closer = closers[at % Math.max(closers.length, 1)] ?? 0;
      return `${text.slice(0, closer)},${text.slice(closer)}`;
    }
    if (how === 'delete') return text.slice(0, index) + text.slice(index + 1);
    if (how === 'replace') return text.slice(0, index) + char + text.slice(index + 1);
    return text.slice(0, index) + char + text.slice(index);
  });

describe('findJsonFault', () => {
  it('finds a fault exactly when JSON.parse refuses the text, at an offset inside it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 3 }), mutatedJson, fc.string({ unit: fc.constantFrom(...'{}[]":, 01-.eEtrufalsn\\x'.split('')) })), (text) => {
        const fault = findJsonFault(text);
        expect(fault === undefined).toBe(parses(text));
        if (fault !== undefined) expect(fault.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the line and column, never the text', () => {
    expect(describeJsonSyntaxError('{\n  "a": 1,\n  "b": sk_live_123\n}')).toBe(
      'not valid JSON at line 3, column 8: expected a value (a string in double quotes, a number, an object, an array, true, false or null), found unquoted text',
    );
    expect(describeJsonSyntaxError('{"a": 1,}')).toBe('not valid JSON at line 1, column 9: expected a field name in double quotes, found "}"');
    expect(describeJsonSyntaxError('[1 2]')).toBe('not valid JSON at line 1, column 4: expected "," or "]", found unquoted text');
    expect(describeJsonSyntaxError('{"a": "open')).toBe('not valid JSON at line 1, column 7: a string is not closed');
    expect(describeJsonSyntaxError('{"a": [')).toBe('not valid JSON at line 1, column 8: the file ends before the JSON does');
    expect(describeJsonSyntaxError('{} x')).toBe('not valid JSON at line 1, column 4: more text after the end of the JSON value (found unquoted text)');
  });

  it('survives deep nesting without recursion', () => {
    expect(findJsonFault('['.repeat(1_000_000))).toEqual({ offset: 1_000_000, problem: 'the file ends before the JSON does' });
  });
});

describe('withoutByteOrderMark', () => {
  it('drops a leading byte-order mark only', () => {
    expect(withoutByteOrderMark('\uFEFF{}')).toBe('{}');
    expect(withoutByteOrderMark('{}\uFEFF')).toBe('{}\uFEFF');
  });
});
