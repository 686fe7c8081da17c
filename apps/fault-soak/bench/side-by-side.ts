/**
 * The fault soak twice on identical simulators (same seed, same faults): xport's adapters, and plain
 * ccxt behind the usual retry-on-network-error wrapper. Prints both duplicate counts.
 *
 *   npx pnpm@10.34.9 --filter @xport/fault-soak run bench
 */
import { startSimulator } from '@xport/simulator';

import { formatSoakReport } from '../src/report-table';
import { runNaiveSoak } from '../src/run-naive-soak';
import { runXportSoak } from '../src/run-xport-soak';
import { SOAK_BUDGETS, STANDARD_SOAK } from '../src/standard-soak';

const options = { ...STANDARD_SOAK, runId: 'bench' };
const budgets = SOAK_BUDGETS;

const xportSim = await startSimulator({ port: 0, seed: 7, budgets });
const xport = await runXportSoak(xportSim, options);
await xportSim.close();

const naiveSim = await startSimulator({ port: 0, seed: 7, budgets });
const naive = await runNaiveSoak(naiveSim, options);
await naiveSim.close();

console.log(formatSoakReport(`xport (Node ${process.version}, ${new Date().toISOString().slice(0, 10)})`, xport));
console.log('');
console.log('side by side                      xport   plain ccxt + naive retry');
console.log(`  orders                          ${String(xport.orders).padEnd(7)} ${naive.orders}`);
console.log(`  duplicates                      ${String(xport.duplicates).padEnd(7)} ${naive.duplicates}`);
console.log(`  told "failed" but executed      ${String(xport.lost).padEnd(7)} ${naive.lost}`);
console.log(`  wall time                       ${(xport.wallMs / 1000).toFixed(1).padEnd(5)} s ${(naive.wallMs / 1000).toFixed(1)} s`);
