import type { FollowerResult, FollowerStatus } from './copy-signal';
import type { SignalReport } from './copy-session';
import type { SessionSummary } from './session-summary';
import type { Signal } from './signals';
import { isCloseSignal, isReduceSignal, marketOf, reducesWholeLeg } from './signals';
import type { Steps, SymbolSteps } from './symbol-steps';
import { formatToStep } from './symbol-steps';
import type { Display } from './terminal';
import { DEFAULT_WIDTH, paint, truncate } from './terminal';

/** Where the CLI writes: `process.stdout` and `process.stderr` fit, and so does a test's recorder. */
export interface OutputStream {
  /** Writes text as it is (the CLI adds its own line ends). */
  write(text: string): unknown;
  /** True on a terminal: the CLI then shows a live progress counter. */
  readonly isTTY?: boolean | undefined;
  /** The terminal's width, when it is one. */
  readonly columns?: number | undefined;
}

/** What a table looks like when nothing says otherwise: no colour, 100 columns. */
const PLAIN: Display = { colour: false, width: DEFAULT_WIDTH, verbose: false };

/** A note is never cut below this many characters, however wide the other columns. */
const MIN_NOTE_WIDTH = 50;

const STATUS_COLOURS: Readonly<Record<FollowerStatus, 'green' | 'yellow' | 'red' | 'cyan'>> = { placed: 'green', skipped: 'yellow', failed: 'red', 'dry-run': 'cyan' };

/** Above this many followers a signal's table lists only the rows that were not placed. */
const FULL_TABLE_LIMIT = 50;

/** Above this many failures the summary groups them by venue and reason (the JSON report keeps each). */
const FULL_FAILURE_LIMIT = 20;

function describeSignal(signal: Signal): string {
  if (isCloseSignal(signal)) return `${signal.id} ${signal.action} ${signal.symbol} (whole leg)`;
  if (isReduceSignal(signal)) {
    const share = reducesWholeLeg(signal) ? 'whole leg' : `${signal.quantity.toFixed()} of the master's ${signal.masterPositionBefore.toFixed()}`;
    return `${signal.id} ${signal.action} ${signal.symbol} (${share})`;
  }
  const leverage = signal.leverage === undefined ? '' : ` ${signal.leverage}x`;
  return `${signal.id} ${signal.action} ${signal.symbol} ${signal.quantity.toFixed()} @ ${signal.price.toFixed()}${leverage}`;
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? '-' : `${ms.toFixed(0)} ms`;
}

/** What the status column calls a placed order, by how it came to be known. */
const ORIGIN_LABELS = { placed: 'placed', journal: 'already placed', recovered: 'recovered' } as const;

const ORIGIN_NOTES = {
  placed: '',
  journal: 'in the journal: no request sent',
  recovered: 'found on the venue by its client order id',
} as const;

function row(result: FollowerResult, steps: Steps | undefined): string[] {
  const order = result.order;
  const quantity = order?.filledQuantity ?? result.quantity;
  const filled = quantity === undefined ? '-' : formatToStep(quantity, steps?.quantityStep);
  const note =
    result.reason ??
    (result.status === 'dry-run' && result.leverage !== undefined ? `would send at ${result.leverage}x` : result.status === 'dry-run' ? 'would send' : ORIGIN_NOTES[result.origin ?? 'placed']);
  const status = order === undefined ? result.status : `${result.status === 'placed' ? ORIGIN_LABELS[result.origin ?? 'placed'] : result.status}/${order.status}`;
  const price = order?.averagePrice;
  return [result.followerId, result.exchange, status, filled, price === undefined ? '-' : formatToStep(price, steps?.priceTick), formatMs(result.latencyMs), note];
}

/** How `formatTable` draws: the display, and the colour of a row's cells (by row index). */
export interface TableStyle {
  readonly display?: Display | undefined;
  /** The colour of the cells of `column` in row `index`, if any. */
  readonly colourOf?: ((index: number, column: number) => 'green' | 'yellow' | 'red' | 'cyan' | undefined) | undefined;
}

