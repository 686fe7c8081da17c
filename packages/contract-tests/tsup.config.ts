import { xportBuild } from '../tsup.base';

// Three entries: the exchange suite; `@xport/contract-tests/journal`, the suite a journal store runs
// (without the simulator); and `@xport/contract-tests/journal-bench`, its benchmark, which a plain
// script loads (vitest cannot be required outside its runner).
export default xportBuild({ entry: ['src/index.ts', 'src/journal.ts', 'src/journal-bench.ts'] });
