/**
 * The field-name → JSON-kind skeleton of an exchange answer, and the comparison of a live answer
 * against a recorded one. Values are dropped; only which fields exist and what JSON kind each holds
 * are kept, so a skeleton can be committed where the recording it came from cannot.
 */

/**
 * `numeric` is a recorded string holding a plain number. ccxt's recordings write many numbers as
 * strings (Bybit's `"retCode": "0"`, Binance's `"orderId": "9780331417"`) while others keep them
 * as numbers, so such a string says only "a string or a number": the recording cannot tell which,
 * and the digits may be chance (an `orderLinkId` that happened to be numeric).
 */
export type JsonKind = 'string' | 'numeric' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface JsonShape {
  readonly kinds: readonly JsonKind[];
  /** Objects: the shape of each named field. */
  readonly fields?: Readonly<Record<string, JsonShape>>;
  /** Objects keyed by data (an asset name) rather than by field name: the shape of every value. */
  readonly values?: JsonShape;
  /** Arrays: the shape of every element; absent when every recorded array was empty. */
  readonly items?: JsonShape;
}

export interface RecordOptions {
  /** Field names whose objects are keyed by data, e.g. Bybit's `cumFeeDetail` (`{ "USDT": "0.06" }`). */
  readonly dictionaries?: readonly string[];
  /** The example is the venue's own (its docs), so a string is a string, digits or not. */
  readonly exactStrings?: boolean;
}

/** A JSON number literal without exponent: `"00000"` (Bitget's success code) is not one. */
const PLAIN_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The skeleton of one recorded answer. */
export function recordedShape(value: unknown, options: RecordOptions = {}, fieldName?: string): JsonShape {
  if (value === null) return { kinds: ['null'] };
  if (typeof value === 'string') return { kinds: [!options.exactStrings && PLAIN_NUMBER.test(value) ? 'numeric' : 'string'] };
  if (typeof value === 'number') return { kinds: ['number'] };
  if (typeof value === 'boolean') return { kinds: ['boolean'] };
  if (Array.isArray(value)) {
    const items = value.map((item) => recordedShape(item, options));
    const merged = items.reduce<JsonShape | undefined>((acc, item) => (acc ? mergeShapes(acc, item) : item), undefined);
    return merged ? { kinds: ['array'], items: merged } : { kinds: ['array'] };
  }
  if (!isRecord(value)) throw new Error(`not JSON: a ${typeof value}`);
  if (fieldName !== undefined && options.dictionaries?.includes(fieldName)) {
    const values = Object.values(value).map((entry) => recordedShape(entry, options));
    const merged = values.reduce<JsonShape | undefined>((acc, entry) => (acc ? mergeShapes(acc, entry) : entry), undefined);
    return merged ? { kinds: ['object'], values: merged } : { kinds: ['object'] };
  }
  const fields: Record<string, JsonShape> = {};
  for (const [key, entry] of Object.entries(value)) fields[key] = recordedShape(entry, options, key);
  return { kinds: ['object'], fields };
}

const KIND_ORDER: readonly JsonKind[] = ['string', 'numeric', 'number', 'boolean', 'null', 'object', 'array'];

/**
 * Two recordings of one endpoint: every field either shows is expected, with every kind either
 * shows. A real number beats a numeric string: the string may be the recorder's rewriting, the
 * number cannot be.
 */
export function mergeShapes(a: JsonShape, b: JsonShape): JsonShape {
  const kinds = new Set([...a.kinds, ...b.kinds]);
  if (kinds.has('number')) kinds.delete('numeric');
  const out: { kinds: JsonKind[]; fields?: Record<string, JsonShape>; values?: JsonShape; items?: JsonShape } = {
    kinds: KIND_ORDER.filter((kind) => kinds.has(kind)),
  };
  if (a.fields || b.fields) {
    const fields: Record<string, JsonShape> = { ...a.fields };
    for (const [key, shape] of Object.entries(b.fields ?? {})) {
      const known = fields[key];
      fields[key] = known ? mergeShapes(known, shape) : shape;
    }
    out.fields = fields;
  }
  const values = a.values && b.values ? mergeShapes(a.values, b.values) : (a.values ?? b.values);
  if (values) out.values = values;
  const items = a.items && b.items ? mergeShapes(a.items, b.items) : (a.items ?? b.items);
  if (items) out.items = items;
  return out;
}

export interface ShapeReport {
  /** Recorded fields the answer lacks. */
  readonly missing: string[];
  /** Fields whose JSON kind differs from every recorded kind (or arrays left empty). */
  readonly mismatched: string[];
  /** Fields the answer has and no recording shows: allowed, reported. */
  readonly extra: string[];
}

function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

function accepts(expected: readonly JsonKind[], value: unknown): boolean {
  const kind = kindOf(value);
  if (expected.length === 1 && expected[0] === 'null') return true; // only ever recorded empty
  if (expected.includes(kind)) return true;
  return expected.includes('numeric') && (kind === 'number' || kind === 'string');
}

function describeValue(value: unknown): string {
  const kind = kindOf(value);
  return kind === 'string' ? `string ${JSON.stringify(value)}` : kind;
}

/** Where a live answer departs from a recorded skeleton; paths read like `result.list[].orderId`. */
export function compareShape(expected: JsonShape, actual: unknown, path = '$'): ShapeReport {
  const report: ShapeReport = { missing: [], mismatched: [], extra: [] };
  walk(expected, actual, path, report);
  return report;
}

function walk(expected: JsonShape, actual: unknown, path: string, report: ShapeReport): void {
  if (!accepts(expected.kinds, actual)) {
    report.mismatched.push(`${path}: recorded ${expected.kinds.join(' | ')}, answered ${describeValue(actual)}`);
    return;
  }
  if (Array.isArray(actual)) {
    if (!expected.items) return;
    if (actual.length === 0) {
      report.mismatched.push(`${path}: answered an empty array where the recording has entries`);
      return;
    }
    for (const item of actual) walk(expected.items, item, `${path}[]`, report);
    return;
  }
  if (!isRecord(actual)) return;
  if (expected.values) {
    for (const [key, value] of Object.entries(actual)) walk(expected.values, value, `${path}.${key}`, report);
    return;
  }
  if (!expected.fields) return;
  for (const [key, shape] of Object.entries(expected.fields)) {
    if (!(key in actual)) report.missing.push(`${path}.${key}`);
    else walk(shape, actual[key], `${path}.${key}`, report);
  }
  for (const key of Object.keys(actual)) {
    if (!(key in expected.fields)) report.extra.push(`${path}.${key}`);
  }
}
