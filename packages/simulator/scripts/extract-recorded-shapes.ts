/**
 * Writes test/fixtures/recorded-shapes.json: for each simulator endpoint that ccxt has a recorded
 * exchange answer for, the field-name → JSON-kind skeleton of that answer (no values). The shape
 * test (src/response-shapes.test.ts) compares the simulator's answers with it. Endpoints ccxt has
 * no recording of (markets, leverage, position mode) take the response example of the venue's own
 * documentation instead, where a checkout of it is given.
 *
 *   npx tsx scripts/extract-recorded-shapes.ts <ccxt>/ts/src/test/static/response \
 *     --commit binance=<sha> --commit bybit=<sha> --commit bitget=<sha> \
 *     --docs bybit=<bybit-exchange/docs checkout>@<sha> --docs binance=<binance-spot-api-docs checkout>@<sha>
 *
 * The directory holds ccxt's binance.json, bybit.json and bitget.json; `--commit` names the ccxt
 * commit each was read at, for the source links. Run by hand when the recordings or the docs
 * change; CI never runs it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeShapes, recordedShape, type JsonShape, type RecordOptions } from '../src/test-support/json-shape';

type Venue = 'binance' | 'bybit' | 'bitget';

interface Omission {
  /** Dotted path below the answer, `[]` for array elements: `result.list[].nextPageCursor`. */
  readonly path: string;
  readonly why: string;
}

interface EndpointSource {
  /** Method and path on the venue, with a market when one path serves several: `GET /v5/order/realtime (linear)`. */
  readonly endpoint: string;
  /** ccxt method name → the descriptions of its recorded cases to take. */
  readonly recorded: Readonly<Record<string, readonly string[]>>;
  /** The recorded answer lists several orders where the endpoint answers one: take one element. */
  readonly element?: true;
  readonly omit?: readonly Omission[];
  /** Why a recording of another call stands for this endpoint. */
  readonly note?: string;
}

const BYBIT_CURSOR: Omission = {
  path: 'result.list[].nextPageCursor',
  why:
    "ccxt copies the page cursor into the answer's list entries before the recorder saves it (bybit.ts addPaginationCursorToResult); Bybit sends it beside the list only",
};

const BYBIT_ORDER_OBJECT =
  'Bybit documents one order object for /v5/order/realtime and /v5/order/history, so the recorded lookups stand for both';

