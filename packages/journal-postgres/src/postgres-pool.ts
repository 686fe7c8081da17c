/**
 * The part of a `pg.Pool` the journal uses, written out so that this package's types do not make
 * an application install `@types/pg`: a `pg.Pool` fits as it is.
 */
export interface PostgresQueryResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number | null;
}

export interface PostgresClient {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PostgresQueryResult<Row>>;
  release(error?: Error | boolean): void;
}

export interface PostgresQueryable {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PostgresQueryResult<Row>>;
  connect(): Promise<PostgresClient>;
}
