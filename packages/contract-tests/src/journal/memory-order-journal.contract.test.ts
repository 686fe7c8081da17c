import { MemoryOrderJournal } from '@xport/core';

import { describeOrderJournalContract } from '../journal';

// The reference store: one process, nothing kept once closed, so the reopen and process tests are listed as skipped.
describeOrderJournalContract({
  name: 'memory',
  createStore: () => ({ open: ({ clock }) => new MemoryOrderJournal({ clock }) }),
  durable: false,
});
