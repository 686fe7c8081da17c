import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { afterAll, describe, it } from 'vitest';

/** The server the tests use: `XPORT_POSTGRES_URL`, or the local one CI and the development machines run. */
export const POSTGRES_URL = process.env.XPORT_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** Why the server cannot be used, or undefined when it answered. */
export async function postgresUnavailable(url: string = POSTGRES_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Registers `register` when the server answers. When it does not: under CI (the `CI` variable set)
 * a failing test says so, because CI must never skip these silently; elsewhere the group is listed
 * as skipped with the reason, and one line on stdout says how to start a server.
 */
export function describeWithPostgres(title: string, unavailable: string | undefined, register: () => void): void {
  if (unavailable === undefined) {
    describe(title, register);
    return;
  }
  const reason = `PostgreSQL at ${POSTGRES_URL} did not answer (${unavailable})`;
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
    describe(title, () => {
      it('needs PostgreSQL, which CI runs', () => {
        throw new Error(`${reason}; set XPORT_POSTGRES_URL or start the server`);
      });
    });
    return;
  }
  console.info(`[@xport/journal-postgres] ${title} skipped: ${reason}. Start one (Debian: apt-get install postgresql) or set XPORT_POSTGRES_URL.`);
  describe.skip(`${title} (skipped: ${reason})`, () => {
    it('needs PostgreSQL', () => undefined);
  });
}

/**
 * A schema of this test file's own, dropped after the file: parallel runs (and parallel files) never
 * share a table.
 */
export function testSchema(): string {
  const schema = `xport_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } catch {
      // The server was never there; nothing to drop.
    } finally {
      await client.end().catch(() => undefined);
    }
  });
  return schema;
}
