import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JournalIntent, OrderJournal } from '@xport/core';

import { CONTRACT_REQUESTS, contractIntent, placedOutcomeFor } from './journal-fixtures';

/** A journal store to measure. */
export interface JournalBenchSubject {
  /** Shown in the table: `memory`, `sqlite (file)`, `postgres (loopback)`. */
  readonly label: string;
  /** A journal over an empty store; closed by the bench. */
  open(): OrderJournal | Promise<OrderJournal>;
  /** Removes the store once measured (a file, a table). */
  cleanup?(): void | Promise<void>;
}

export interface JournalBenchOptions {
  /** begin+settle pairs per measured run. Default 2000. */
  readonly pairs?: number;
  /** Orders in flight at once; one run per value. Default [1, 64]. */
  readonly concurrency?: readonly number[];
  /** Measured runs per subject and concurrency, interleaved; the best is reported. Default 3. */
  readonly rounds?: number;
}

/** One line of the table. Times in ms. */
export interface JournalBenchRow {
  readonly label: string;
  readonly inFlight: number;
  /** begin+settle pairs per second, the journal alone (no request between them). */
  readonly pairsPerSecond: number | undefined;
  /** What the journal adds to one order: its begin plus its settle, around a real request. */
  readonly addedP50: number | undefined;
  readonly addedP99: number | undefined;
  /** One whole order: (begin +) request to the stub venue (+ settle). */
  readonly orderP50: number;
  readonly orderP99: number;
}

