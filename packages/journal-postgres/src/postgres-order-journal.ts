import pg from 'pg';

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
  journalKeyText as textOf,
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

import type { PostgresQueryable } from './postgres-pool';
import { journalTable, migratePostgresJournal } from './postgres-schema';
import type { JournalTable } from './postgres-schema';

/** Which PostgreSQL server or pool, schema and table the journal uses, and where it reads the time. */
export interface PostgresOrderJournalOptions {
  /**
   * `postgres://user@host:5432/db`: the journal opens a pool of its own, closed by `close()`.
   * Give this or `pool`.
   */
  readonly connectionString?: string;
  /**
   * A `pg.Pool` (or anything with its `query` and `connect`) the application owns: `close()` leaves
   * it open. Its connections should keep `synchronous_commit` on (the server default), or a claim
   * may resolve before it is on disk.
   */
  readonly pool?: PostgresQueryable;
  /** Default `public`. Created if absent. */
  readonly schema?: string;
  /** Default `xport_order_journal`. Several journals may share a database under different names. */
  readonly table?: string;
  /**
   * Where lease expiry and timestamps read the time. Default `Date.now`. Processes on several
   * machines compare each other's leases: keep their clocks in sync (NTP) to well within a lease.
   */
  readonly clock?: JournalClock;
  /** Connections of the journal's own pool. Default 10. */
  readonly maxConnections?: number;
  /** Create the table on first use if absent. Default true; with false, call `migrate()` first. */
  readonly migrate?: boolean;
}

interface Row {
  readonly exchange: string;
  readonly account: string;
  readonly client_order_id: string;
  readonly request: JournalEntry['request'];
  readonly state: string;
  readonly outcome: JournalOutcome | null;
  readonly owner: string;
  readonly lease_expires_at: string;
  readonly claims: number;
  readonly created_at: string;
  readonly updated_at: string;
}

const systemClock: JournalClock = { now: () => Date.now() };

const COLUMNS = 'exchange, account, client_order_id, request, state, outcome, owner, lease_expires_at, claims, created_at, updated_at';
const ORDER = 'ORDER BY created_at, exchange, account, client_order_id';
/** A claim that lost a compare-and-set to another process reads the entry again, a few times at most. */
const MAX_ATTEMPTS = 5;
/** Claims remembered for a one-round-trip settle; more in flight at once only cost a read each. */
const MAX_REMEMBERED = 10_000;

function entryOf(row: Row): JournalEntry {
  // bigint columns arrive as strings; epoch milliseconds fit a double exactly.
  return frozenEntry({
    key: { exchange: row.exchange, account: row.account, clientOrderId: row.client_order_id },
    request: row.request,
    state: row.state,
    outcome: row.outcome ?? undefined,
    owner: row.owner,
    leaseExpiresAt: Number(row.lease_expires_at),
    claims: row.claims,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  } as JournalEntry);
}

const keyValues = (key: JournalKey): string[] => [key.exchange, key.account, key.clientOrderId];


/**
 * An `OrderJournal` in PostgreSQL through `pg`, for processes on one or several machines sharing a
 * database. Every write is one statement committed on its own: a first claim is `INSERT … ON
 * CONFLICT DO NOTHING`; a later claim or a settle is a compare-and-set `UPDATE … WHERE claims = $n
 * AND state = $s` of the entry just read, retried from the read when another process got there
 * first. Two processes therefore never both claim a key, on any machine, and a call resolves only
 * once its commit is durable (with the server's default `synchronous_commit = on`).
 */
export class PostgresOrderJournal implements OrderJournal {
  readonly #db: PostgresQueryable;
  readonly #ownPool: pg.Pool | undefined;
  readonly #where: JournalTable;
  readonly #clock: JournalClock;
  readonly #sql: { readonly get: string; readonly insert: string; readonly update: string };
  /**
   * The entries this instance claimed and has not settled yet, so that a settle needs one round
   * trip (the compare-and-set) instead of a read first. A stale one only costs a failed swap.
   */
  readonly #claimed = new Map<string, JournalEntry>();
  #ready: Promise<void> | undefined;
  #closed = false;

