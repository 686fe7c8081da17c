import { describeOrderJournalContract } from '@xport/contract-tests/journal';
import pg from 'pg';

import { describeWithPostgres, POSTGRES_URL, postgresUnavailable, testSchema } from './test-support/postgres-test-server';
import { PostgresOrderJournal } from './postgres-order-journal';

const unavailable = await postgresUnavailable();
const schema = testSchema();
let tables = 0;

describeWithPostgres('postgres journal', unavailable, () => {
  describeOrderJournalContract({
    name: 'postgres',
    createStore: () => {
      const table = `journal_${++tables}`;
      // Few connections per handle: a test opens several handles and three child processes at once.
      const options = { connectionString: POSTGRES_URL, schema, table, maxConnections: 4 };
      return {
        open: ({ clock }) => new PostgresOrderJournal({ ...options, clock }),
        childOptions: options,
        destroy: async () => {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          await client.query(`DROP TABLE IF EXISTS "${schema}"."${table}"`);
          await client.end();
        },
      };
    },
    // Child processes load the built package, as an application would.
    childProcess: { module: new URL('../dist/index.mjs', import.meta.url).href, exportName: 'openPostgresOrderJournal' },
  });
});
