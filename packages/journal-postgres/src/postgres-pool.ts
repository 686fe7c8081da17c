/**
 * The part of a `pg.Pool` the journal uses, written out so that this package's types do not make
 * an application install `@types/pg`: a `pg.Pool` fits as it is.
 */
export interface PostgresQueryResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number | null;
}

/** One connection checked out of the pool (`pg.PoolClient`): a transaction runs on it. */
export interface PostgresClient {
  /** Runs one statement with `$1`-style parameters. */
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PostgresQueryResult<Row>>;
  /** Gives the connection back; with an error, the pool discards it instead. */
  release(error?: Error | boolean): void;
}

/** What the journal needs of a pool (`pg.Pool`): one-off statements, and a connection for a transaction. */
export interface PostgresQueryable {
  /** Runs one statement on any connection. */
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PostgresQueryResult<Row>>;
  /** Checks a connection out, for statements that must share one transaction. */
  connect(): Promise<PostgresClient>;
}