interface StubVenue {
  /** One order request's round trip: a POST to 127.0.0.1 answered with a small JSON body. */
  send(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A stand-in for the venue: the cheapest an order request can be (keep-alive HTTP on loopback,
 * answered at once). A real venue is 10-200 ms away, so ratios against it are an upper bound.
 */
async function startStubVenue(): Promise<StubVenue> {
  const body = JSON.stringify({ orderId: '1', status: 'FILLED', executedQty: '0.01' });
  const server = createServer((incoming, answer) => {
    incoming.resume();
    incoming.on('end', () => {
      answer.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      answer.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const send = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v3/order', agent }, (answer) => {
        answer.resume();
        answer.on('end', resolve);
      });
      outgoing.on('error', reject);
      outgoing.end('symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01');
    });
  return {
    send,
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

const elapsedMs = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e6;

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/** Runs `task` on every item, `inFlight` at a time. */
async function inParallel<T>(items: readonly T[], inFlight: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = items[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let next = queue.next(); next.done !== true; next = queue.next()) await task(next.value);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
}

function intents(count: number): JournalIntent[] {
  const run = randomBytes(4).toString('hex');
  return Array.from({ length: count }, (_, index) => contractIntent(`b${run}-${index}`, CONTRACT_REQUESTS.spotBuy));
}

const CLAIM = { owner: 'bench', leaseMs: 60_000 };

async function pair(journal: OrderJournal, intent: JournalIntent): Promise<void> {
  const begun = await journal.begin(intent, CLAIM);
  if (begun.kind !== 'claimed') throw new Error(`bench: ${intent.key.clientOrderId} answered ${begun.kind}`);
  await journal.settle(intent.key, placedOutcomeFor(intent), CLAIM);
}

/** The journal alone: pairs per second. */
async function measureThroughput(journal: OrderJournal, pairs: number, inFlight: number): Promise<number> {
  const work = intents(pairs);
  const started = process.hrtime.bigint();
  await inParallel(work, inFlight, (intent) => pair(journal, intent));
  return pairs / (elapsedMs(started) / 1000);
}

/** Whole orders, each timed; with a journal, the begin and settle times are summed apart. */
async function measureOrders(venue: StubVenue, journal: OrderJournal | undefined, orders: number, inFlight: number): Promise<{ order: number[]; added: number[] }> {
  const work = intents(orders);
  const order: number[] = [];
  const added: number[] = [];
  await inParallel(work, inFlight, async (intent) => {
    const started = process.hrtime.bigint();
    if (journal === undefined) {
      await venue.send();
      order.push(elapsedMs(started));
      return;
    }
    const begun = await journal.begin(intent, CLAIM);
    if (begun.kind !== 'claimed') throw new Error(`bench: ${intent.key.clientOrderId} answered ${begun.kind}`);
    const beginMs = elapsedMs(started);
    await venue.send();
    const settling = process.hrtime.bigint();
    await journal.settle(intent.key, placedOutcomeFor(intent), CLAIM);
    added.push(beginMs + elapsedMs(settling));
    order.push(elapsedMs(started));
  });
  return { order: order.sort((a, b) => a - b), added: added.sort((a, b) => a - b) };
}

/**
 * Measures each subject beside a no-journal baseline: begin+settle pairs per second (the journal
 * alone), and for whole orders sent to a stub venue on loopback, what the journal adds per order
 * (p50/p99) and the order's own p50/p99. Runs are interleaved across subjects so a noisy neighbour
 * hits them alike, and the best run of each is kept.
 */
export async function benchOrderJournals(subjects: readonly JournalBenchSubject[], options: JournalBenchOptions = {}): Promise<JournalBenchRow[]> {
  const pairs = options.pairs ?? 2000;
  const concurrency = options.concurrency ?? [1, 64];
  const rounds = options.rounds ?? 3;
  const venue = await startStubVenue();
  const rows: JournalBenchRow[] = [];
  try {
    for (const inFlight of concurrency) {
      const journals = await Promise.all(subjects.map(async (subject) => subject.open()));
      try {
        // Warm up every path (JIT, connections, file pages) before anything is measured.
        await measureOrders(venue, undefined, 200, inFlight);
        for (const journal of journals) {
          await measureThroughput(journal, 200, inFlight);
          await measureOrders(venue, journal, 200, inFlight);
        }
        let baseline: number[] | undefined;
        const best = subjects.map(() => ({ pairsPerSecond: 0, order: [] as number[], added: [] as number[] }));
        for (let round = 0; round < rounds; round++) {
          const { order } = await measureOrders(venue, undefined, pairs, inFlight);
          if (baseline === undefined || percentile(order, 0.5) < percentile(baseline, 0.5)) baseline = order;
          for (const [index, journal] of journals.entries()) {
            const record = best[index];
            if (record === undefined) continue;
            record.pairsPerSecond = Math.max(record.pairsPerSecond, await measureThroughput(journal, pairs, inFlight));
            const measured = await measureOrders(venue, journal, pairs, inFlight);
            if (record.added.length === 0 || percentile(measured.added, 0.5) < percentile(record.added, 0.5)) Object.assign(record, measured);
          }
        }
        rows.push({ label: 'no journal', inFlight, pairsPerSecond: undefined, addedP50: undefined, addedP99: undefined, orderP50: percentile(baseline ?? [], 0.5), orderP99: percentile(baseline ?? [], 0.99) });
        for (const [index, subject] of subjects.entries()) {
          const record = best[index];
          if (record === undefined) continue;
          rows.push({
            label: subject.label,
            inFlight,
            pairsPerSecond: record.pairsPerSecond,
            addedP50: percentile(record.added, 0.5),
            addedP99: percentile(record.added, 0.99),
            orderP50: percentile(record.order, 0.5),
            orderP99: percentile(record.order, 0.99),
          });
        }
      } finally {
        await Promise.allSettled(journals.map((journal) => journal.close()));
      }
    }
  } finally {
    await venue.close();
    for (const subject of subjects) await subject.cleanup?.();
  }
  return rows;
}

const ms = (value: number | undefined): string => (value === undefined ? '—' : value < 1 ? value.toFixed(3) : value.toFixed(2));

/** The rows as a Markdown table, each order's p50 also as a ratio to the no-journal p50 at the same concurrency. */
export function formatJournalBench(rows: readonly JournalBenchRow[]): string {
  const lines = [
    '| journal | in flight | begin+settle pairs/s | added per order p50 (ms) | added p99 (ms) | order p50 (ms) | order p99 (ms) | order p50 ÷ no journal |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const baseline = rows.find((candidate) => candidate.label === 'no journal' && candidate.inFlight === row.inFlight);
    const ratio = baseline === undefined ? '—' : `${(row.orderP50 / baseline.orderP50).toFixed(2)}×`;
    const rate = row.pairsPerSecond === undefined ? '—' : Math.round(row.pairsPerSecond).toLocaleString('en-US');
    lines.push(`| ${row.label} | ${row.inFlight} | ${rate} | ${ms(row.addedP50)} | ${ms(row.addedP99)} | ${ms(row.orderP50)} | ${ms(row.orderP99)} | ${ratio} |`);
  }
  return lines.join('\n');
}