const SOURCES: Readonly<Record<Venue, readonly EndpointSource[]>> = {
  binance: [
    {
      endpoint: 'POST /api/v3/order',
      recorded: { createOrder: ['spot +selfTradePrevention +iceberg'] },
      omit: [{ path: 'icebergQty', why: 'present because the recorded order asked for an iceberg; a market order without one has no such field' }],
    },
    {
      endpoint: 'POST /fapi/v1/order',
      recorded: { createOrders: ['create swap orders'] },
      element: true,
      note: 'the batch endpoint answers each order as the single-order endpoint does',
    },
    { endpoint: 'GET /api/v3/order', recorded: { fetchOrder: ['Fetch spot closed order'] } },
    {
      endpoint: 'GET /fapi/v1/order',
      recorded: { fetchOpenOrder: ['swap open order'] },
      note: 'recorded from GET /fapi/v1/openOrder, which answers the same order object as GET /fapi/v1/order',
    },
    { endpoint: 'GET /api/v3/account', recorded: { fetchBalance: ['Spot balance'] } },
    { endpoint: 'GET /fapi/v2/account', recorded: { fetchBalance: ['Linear swap balance'] } },
    { endpoint: 'GET /fapi/v3/account', recorded: { fetchPositions: ['Fetch linear positions using account endnpoint'] } },
    {
      endpoint: 'GET /fapi/v3/positionRisk',
      recorded: { fetchPositions: ['Fetch linear positions without symbols', 'Fetch linear positions with symbols'] },
    },
    { endpoint: 'GET /api/v3/myTrades', recorded: { fetchMyTrades: ['Spot private trade'] } },
    { endpoint: 'GET /fapi/v1/userTrades', recorded: { fetchMyTrades: ['Swap private trade'] } },
    { endpoint: 'GET /fapi/v1/symbolConfig', recorded: { fetchMarginMode: ['linear swap fetch margin mode'] } },
  ],
  bybit: [
    { endpoint: 'POST /v5/order/create (spot)', recorded: { createOrder: ['spot stopLossPrice order', 'create spot order'] } },
    {
      endpoint: 'POST /v5/order/create (linear)',
      recorded: { createOrder: ['spot stopLossPrice order', 'create spot order'] },
      note: 'Bybit documents one answer, the order id and link id, for every category',
    },
    {
      endpoint: 'GET /v5/order/realtime (spot)',
      recorded: { fetchOrder: ['fetch spot buy closed order', 'Spot sell closed order'] },
      omit: [BYBIT_CURSOR],
      note: BYBIT_ORDER_OBJECT,
    },
    {
      endpoint: 'GET /v5/order/history (spot)',
      recorded: { fetchOrder: ['fetch spot buy closed order', 'Spot sell closed order'] },
      omit: [BYBIT_CURSOR],
      note: BYBIT_ORDER_OBJECT,
    },
    { endpoint: 'GET /v5/order/realtime (linear)', recorded: { fetchOpenOrder: ['Fetch an open swap order by its ID and symbol'] } },
    {
      endpoint: 'GET /v5/order/history (linear)',
      recorded: {
        fetchClosedOrder: ['Fetch swap closed order by its ID and symbol'],
        fetchClosedOrders: ['Fetch swap closed orders by the symbol'],
      },
    },
    { endpoint: 'GET /v5/account/wallet-balance', recorded: { fetchBalance: ['balance after availableToWithdraw update'] } },
    {
      endpoint: 'GET /v5/position/list',
      recorded: { fetchPositions: ['Fetch linear position'], fetchPosition: ['linear position'] },
      omit: [BYBIT_CURSOR],
    },
  ],
  bitget: [
    { endpoint: 'POST /api/v2/spot/trade/place-order', recorded: { createOrder: ['create spot order'] } },
    {
      endpoint: 'POST /api/v2/mix/order/place-order',
      recorded: { createOrder: ['create spot order'] },
      note: 'ccxt records no classic-account futures placement; Bitget documents the same answer, the order id and client id, as for spot',
    },
    { endpoint: 'GET /api/v2/spot/trade/orderInfo', recorded: { fetchOrder: ['fetch spot order'] } },
    { endpoint: 'GET /api/v2/mix/order/detail', recorded: { fetchOrder: ['swap market buy', 'Swap market sell', 'swap reduceOnly sell order'] } },
    { endpoint: 'GET /api/v2/spot/account/assets', recorded: { fetchBalance: ['spot balance'] } },
    { endpoint: 'GET /api/v2/mix/account/account', recorded: { fetchLeverage: ['fetch leverage'], fetchMarginMode: ['fetch linear swap margin mode'] } },
    { endpoint: 'GET /api/v2/mix/position/all-position', recorded: { fetchPositions: ['Linear position'] } },
    { endpoint: 'GET /api/v2/mix/position/single-position', recorded: { fetchPosition: ['fetch position'] } },
  ],
};

interface DocumentedSource {
  readonly endpoint: string;
  /** File inside the docs checkout. */
  readonly file: string;
  /** Markers found in turn (a heading, then what precedes the block), then the first code block after them. */
  readonly markers: readonly string[];
  /** Where readers find the same example. */
  readonly page: string;
  readonly omit?: readonly Omission[];
}

type DocsVenue = 'binance' | 'bybit';

const DOCUMENTED: Readonly<Record<DocsVenue, readonly DocumentedSource[]>> = {
  binance: [
    {
      endpoint: 'GET /api/v3/exchangeInfo',
      file: 'rest-api.md',
      markers: ['### Exchange information', '**Response:**'],
      page: 'https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information',
      omit: [{ path: 'sors', why: 'documented as present only where smart order routing is available; the simulator routes none' }],
    },
  ],
  bybit: [
    {
      endpoint: 'GET /v5/market/instruments-info (linear)',
      file: 'docs/v5/market/instrument.mdx',
      markers: ['### Response Example', '<TabItem value="linear"'],
      page: 'https://bybit-exchange.github.io/docs/v5/market/instrument',
    },
    {
      endpoint: 'GET /v5/market/instruments-info (spot)',
      file: 'docs/v5/market/instrument.mdx',
      markers: ['### Response Example', '<TabItem value="spot"'],
      page: 'https://bybit-exchange.github.io/docs/v5/market/instrument',
    },
    { endpoint: 'POST /v5/position/set-leverage', file: 'docs/v5/position/leverage.mdx', markers: ['### Response Example'], page: 'https://bybit-exchange.github.io/docs/v5/position/leverage' },
    { endpoint: 'POST /v5/position/switch-mode', file: 'docs/v5/position/position-mode.mdx', markers: ['### Response Example'], page: 'https://bybit-exchange.github.io/docs/v5/position/position-mode' },
  ],
};

