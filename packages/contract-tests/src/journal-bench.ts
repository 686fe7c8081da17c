export type { JournalBenchOptions, JournalBenchRow, JournalBenchSubject } from './journal/journal-bench';
export { benchOrderJournals, formatJournalBench } from './journal/journal-bench';
