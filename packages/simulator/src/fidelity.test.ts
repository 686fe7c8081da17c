import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_BUDGETS } from './rate-limit-budgets';
import { VENUE_RULE_CHOICES } from './venue-rules';
import { VENUE_NAMES } from './venues/registry';

/**
 * Keeps FIDELITY.md honest mechanically: every row names a test file that exists, every quoted test
 * title is found in the file it follows, and every code the venue modules can send has a row in
 * "Every code the simulator sends". Deliberately shallow: tables are split on `|`, codes are read with
 * a regex over the known builder calls, no TypeScript is parsed.
 */
const PACKAGE_ROOT = resolve(__dirname, '..');
const REPO_ROOT = resolve(PACKAGE_ROOT, '../..');
const VENUES_DIR = join(PACKAGE_ROOT, 'src/venues');
const FIDELITY = readFileSync(join(PACKAGE_ROOT, 'FIDELITY.md'), 'utf8');
const CODES_SECTION = 'Every code the simulator sends';
const COLUMNS = ['venue', 'rule', 'simulator', 'source', 'pinned by'];

interface Table {
  readonly section: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

function tablesOf(markdown: string): Table[] {
  const tables: Table[] = [];
  let section = '';
  let current: { section: string; header: string[]; rows: string[][] } | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    const cells = cellsOf(line);
    if (current === undefined) {
      current = { section, header: cells, rows: [] };
      tables.push(current);
    } else if (!cells.every((cell) => /^:?-+:?$/.test(cell))) {
      current.rows.push(cells);
    }
  }
  return tables;
}

/** `src/…` and bare paths are under this package; `packages/…` and `apps/…` from the repository root. */
function resolveTestPath(path: string): string {
  return /^(packages|apps)\//.test(path) ? join(REPO_ROOT, path) : join(PACKAGE_ROOT, path);
}

/** The test files a "pinned by" cell names, each with the titles quoted after it. */
function pinnedTests(cell: string): { path: string; titles: string[] }[] {
  const named: { path: string; titles: string[] }[] = [];
  const token = /`([^`]+\.test\.ts)`|"((?:[^"\\]|\\.)+)"/g;
  for (const match of cell.matchAll(token)) {
    if (match[1] !== undefined) named.push({ path: match[1], titles: [] });
    else if (match[2] !== undefined && named.length > 0) named[named.length - 1]?.titles.push(match[2].replace(/\\"/g, '"'));
  }
  return named;
}

/** Pieces of a title long enough to be its own words; `…` marks what the row left out. */
function titlePieces(title: string): string[] {
  return title
    .split('…')
    .map((piece) => piece.trim())
    .filter((piece) => piece.length >= 8);
}

const TABLES = tablesOf(FIDELITY);

describe('FIDELITY.md', () => {
  it('has its tables, each with the columns venue · rule · simulator · source · pinned by', () => {
    expect(TABLES.length).toBeGreaterThanOrEqual(8);
    for (const table of TABLES) {
      expect({ section: table.section, header: table.header }).toEqual({ section: table.section, header: COLUMNS });
      for (const row of table.rows) expect({ row: row[1], cells: row.length }).toEqual({ row: row[1], cells: COLUMNS.length });
    }
  });

  it('names in every row a test file that exists, and every quoted title is in that file', () => {
    const problems: string[] = [];
    for (const table of TABLES) {
      for (const row of table.rows) {
        const where = `${table.section}: ${row[1]?.slice(0, 60) ?? ''}`;
        const tests = pinnedTests(row[COLUMNS.length - 1] ?? '');
        if (tests.length === 0) problems.push(`${where}: no test named`);
        for (const { path, titles } of tests) {
          const file = resolveTestPath(path);
          if (!existsSync(file)) {
            problems.push(`${where}: ${path} does not exist`);
            continue;
          }
          const source = readFileSync(file, 'utf8').replace(/\\(['"`])/g, '$1');
          for (const piece of titles.flatMap(titlePieces)) {
            if (!source.includes(piece)) problems.push(`${where}: "${piece}" is not in ${path}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('names every venue-rule option and every rate-limit budget the simulator takes', () => {
    const rules = Object.keys(VENUE_RULE_CHOICES).map((name) => `rules.${name}`);
    const budgets = RATE_LIMIT_BUDGETS.map((budget) => budget.name);
    expect([...rules, ...budgets].filter((name) => !FIDELITY.includes(`\`${name}\``))).toEqual([]);
  });
});

