import { xportBuild } from '../tsup.base';

// Four entries: the exchange suite; `@xport/contract-tests/journal`, the suite a journal store runs
// (without the simulator); `@xport/contract-tests/journal-bench`, its benchmark, which a plain
// script loads (vitest cannot be required outside its runner); and `@xport/contract-tests/shared-state`,
// the suite a SharedState store (budgets, breakers, cache) runs.
export default xportBuild({ entry: ['src/index.ts', 'src/journal.ts', 'src/journal-bench.ts', 'src/shared-state.ts'] });