/** Drops `//` comments outside strings: the docs annotate their JSON examples. */
function withoutComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += char;
  }
  return out;
}

/** The first JSON object of the first code block after the markers. */
function documentedExample(markdown: string, source: Pick<DocumentedSource, 'markers' | 'endpoint'>): unknown {
  let at = 0;
  for (const marker of source.markers) {
    at = markdown.indexOf(marker, at);
    if (at === -1) throw new Error(`${source.endpoint}: no "${marker}"`);
  }
  const open = markdown.indexOf('```', at);
  const bodyStart = markdown.indexOf('\n', open) + 1;
  const close = markdown.indexOf('```', bodyStart);
  if (open === -1 || close === -1) throw new Error(`${source.endpoint}: no code block`);
  const code = withoutComments(markdown.slice(bodyStart, close));
  const start = code.indexOf('{');
  let depth = 0;
  for (let i = start; i < code.length; i++) {
    if (code[i] === '"') {
      // skip the string, escapes included
      for (i++; i < code.length && code[i] !== '"'; i++) if (code[i] === '\\') i++;
    } else if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return JSON.parse(code.slice(start, i + 1)) as unknown;
  }
  throw new Error(`${source.endpoint}: unbalanced example`);
}

/** Objects keyed by asset, not by field name. */
const RECORD_OPTIONS: RecordOptions = { dictionaries: ['cumFeeDetail'] };

interface RecordedCase {
  readonly description: string;
  readonly httpResponse: unknown;
}

function recordedCases(file: unknown, venue: Venue): Readonly<Record<string, readonly RecordedCase[]>> {
  const methods = (file as { methods?: unknown }).methods;
  if (typeof methods !== 'object' || methods === null) throw new Error(`${venue}.json has no "methods"`);
  return methods as Record<string, RecordedCase[]>;
}

function omitPath(shape: JsonShape, path: readonly string[], endpoint: string): JsonShape {
  const [head, ...rest] = path;
  if (head === undefined) throw new Error(`${endpoint}: empty omission path`);
  if (head.endsWith('[]')) {
    const field = head.slice(0, -2);
    const fields = shape.fields ?? {};
    const inner = fields[field]?.items;
    if (!inner || rest.length === 0) throw new Error(`${endpoint}: nothing below ${head} to omit`);
    return { ...shape, fields: { ...fields, [field]: { kinds: ['array'], items: omitPath(inner, rest, endpoint) } } };
  }
  if (!shape.fields || !(head in shape.fields)) throw new Error(`${endpoint}: nothing at ${head} to omit`);
  const { [head]: target, ...others } = shape.fields;
  if (rest.length === 0) return { ...shape, fields: others };
  if (!target) throw new Error(`${endpoint}: nothing at ${head} to omit`);
  return { ...shape, fields: { ...shape.fields, [head]: omitPath(target, rest, endpoint) } };
}

function endpointShape(cases: Readonly<Record<string, readonly RecordedCase[]>>, source: EndpointSource): JsonShape {
  let shape: JsonShape | undefined;
  for (const [method, descriptions] of Object.entries(source.recorded)) {
    for (const description of descriptions) {
      const found = cases[method]?.find((entry) => entry.description === description);
      if (!found) throw new Error(`${source.endpoint}: no recorded ${method} "${description}"`);
      let answer = found.httpResponse;
      if (source.element) {
        if (!Array.isArray(answer) || answer.length === 0) throw new Error(`${source.endpoint}: ${method} "${description}" is not a list`);
        answer = answer[0];
      }
      const next = recordedShape(answer, RECORD_OPTIONS);
      shape = shape ? mergeShapes(shape, next) : next;
    }
  }
  if (!shape) throw new Error(`${source.endpoint}: no recordings named`);
  for (const omission of source.omit ?? []) {
    // `result.list[].x` → ['result', 'list[]', 'x']
    shape = omitPath(shape, omission.path.split('.'), source.endpoint);
  }
  return shape;
}

interface Args {
  readonly dir: string;
  readonly commits: Partial<Record<Venue, string>>;
  readonly docs: Partial<Record<DocsVenue, { readonly path: string; readonly commit: string }>>;
}

const SHA = /^[0-9a-f]{40}$/;

