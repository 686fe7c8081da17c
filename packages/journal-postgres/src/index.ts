export type { PostgresOrderJournalOptions } from './postgres-order-journal';
export { openPostgresOrderJournal, PostgresOrderJournal } from './postgres-order-journal';
export type { PostgresClient, PostgresQueryable, PostgresQueryResult } from './postgres-pool';
