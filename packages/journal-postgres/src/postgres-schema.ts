import { ConfigurationError } from '@xport/core';

import type { PostgresQueryable } from './postgres-pool';

/** The schema this version writes; a table written by a later version is refused, not guessed at. */
export const SCHEMA_VERSION = 1;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Where the journal lives: a checked, quoted `"schema"."table"` and the names it derives. */
export interface JournalTable {
  readonly schema: string;
  readonly table: string;
  /** `"schema"."table"`, safe to put in SQL. */
  readonly qualified: string;
}

export function journalTable(schema = 'public', table = 'xport_order_journal'): JournalTable {
  for (const [field, value] of [
    ['schema', schema],
    ['table', table],
  ] as const) {
    if (!IDENTIFIER.test(value)) {
      throw new ConfigurationError(`PostgresOrderJournal: ${field} must be a lower-case SQL identifier, got ${JSON.stringify(value)}`, {
        field,
        expected: 'letters a-z, digits and _, not starting with a digit, at most 63 characters',
      });
    }
  }
  return { schema, table, qualified: `"${schema}"."${table}"` };
}

/**
 * Creates the schema, the table and its indexes if absent, under a transaction-scoped advisory lock
 * so that processes starting together do not race on `CREATE` (PostgreSQL's `IF NOT EXISTS` is not
 * safe against a concurrent create). Text keys use the "C" collation: lists come out in the same
 * byte order on every server, whatever its locale. Refuses a table a later version wrote.
 */
export async function migratePostgresJournal(db: PostgresQueryable, where: JournalTable): Promise<void> {
  const { schema, table, qualified } = where;
  const component = `order_journal:${table}`;
  const statements = [
    'BEGIN',
    "SELECT pg_advisory_xact_lock(hashtext('xport:migrate'))",
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE IF NOT EXISTS "${schema}".xport_schema (component text PRIMARY KEY, version integer NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${qualified} (
      exchange text COLLATE "C" NOT NULL,
      account text COLLATE "C" NOT NULL,
      client_order_id text COLLATE "C" NOT NULL,
      request jsonb NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'placed', 'refused', 'unknown')),
      outcome jsonb,
      owner text NOT NULL,
      lease_expires_at bigint NOT NULL,
      claims integer NOT NULL,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      PRIMARY KEY (exchange, account, client_order_id)
    )`,
    `CREATE INDEX IF NOT EXISTS "${table}_created" ON ${qualified} (created_at, exchange, account, client_order_id)`,
    `CREATE INDEX IF NOT EXISTS "${table}_open" ON ${qualified} (updated_at) WHERE state IN ('pending', 'unknown')`,
    `INSERT INTO "${schema}".xport_schema (component, version) VALUES ('${component}', ${SCHEMA_VERSION}) ON CONFLICT (component) DO NOTHING`,
  ];
  const client = await db.connect();
  let version: number;
  try {
    for (const sql of statements) await client.query(sql);
    const found = await client.query<{ version: number }>(`SELECT version FROM "${schema}".xport_schema WHERE component = $1`, [component]);
    await client.query('COMMIT');
    version = found.rows[0]?.version ?? SCHEMA_VERSION;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  if (version > SCHEMA_VERSION) {
    throw new ConfigurationError(`PostgresOrderJournal: ${qualified} holds journal schema ${version}; this version of @xport/journal-postgres reads ${SCHEMA_VERSION}. Upgrade the package.`, {
      field: 'table',
      expected: `a journal of schema ${SCHEMA_VERSION} or a new table`,
    });
  }
}
