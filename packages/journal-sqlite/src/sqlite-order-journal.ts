import Database from 'better-sqlite3';

import {
  checkClaimOptions,
  checkJournalIntent,
  checkJournalKey,
  checkListQuery,
  checkPendingQuery,
  checkSettleOptions,
  ConfigurationError,
  ExchangeError,
  frozenEntry,
  journalClosedError,
  planBegin,
  planSettle,
} from '@xport/core';
import type {
  BeginResult,
  ClaimOptions,
  JournalClock,
  JournalEntry,
  JournalIntent,
  JournalKey,
  JournalOutcome,
  ListQuery,
  OrderJournal,
  PendingQuery,
  SettleOptions,
} from '@xport/core';

import { migrateSqliteJournal, TABLE } from './sqlite-schema';

/** Where the SQLite journal keeps its file, and how it waits for the write lock and batches writes. */
export interface SqliteOrderJournalOptions {
  /** The database file, created if absent (its directory must exist). May be shared with other tables. */
  readonly path: string;
  /** Where lease expiry and timestamps read the time. Default `Date.now`. */
  readonly clock?: JournalClock;
  /**
   * How long a write waits for another process holding the file's write lock before it fails, in
   * ms. Default 5000. better-sqlite3 is synchronous: the event loop waits with it.
   */
  readonly busyTimeoutMs?: number;
  /** At most this many calls share one transaction (one fsync). Default 256. */
  readonly maxBatch?: number;
}

interface Row {
  readonly exchange: string;
  readonly account: string;
  readonly client_order_id: string;
  readonly request: string;
  readonly state: string;
  readonly outcome: string | null;
  readonly owner: string;
  readonly lease_expires_at: number;
  readonly claims: number;
  readonly created_at: number;
  readonly updated_at: number;
}

interface Queued {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

const systemClock: JournalClock = { now: () => Date.now() };

const COLUMNS = 'exchange, account, client_order_id, request, state, outcome, owner, lease_expires_at, claims, created_at, updated_at';
const ORDER = 'ORDER BY created_at, exchange, account, client_order_id';

function entryOf(row: Row): JournalEntry {
  return frozenEntry({
    key: { exchange: row.exchange, account: row.account, clientOrderId: row.client_order_id },
    request: JSON.parse(row.request) as JournalEntry['request'],
    state: row.state,
    outcome: row.outcome === null ? undefined : (JSON.parse(row.outcome) as JournalOutcome),
    owner: row.owner,
    leaseExpiresAt: row.lease_expires_at,
    claims: row.claims,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as JournalEntry);
}

function checkCount(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`SqliteOrderJournal: ${field} must be an integer >= 1, got ${JSON.stringify(value)}`, { field, expected: 'an integer >= 1' });
  }
  return value;
}

/**
 * An `OrderJournal` in one SQLite file through better-sqlite3: WAL mode, `synchronous=FULL` (a
 * call resolves only once its transaction is fsynced), every call in a `BEGIN IMMEDIATE`
 * transaction, so two processes on one file never both claim a key. Calls made in the same turn of
 * the event loop share one transaction and one fsync (group commit); each still sees the others in
 * call order. Exactly-once across restarts of the processes on this machine that open this file.
 */
