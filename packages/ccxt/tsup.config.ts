import { xportBuild } from '../tsup.base';

// shims: the CJS build needs import.meta.url to find ccxt's per-exchange module.
export default xportBuild({ shims: true });