function parseArgs(argv: readonly string[]): Args {
  const [dir, ...rest] = argv;
  if (dir === undefined || dir.startsWith('--')) {
    throw new Error('usage: extract-recorded-shapes <ccxt static response dir> [--commit venue=sha]... [--docs venue=path@sha]...');
  }
  const commits: Partial<Record<Venue, string>> = {};
  const docs: Partial<Record<DocsVenue, { path: string; commit: string }>> = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const [venue, value = ''] = (rest[++i] ?? '').split('=');
    if (flag === '--commit') {
      if ((venue !== 'binance' && venue !== 'bybit' && venue !== 'bitget') || !SHA.test(value)) throw new Error('--commit takes venue=<40-hex sha>');
      commits[venue] = value;
    } else if (flag === '--docs') {
      const [path, commit = ''] = value.split('@');
      if ((venue !== 'binance' && venue !== 'bybit') || !path || !SHA.test(commit)) throw new Error('--docs takes binance|bybit=<path>@<40-hex sha>');
      docs[venue] = { path, commit };
    } else throw new Error(`unknown argument ${String(flag)}`);
  }
  return { dir, commits, docs };
}

const DOCS_REPOS: Readonly<Record<DocsVenue, string>> = {
  binance: 'https://github.com/binance/binance-spot-api-docs/blob',
  bybit: 'https://github.com/bybit-exchange/docs/blob',
};

function documentedEndpoints(venue: Venue, docs: Args['docs']): Record<string, unknown> {
  if (venue === 'bitget') return {};
  const checkout = docs[venue];
  if (!checkout) return {};
  const endpoints: Record<string, unknown> = {};
  for (const source of DOCUMENTED[venue]) {
    const example = documentedExample(readFileSync(join(checkout.path, source.file), 'utf8'), source);
    let shape = recordedShape(example, { ...RECORD_OPTIONS, exactStrings: true });
    for (const omission of source.omit ?? []) shape = omitPath(shape, omission.path.split('.'), source.endpoint);
    endpoints[source.endpoint] = {
      from: [`documented example: ${source.page}`],
      source: `${DOCS_REPOS[venue]}/${checkout.commit}/${source.file}`,
      ...(source.omit === undefined ? {} : { omitted: source.omit }),
      shape,
    };
  }
  return endpoints;
}

function main(): void {
  const { dir, commits, docs } = parseArgs(process.argv.slice(2));
  const venues: Record<string, unknown> = {};
  for (const venue of Object.keys(SOURCES) as Venue[]) {
    const cases = recordedCases(JSON.parse(readFileSync(join(dir, `${venue}.json`), 'utf8')), venue);
    const recording = `https://github.com/ccxt/ccxt/blob/${commits[venue] ?? 'master'}/ts/src/test/static/response/${venue}.json`;
    const endpoints: Record<string, unknown> = {};
    for (const source of SOURCES[venue]) {
      endpoints[source.endpoint] = {
        from: Object.entries(source.recorded).flatMap(([method, descriptions]) => descriptions.map((d) => `ccxt ${method}: ${d}`)),
        source: recording,
        ...(source.note === undefined ? {} : { note: source.note }),
        ...(source.omit === undefined ? {} : { omitted: source.omit }),
        shape: endpointShape(cases, source),
      };
    }
    venues[venue] = { endpoints: { ...endpoints, ...documentedEndpoints(venue, docs) } };
  }
  const fixture = {
    about:
      "Field-name → JSON-kind skeletons of ccxt's recorded exchange answers (httpResponse), or of the venue's documented example where ccxt has none, per simulator endpoint; no values. " +
      'Generated by scripts/extract-recorded-shapes.ts: edit the script, not this file.',
    kinds:
      "numeric: the recording holds a string with a plain number; ccxt's recordings write many numbers as strings, so a string or a number is accepted; " +
      'null alone: only ever recorded empty, anything is accepted; values: an object keyed by asset, each value has this shape.',
    venues,
  };
  const out = join(__dirname, '..', 'test', 'fixtures', 'recorded-shapes.json');
  // One line per leaf (`{ "kinds": ["numeric"] }`) keeps the file short enough to review.
  const text = JSON.stringify(fixture, null, 2).replace(/\{\s*"kinds": \[([^\]]*)\]\s*\}/g, (_, kinds: string) => `{ "kinds": [${kinds.replace(/\s+/g, ' ').trim()}] }`);
  writeFileSync(out, `${text}\n`);
  console.log(`wrote ${out}`);
}

main();