export class SqliteOrderJournal implements OrderJournal {
  readonly #db: Database.Database;
  readonly #clock: JournalClock;
  readonly #maxBatch: number;
  readonly #statements: {
    readonly get: Database.Statement<[string, string, string], Row>;
    readonly upsert: Database.Statement;
  };
  /**
   * Every statement is prepared once and kept for the journal's life: better-sqlite3 12 built
   * against Node 24.19+ headers aborts the process when it finalizes a garbage-collected statement
   * (nodejs/node#65446), and preparing once is cheaper anyway.
   */
  readonly #prepared = new Map<string, Database.Statement<unknown[], Row>>();
  readonly #batch: (calls: readonly Queued[]) => unknown[];
  #queue: Queued[] = [];
  #scheduled = false;
  #closed = false;

  constructor(options: SqliteOrderJournalOptions) {
    if (typeof (options as Partial<SqliteOrderJournalOptions> | undefined)?.path !== 'string' || options.path === '') {
      throw new ConfigurationError('SqliteOrderJournal: path must be the database file', { field: 'path', expected: 'a file path' });
    }
    const busyTimeoutMs = checkCount(options.busyTimeoutMs, 'busyTimeoutMs', 5000);
    this.#maxBatch = checkCount(options.maxBatch, 'maxBatch', 256);
    this.#clock = options.clock ?? systemClock;
    try {
      this.#db = new Database(options.path, { timeout: busyTimeoutMs });
    } catch (cause) {
      throw new ConfigurationError(`SqliteOrderJournal: cannot open ${options.path}: ${(cause as Error).message}`, { field: 'path', expected: 'a writable file in an existing directory', cause });
    }
    try {
      migrateSqliteJournal(this.#db, busyTimeoutMs);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#statements = {
      get: this.#db.prepare(`SELECT ${COLUMNS} FROM ${TABLE} WHERE exchange = ? AND account = ? AND client_order_id = ?`),
      // Only a first claim writes the request and creation time; later claims and settles change the rest.
      upsert: this.#db.prepare(
        `INSERT INTO ${TABLE} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (exchange, account, client_order_id) DO UPDATE SET
           state = excluded.state, outcome = excluded.outcome, owner = excluded.owner,
           lease_expires_at = excluded.lease_expires_at, claims = excluded.claims, updated_at = excluded.updated_at`,
      ),
    };
    const batch = this.#db.transaction((calls: readonly Queued[]) =>
      calls.map((call) => {
        try {
          return { ok: true, value: call.run() };
        } catch (error) {
          // A refusal decided before any write (conflict of ownership, bad input) fails that call
          // alone; anything else (I/O, a lock not granted in time) rolls the whole batch back.
          if (!ExchangeError.isInstance(error)) throw error;
          return { ok: false, value: error };
        }
      }),
    );
    this.#batch = (calls) => batch.immediate(calls);
  }

  begin(intent: JournalIntent, claim: ClaimOptions): Promise<BeginResult> {
    return this.#enqueue('begin', () => {
      const checked = checkJournalIntent(intent);
      const plan = planBegin(this.#read(checked.key), checked, checkClaimOptions(claim), this.#clock.now());
      if (plan.write !== undefined) this.#write(plan.write);
      return plan.result;
    });
  }

  settle(key: JournalKey, outcome: JournalOutcome, options: SettleOptions): Promise<JournalEntry> {
    return this.#enqueue('settle', () => {
      const checked = checkJournalKey(key);
      const entry = planSettle(this.#read(checked), checked, outcome, checkSettleOptions(options), this.#clock.now());
      this.#write(entry);
      return entry;
    });
  }

  get(key: JournalKey): Promise<JournalEntry | undefined> {
    return this.#enqueue('get', () => this.#read(checkJournalKey(key)));
  }

  pending(query?: PendingQuery): Promise<readonly JournalEntry[]> {
    return this.#enqueue('pending', () => {
      const checked = checkPendingQuery(query);
      const where = ["state IN ('pending', 'unknown')"];
      const params: unknown[] = [];
      if (checked.olderThanMs !== undefined) {
        where.push('updated_at <= ?');
        params.push(this.#clock.now() - checked.olderThanMs);
      }
      return this.#select(where, params, checked);
    });
  }

  list(query?: ListQuery): Promise<readonly JournalEntry[]> {
    return this.#enqueue('list', () => {
      const checked = checkListQuery(query);
      const where: string[] = [];
      const params: unknown[] = [];
      if (checked.state !== undefined) {
        where.push('state = ?');
        params.push(checked.state);
      }
      return this.#select(where, params, checked);
    });
  }

  /** Runs the calls already made, then closes the file. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#flush();
      this.#db.close();
    }
    return Promise.resolve();
  }

  #read(key: JournalKey): JournalEntry | undefined {
    const row = this.#statements.get.get(key.exchange, key.account, key.clientOrderId);
    return row === undefined ? undefined : entryOf(row);
  }

  #write(entry: JournalEntry): void {
    this.#statements.upsert.run(
      entry.key.exchange,
      entry.key.account,
      entry.key.clientOrderId,
      JSON.stringify(entry.request),
      entry.state,
      entry.outcome === undefined ? null : JSON.stringify(entry.outcome),
      entry.owner,
      entry.leaseExpiresAt,
      entry.claims,
      entry.createdAt,
      entry.updatedAt,
    );
  }

  #select(where: string[], params: unknown[], filters: { readonly exchange?: string; readonly account?: string; readonly limit?: number }): readonly JournalEntry[] {
    const clauses = [...where];
    const values = [...params];
    if (filters.exchange !== undefined) {
      clauses.push('exchange = ?');
      values.push(filters.exchange);
    }
    if (filters.account !== undefined) {
      clauses.push('account = ?');
      values.push(filters.account);
    }
    // LIMIT -1 is no limit: one statement per filter shape, whatever the limit.
    values.push(filters.limit ?? -1);
    const sql = `SELECT ${COLUMNS} FROM ${TABLE}${clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`} ${ORDER} LIMIT ?`;
    let statement = this.#prepared.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[], Row>(sql);
      this.#prepared.set(sql, statement);
    }
    const rows = statement.all(...values);
    return Object.freeze(rows.map(entryOf));
  }

  #enqueue<T>(operation: string, run: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(journalClosedError('SqliteOrderJournal', operation));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // Everything called in this turn of the event loop joins one transaction.
        setImmediate(() => {
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const calls = this.#queue.splice(0, this.#maxBatch);
      let results: unknown[];
      try {
        results = this.#batch(calls);
      } catch (cause) {
        const error = new ExchangeError(`SqliteOrderJournal: the transaction failed and was rolled back: ${(cause as Error).message}`, {
          code: (cause as { code?: string }).code,
          cause,
        });
        for (const call of calls) call.reject(error);
        continue;
      }
      calls.forEach((call, index) => {
        const result = results[index] as { ok: boolean; value: unknown };
        if (result.ok) call.resolve(result.value);
        else call.reject(result.value);
      });
    }
  }
}

/** `new SqliteOrderJournal(options)`, as a function: what a child process or a config loader calls. */
export function openSqliteOrderJournal(options: SqliteOrderJournalOptions): SqliteOrderJournal {
  return new SqliteOrderJournal(options);
}