/**
 * A table in columns two spaces apart. The last column (a note) is left ragged and, unless
 * `verbose`, cut so the row fits the display's width, though never below 50 characters.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], style: TableStyle = {}): string {
  const display = style.display ?? PLAIN;
  const last = header.length - 1;
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => (cells[column] ?? '').length)));
  const noteWidth = Math.max(MIN_NOTE_WIDTH, display.width - widths.slice(0, last).reduce((sum, width) => sum + width + 2, 0));
  // The rule under the header is as wide as the notes shown, never cut itself.
  if (!display.verbose) widths[last] = Math.min(widths[last] ?? 0, noteWidth);
  const line = (cells: readonly string[], index?: number): string =>
    cells
      .map((cell, column) => {
        const text = column === last ? (display.verbose ? cell : truncate(cell, noteWidth)) : cell.padEnd(widths[column] ?? 0);
        return index === undefined ? text : paint(text, style.colourOf?.(index, column), display);
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map((cells, index) => line(cells, index))].join('\n');
}

function formatSignalTable(report: SignalReport, display: Display, symbols: SymbolSteps | undefined): string {
  const header = ['follower', 'venue', 'status', 'quantity', 'avg price', 'latency', 'note'];
  const everything = display.verbose || report.results.length <= FULL_TABLE_LIMIT;
  const shown = report.results.filter((result) => everything || result.status !== 'placed');
  const market = marketOf(report.signal);
  const rows = shown.map((result) => row(result, symbols?.get(result.exchange, market, report.signal.symbol)));
  const hidden = report.results.length - rows.length;
  const colourOf = (index: number, column: number): 'green' | 'yellow' | 'red' | 'cyan' | undefined => {
    const status = shown[index]?.status;
    return column === 2 && status !== undefined ? STATUS_COLOURS[status] : undefined;
  };
  const table = rows.length === 0 ? '' : `${formatTable(header, rows, { display, colourOf })}\n`;
  return hidden === 0 ? table : `${table}(${hidden} placed rows not shown; --verbose or --json lists them)\n`;
}

export function formatSummary(summary: SessionSummary, display: Pick<Display, 'colour'> = PLAIN): string {
  const { counts } = summary;
  const lines = [
    `summary: ${summary.signals} signals${summary.aborted ? ' (stopped early)' : ''}, ${paint(`${counts.placed} orders placed`, counts.placed > 0 ? 'green' : undefined, display)}, ${paint(`${counts.skipped} skipped`, counts.skipped > 0 ? 'yellow' : undefined, display)}, ${paint(`${counts.failed} failed`, counts.failed > 0 ? 'red' : undefined, display)}${counts['dry-run'] > 0 ? `, ${counts['dry-run']} dry-run (nothing sent)` : ''}`,
  ];
  const { journal, recovered } = summary.origins;
  if (journal + recovered > 0) {
    lines.push(`  of the ${counts.placed} placed: ${journal} already placed (in the journal, no request sent), ${recovered} recovered (found on the venue by client order id), ${counts.placed - journal - recovered} sent now`);
  }
  for (const [kind, count] of Object.entries(summary.skipped).sort((a, b) => b[1] - a[1])) lines.push(`  skipped ${count}: ${kind}`);
  if (summary.failures.length <= FULL_FAILURE_LIMIT) {
    for (const failure of summary.failures) lines.push(`  ${paint('failed', 'red', display)} ${failure.signalId} ${failure.followerId} (${failure.exchange}): ${failure.reason}`);
  } else {
    // Hundreds of followers failing alike (a venue down, a breaker open) read best as one line per kind.
    const kinds = new Map<string, number>();
    for (const failure of summary.failures) {
      const kind = `${failure.exchange}: ${failure.reason.replace(/\d+/g, 'N')}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    for (const [kind, count] of [...kinds].sort((a, b) => b[1] - a[1])) lines.push(`  ${paint('failed', 'red', display)} ${count} on ${kind}`);
  }
  if (summary.latencyMs !== undefined) lines.push(`latency per order: p50 ${formatMs(summary.latencyMs.p50)}, p99 ${formatMs(summary.latencyMs.p99)}, max ${formatMs(summary.latencyMs.max)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Prints a session as it runs: on a terminal one progress line per signal rewritten in place, when
 * piped a plain line per signal; then each signal's table.
 */
export class SessionPrinter {
  private done = 0;

  constructor(
    private readonly out: OutputStream,
    private readonly followerCount: number,
    private readonly display: Display,
    private readonly symbols?: SymbolSteps | undefined,
  ) {}

  private get live(): boolean {
    return this.out.isTTY === true;
  }

  signalStarted(signal: Signal, index: number, total: number): void {
    this.done = 0;
    const text = `[${index + 1}/${total}] ${describeSignal(signal)} -> ${this.followerCount} followers`;
    this.out.write(this.live ? `\r\x1b[2K${text}` : `${text}\n`);
  }

  followerDone(signal: Signal, index: number, total: number): void {
    this.done += 1;
    if (this.live) this.out.write(`\r\x1b[2K[${index + 1}/${total}] ${describeSignal(signal)} -> ${this.done}/${this.followerCount} done`);
  }

  signalDone(report: SignalReport, index: number, total: number): void {
    const statuses = countStatuses(report.results);
    const text = `[${index + 1}/${total}] ${describeSignal(report.signal)}: ${statuses} in ${formatMs(report.wallMs)}`;
    this.out.write(`${this.live ? '\r\x1b[2K' : ''}${text}\n${formatSignalTable(report, this.display, this.symbols)}\n`);
  }
}

function countStatuses(results: readonly FollowerResult[]): string {
  const counts = new Map<string, number>();
  for (const result of results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}