  constructor(options: PostgresOrderJournalOptions) {
    const given = options as Partial<PostgresOrderJournalOptions> | undefined;
    if ((given?.connectionString === undefined) === (given?.pool === undefined)) {
      throw new ConfigurationError('PostgresOrderJournal: give connectionString or pool (one of them)', { field: 'connectionString', expected: 'a postgres:// URL, or a pg.Pool as pool' });
    }
    this.#where = journalTable(options.schema, options.table);
    this.#clock = options.clock ?? systemClock;
    if (options.pool === undefined) {
      const max = options.maxConnections ?? 10;
      if (!Number.isSafeInteger(max) || max < 1) {
        throw new ConfigurationError(`PostgresOrderJournal: maxConnections must be an integer >= 1, got ${JSON.stringify(max)}`, { field: 'maxConnections', expected: 'an integer >= 1' });
      }
      // A claim must be on disk before the order leaves, whatever the server's default says.
      this.#ownPool = new pg.Pool({ connectionString: options.connectionString, max, options: '-c synchronous_commit=on' });
      // An idle connection the server dropped surfaces on the next query; without a listener it would end the process.
      this.#ownPool.on('error', () => undefined);
      this.#db = this.#ownPool;
    } else {
      this.#ownPool = undefined;
      this.#db = options.pool;
    }
    if (options.migrate === false) this.#ready = Promise.resolve();
    const table = this.#where.qualified;
    this.#sql = {
      get: `SELECT ${COLUMNS} FROM ${table} WHERE exchange = $1 AND account = $2 AND client_order_id = $3`,
      insert: `INSERT INTO ${table} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
      // Compare-and-set: every claim raises `claims` and every settle changes `state`, so the pair
      // names one version of the entry.
      update: `UPDATE ${table} SET state = $4, outcome = $5, owner = $6, lease_expires_at = $7, claims = $8, updated_at = $9
               WHERE exchange = $1 AND account = $2 AND client_order_id = $3 AND claims = $10 AND state = $11`,
    };
  }

  /** Creates the schema, table and indexes if absent. Safe to call from many processes at once. */
  migrate(): Promise<void> {
    const ready = this.#wrap('migrate', () => migratePostgresJournal(this.#db, this.#where));
    this.#ready = ready;
    // A server that did not answer yet is asked again by the next call.
    ready.catch(() => {
      if (this.#ready === ready) this.#ready = undefined;
    });
    return ready;
  }

  begin(intent: JournalIntent, claim: ClaimOptions): Promise<BeginResult> {
    return this.#call('begin', async () => {
      const checked = checkJournalIntent(intent);
      const claimOptions = checkClaimOptions(claim);
      for (let attempt = 1; ; attempt++) {
        const now = this.#clock.now();
        const first = planBegin(undefined, checked, claimOptions, now);
        if (first.write !== undefined && (await this.#insert(first.write))) return this.#remember(first.result);
        const existing = await this.#read(checked.key);
        // Entries are never deleted by the journal; one removed by hand is claimed as new.
        if (existing === undefined) {
          this.#contended('begin', checked.key, attempt);
          continue;
        }
        const plan = planBegin(existing, checked, claimOptions, now);
        if (plan.write === undefined || (await this.#swap(existing, plan.write))) return this.#remember(plan.result);
        this.#contended('begin', checked.key, attempt);
      }
    });
  }

  settle(key: JournalKey, outcome: JournalOutcome, options: SettleOptions): Promise<JournalEntry> {
    return this.#call('settle', async () => {
      const checked = checkJournalKey(key);
      const settleOptions = checkSettleOptions(options);
      const cached = this.#claimed.get(textOf(checked));
      for (let attempt = 1; ; attempt++) {
        const existing = attempt === 1 && cached?.owner === settleOptions.owner ? cached : await this.#read(checked);
        const entry = planSettle(existing, checked, outcome, settleOptions, this.#clock.now());
        if (existing !== undefined && (await this.#swap(existing, entry))) {
          this.#claimed.delete(textOf(checked));
          return entry;
        }
        // A cached claim that lost its swap was taken over: the next read says by whom.
        if (existing !== cached) this.#contended('settle', checked, attempt);
      }
    });
  }

  get(key: JournalKey): Promise<JournalEntry | undefined> {
    return this.#call('get', () => this.#read(checkJournalKey(key)));
  }

  pending(query?: PendingQuery): Promise<readonly JournalEntry[]> {
    return this.#call('pending', () => {
      const checked = checkPendingQuery(query);
      const where = ["state IN ('pending', 'unknown')"];
      const values: unknown[] = [];
      if (checked.olderThanMs !== undefined) {
        values.push(this.#clock.now() - checked.olderThanMs);
        where.push(`updated_at <= $${values.length}`);
      }
      return this.#select(where, values, checked);
    });
  }

  list(query?: ListQuery): Promise<readonly JournalEntry[]> {
    return this.#call('list', () => {
      const checked = checkListQuery(query);
      const where: string[] = [];
      const values: unknown[] = [];
      if (checked.state !== undefined) {
        values.push(checked.state);
        where.push(`state = $${values.length}`);
      }
      return this.#select(where, values, checked);
    });
  }

  /** Ends the journal's own pool (a pool given in the options stays open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ownPool?.end();
  }

  #remember(result: BeginResult): BeginResult {
    if (result.kind !== 'claimed') return result;
    // A caller that never settles must not grow the map without end: the oldest claim goes first.
    const oldest = this.#claimed.keys().next();
    if (this.#claimed.size >= MAX_REMEMBERED && oldest.done !== true) this.#claimed.delete(oldest.value);
    this.#claimed.set(textOf(result.entry.key), result.entry);
    return result;
  }

  async #insert(entry: JournalEntry): Promise<boolean> {
    const inserted = await this.#db.query(this.#sql.insert, [
      ...keyValues(entry.key),
      JSON.stringify(entry.request),
      entry.state,
      entry.outcome === undefined ? null : JSON.stringify(entry.outcome),
      entry.owner,
      entry.leaseExpiresAt,
      entry.claims,
      entry.createdAt,
      entry.updatedAt,
    ]);
    return inserted.rowCount === 1;
  }

  /** Writes `next` if the stored entry is still `previous`; false when another process changed it. */
  async #swap(previous: JournalEntry, next: JournalEntry): Promise<boolean> {
    const updated = await this.#db.query(this.#sql.update, [
      ...keyValues(next.key),
      next.state,
      next.outcome === undefined ? null : JSON.stringify(next.outcome),
      next.owner,
      next.leaseExpiresAt,
      next.claims,
      next.updatedAt,
      previous.claims,
      previous.state,
    ]);
    return updated.rowCount === 1;
  }

  async #read(key: JournalKey): Promise<JournalEntry | undefined> {
    const found = await this.#db.query<Row>(this.#sql.get, keyValues(key));
    const row = found.rows[0];
    return row === undefined ? undefined : entryOf(row);
  }

  async #select(where: string[], values: unknown[], filters: { readonly exchange?: string; readonly account?: string; readonly limit?: number }): Promise<readonly JournalEntry[]> {
    const clauses = [...where];
    const params = [...values];
    for (const [column, value] of [
      ['exchange', filters.exchange],
      ['account', filters.account],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      clauses.push(`${column} = $${params.length}`);
    }
    const limit = filters.limit === undefined ? '' : ` LIMIT ${filters.limit}`;
    const found = await this.#db.query<Row>(`SELECT ${COLUMNS} FROM ${this.#where.qualified}${clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`} ${ORDER}${limit}`, params);
    return Object.freeze(found.rows.map(entryOf));
  }

  #contended(operation: string, key: JournalKey, attempt: number): void {
    if (attempt >= MAX_ATTEMPTS) {
      throw new ExchangeError(`PostgresOrderJournal.${operation}: ${key.exchange} ${key.clientOrderId} changed under ${MAX_ATTEMPTS} attempts in a row; nothing was written by this call`, {
        exchange: key.exchange,
        operation,
      });
    }
  }

  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(journalClosedError('PostgresOrderJournal', operation));
    this.#ready ??= this.migrate();
    const ready = this.#ready;
    return this.#wrap(operation, async () => {
      await ready;
      return run();
    });
  }

  /** The journal's own refusals pass through; a database failure becomes an ExchangeError with its code. */
  async #wrap<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      if (ExchangeError.isInstance(cause)) throw cause;
      throw new ExchangeError(`PostgresOrderJournal.${operation} failed: ${(cause as Error).message}`, { operation, code: (cause as { code?: string }).code, cause });
    }
  }
}

/**
 * A `PostgresOrderJournal` with its table migrated: what an application's start-up, a child
 * process or a config loader calls.
 */
export async function openPostgresOrderJournal(options: PostgresOrderJournalOptions): Promise<PostgresOrderJournal> {
  const journal = new PostgresOrderJournal(options);
  try {
    await journal.migrate();
  } catch (error) {
    await journal.close();
    throw error;
  }
  return journal;
}