/**
 * The codes a venue module can answer, read from its builder calls: Binance `binanceError(status,
 * code, …)`, Bybit `bybitFail(code, …)` and `retCode: code`, Bitget `['code', 'message']` tuples and
 * `new BitgetRefusal('code', …)`; answers without a venue code (a bare 404, a gateway page, Bybit's
 * 403) as `HTTP <status>`. A new venue whose builders these patterns miss finds too few codes and
 * fails until its pattern is added here.
 */
function codesSent(venue: string): Set<string> {
  const codes = new Set<string>();
  const dir = join(VENUES_DIR, venue);
  const patterns = [
    /binanceError\(\s*\d{3},\s*(-\d+)/g,
    /bybitFail\(\s*(\d+|PARAMS_ERROR)\b/g,
    /retCode: (\d+|PARAMS_ERROR)\b/g,
    /\[\s*'(\d{3,5})',/g,
    /new BitgetRefusal\(\s*'(\d+)'/g,
  ];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const source = readFileSync(join(dir, name), 'utf8');
    for (const pattern of patterns) {
      for (const match of source.matchAll(pattern)) {
        const code = match[1] === 'PARAMS_ERROR' ? '10001' : (match[1] ?? '');
        // retCode 0 is Bybit's success envelope.
        if (code !== '0') codes.add(code);
      }
    }
    for (const match of source.matchAll(/gatewayPage\((\d{3})|\bstatus: (\d{3})\b/g)) {
      const status = match[1] ?? match[2];
      if (status !== '200') codes.add(`HTTP ${status ?? ''}`);
    }
  }
  return codes;
}

const CODES_TABLE = TABLES.find((candidate) => candidate.section === CODES_SECTION);

/** The code a row of the codes table is about: the first backquoted code or `HTTP <status>` of its rule. */
function codeOf(row: readonly string[]): string {
  return /`(-?\d+|HTTP \d{3})`/.exec(row[1] ?? '')?.[1] ?? `unreadable: ${row[1] ?? ''}`;
}

function codesListed(venue: string): string[] {
  return (CODES_TABLE?.rows ?? []).filter((row) => row[0]?.toLowerCase() === venue).map(codeOf);
}

describe.each(VENUE_NAMES)('FIDELITY.md codes table: %s', (venue) => {
  it('lists every code the venue module sends, and no code it does not', () => {
    const sent = codesSent(venue);
    const rows = codesListed(venue);
    const listed = new Set(rows);
    expect(sent.size).toBeGreaterThan(10);
    expect(rows.filter((code, index) => rows.indexOf(code) !== index)).toEqual([]);
    expect([...sent].filter((code) => !listed.has(code)).sort()).toEqual([]);
    expect([...listed].filter((code) => !sent.has(code)).sort()).toEqual([]);
  });

  it('names for every code a test file that mentions it', () => {
    const unmentioned = (CODES_TABLE?.rows ?? [])
      .filter((row) => row[0]?.toLowerCase() === venue)
      .filter((row) => {
        // A status-only answer is asserted by its status; a venue code by the code itself.
        const code = codeOf(row).replace(/^HTTP /, '');
        const mention = new RegExp(`(^|[^\\d.-])${code.replace('-', '\\-')}(?![\\d.])`);
        return !pinnedTests(row[COLUMNS.length - 1] ?? '').some(({ path }) => {
          const file = resolveTestPath(path);
          return existsSync(file) && mention.test(readFileSync(file, 'utf8'));
        });
      })
      .map(codeOf);
    expect(unmentioned).toEqual([]);
  });
});
