import { xportBuild } from '../tsup.base';

// Two entries: the exchange suite, and `@xport/contract-tests/journal`, which a journal store loads
// without the simulator.
export default xportBuild({ entry: ['src/index.ts', 'src/journal.ts'] });
