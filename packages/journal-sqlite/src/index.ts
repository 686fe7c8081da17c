export type { SqliteOrderJournalOptions } from './sqlite-order-journal';
export { openSqliteOrderJournal, SqliteOrderJournal } from './sqlite-order-journal';
