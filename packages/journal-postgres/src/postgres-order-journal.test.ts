import { ConfigurationError, ExchangeError } from '@xport/core';
import { contractIntent, InstantClock } from '@xport/contract-tests/journal';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';

import { openPostgresOrderJournal, PostgresOrderJournal } from './postgres-order-journal';
import { describeWithPostgres, POSTGRES_URL, postgresUnavailable, testSchema } from './test-support/postgres-test-server';

const unavailable = await postgresUnavailable();
const schema = testSchema();
let tables = 0;
const claim = { owner: 'alice', leaseMs: 30_000 };
const closing: { close?(): Promise<void>; end?(): Promise<void> }[] = [];
afterEach(async () => {
  for (const handle of closing.splice(0).reverse()) await (handle.close?.() ?? handle.end?.());
});

function journal(options: Partial<ConstructorParameters<typeof PostgresOrderJournal>[0]> = {}): PostgresOrderJournal {
  const created = new PostgresOrderJournal({ connectionString: POSTGRES_URL, schema, table: `unit_${++tables}`, clock: new InstantClock(1_700_000_000_000), ...options });
  closing.push(created);
  return created;
}

function pool(): pg.Pool {
  const created = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  closing.push(created);
  return created;
}

describeWithPostgres('PostgresOrderJournal', unavailable, () => {
  it('creates its schema and table on first use, and leaves a pool it was given open', async () => {
    const shared = pool();
    const table = `given_${++tables}`;
    const own = new PostgresOrderJournal({ pool: shared, schema, table });
    expect((await own.begin(contractIntent(1), claim)).kind).toBe('claimed');
    await own.close();
    const { rows } = await shared.query<{ count: string }>(`SELECT count(*) FROM "${schema}"."${table}"`);
    expect(rows[0]?.count).toBe('1');
  });

  it('with migrate: false, fails until migrate() has run, with the server’s code', async () => {
    const late = journal({ migrate: false });
    const error = await late.begin(contractIntent(2), claim).catch((caught: unknown) => caught);
    expect(ExchangeError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: '42P01' }); // undefined_table
    await late.migrate();
    expect((await late.begin(contractIntent(2), claim)).kind).toBe('claimed');
  });

  it('lets many processes migrate one new table at once', async () => {
    const table = `together_${++tables}`;
    const journals = await Promise.all(Array.from({ length: 6 }, () => openPostgresOrderJournal({ connectionString: POSTGRES_URL, schema: `${schema}_new`, table, maxConnections: 1 })));
    closing.push(...journals);
    const answers = await Promise.all(journals.map((one, index) => one.begin(contractIntent(3), { owner: `owner-${index}`, leaseMs: 30_000 })));
    expect(answers.filter((answer) => answer.kind === 'claimed')).toHaveLength(1);
    await pool().query(`DROP SCHEMA "${schema}_new" CASCADE`);
  });

  it('refuses a table whose journal a later version wrote', async () => {
    const table = `future_${++tables}`;
    await openPostgresOrderJournal({ connectionString: POSTGRES_URL, schema, table }).then((opened) => opened.close());
    await pool().query(`UPDATE "${schema}".xport_schema SET version = 2 WHERE component = $1`, [`order_journal:${table}`]);
    const error = await openPostgresOrderJournal({ connectionString: POSTGRES_URL, schema, table }).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/holds journal schema 2/);
  });

  it('turns a server that does not answer into an ExchangeError, and asks again on the next call', async () => {
    const nowhere = journal({ connectionString: 'postgres://root@127.0.0.1:1/test' });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await nowhere.get(contractIntent(4).key).catch((caught: unknown) => caught);
      expect(ExchangeError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'ECONNREFUSED', operation: 'migrate' });
    }
  });

  it('refuses options that cannot work with ConfigurationError naming the field', () => {
    expect(() => new PostgresOrderJournal({})).toThrow(expect.objectContaining({ field: 'connectionString' }) as Error);
    expect(() => new PostgresOrderJournal({ connectionString: POSTGRES_URL, pool: pool() })).toThrow(ConfigurationError);
    expect(() => new PostgresOrderJournal({ connectionString: POSTGRES_URL, table: 'orders; DROP TABLE x' })).toThrow(expect.objectContaining({ field: 'table' }) as Error);
    expect(() => new PostgresOrderJournal({ connectionString: POSTGRES_URL, schema: 'Public' })).toThrow(expect.objectContaining({ field: 'schema' }) as Error);
    expect(() => new PostgresOrderJournal({ connectionString: POSTGRES_URL, maxConnections: 0 })).toThrow(expect.objectContaining({ field: 'maxConnections' }) as Error);
  });
});
