import { xportBuild } from '../tsup.base';

// shims: the CJS build needs import.meta.url to find ccxt's per-exchange module.
// internal: what the venue packages share (`@xport/ccxt/internal`).
export default xportBuild({ shims: true, entry: ['src/index.ts', 'src/internal.ts'] });
