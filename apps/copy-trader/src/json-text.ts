/** Some Windows editors start a UTF-8 file with a byte-order mark; JSON.parse refuses it. */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface JsonFault {
  /** UTF-16 offset of the first character that cannot continue a JSON text. */
  readonly offset: number;
  readonly problem: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES = '"\\/bfnrt';
const WHITESPACE = ' \t\n\r';

function found(char: string): string {
  return /[\p{L}\p{N}]/u.test(char) ? 'found unquoted text' : `found ${JSON.stringify(char)}`;
}

/** Scans a string literal starting at its opening quote: the offset after it, or the fault. */
function scanString(text: string, start: number): number | JsonFault {
  let pos = start + 1;
  for (;;) {
    const char = text[pos];
    if (char === undefined) return { offset: start, problem: 'a string is not closed' };
    if (char === '"') return pos + 1;
    if (char < ' ') return { offset: pos, problem: 'a control character inside a string (a line break is written \\n)' };
    if (char !== '\\') {
      pos += 1;
      continue;
    }
    const escape = text[pos + 1] ?? '';
    if (escape !== '' && ESCAPES.includes(escape)) pos += 2;
    else if (escape === 'u' && HEX4.test(text.slice(pos + 2, pos + 6))) pos += 6;
    else return { offset: pos, problem: 'an unknown escape inside a string' };
  }
}

/**
 * Finds where `text` stops being JSON, without keeping any of it: V8's own message quotes the text
 * around the fault, which may be a credential pasted without quotes. Iterative, so a file of a
 * million `[` cannot overflow the stack. undefined when the text is JSON.
 */
export function findJsonFault(text: string): JsonFault | undefined {
  const open: ('{' | '[')[] = [];
  let expect: 'value' | 'value or ]' | 'key' | 'key or }' | 'next' = 'value';
  let pos = 0;
  for (;;) {
    while (pos < text.length && WHITESPACE.includes(text[pos] ?? '')) pos += 1;
    const char = text[pos];
    const top = open[open.length - 1];
    if (char === undefined) return expect === 'next' && top === undefined ? undefined : { offset: pos, problem: 'the file ends before the JSON does' };
    if (expect === 'next') {
      if (top === undefined) return { offset: pos, problem: `more text after the end of the JSON value (${found(char)})` };
      const close = top === '{' ? '}' : ']';
      if (char === ',') expect = top === '{' ? 'key' : 'value';
      else if (char === close) open.pop();
      else return { offset: pos, problem: `expected "," or "${close}", ${found(char)}` };
      pos += 1;
      continue;
    }
    if ((expect === 'key or }' && char === '}') || (expect === 'value or ]' && char === ']')) {
      open.pop();
      expect = 'next';
      pos += 1;
      continue;
    }
    if (expect === 'key' || expect === 'key or }') {
      if (char !== '"') return { offset: pos, problem: `expected a field name in double quotes, ${found(char)}` };
      const end = scanString(text, pos);
      if (typeof end !== 'number') return end;
      pos = end;
      while (pos < text.length && WHITESPACE.includes(text[pos] ?? '')) pos += 1;
      if (text[pos] !== ':') return { offset: pos, problem: 'expected ":" after a field name' };
      expect = 'value';
      pos += 1;
      continue;
    }
    if (char === '{' || char === '[') {
      open.push(char);
      expect = char === '{' ? 'key or }' : 'value or ]';
      pos += 1;
      continue;
    }
    expect = 'next';
    if (char === '"') {
      const end = scanString(text, pos);
      if (typeof end !== 'number') return end;
      pos = end;
      continue;
    }
    const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, pos));
    if (literal !== undefined) {
      pos += literal.length;
      continue;
    }
    NUMBER.lastIndex = pos;
    if (NUMBER.test(text)) {
      pos = NUMBER.lastIndex;
      continue;
    }
    return { offset: pos, problem: `expected a value (a string in double quotes, a number, an object, an array, true, false or null), ${found(char)}` };
  }
}

/** `not valid JSON at line 3, column 17: …`, naming the place and never quoting the text. */
export function describeJsonSyntaxError(text: string): string {
  const fault = findJsonFault(text);
  if (fault === undefined) return 'not valid JSON';
  const before = text.slice(0, fault.offset);
  const line = before.split('\n').length;
  const column = fault.offset - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${fault.problem}`;
}
