/**
 * What an app pays to load xport for Binance, against loading ccxt whole.
 *
 * Each scenario runs in a fresh Node process, several times, interleaved so that noise from other
 * work on the machine spreads evenly; the table shows medians. Wall time is measured here, from
 * spawn to exit; peak RSS is the child's own `process.resourceUsage().maxRSS`.
 *
 * - xport: imports @xport/factory and @xport/binance, creates an adapter through the factory, and
 *   loads and constructs ccxt's Binance class the way the adapter does at initialize()
 *   (`loadExchangeClass('binance')`), because the adapter loads ccxt lazily.
 * - ccxt: `import 'ccxt'` and `new ccxt.binance()`.
 *
 *   npx pnpm@10.34.9 --filter @xport/factory run bench:import -- --runs 9
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } }, strict: true });
const runs = Number(values.runs);
const packageDir = join(__dirname, '..');
const TARGET = { time: 0.4, memory: 0.65 };

const REPORT =
  'process.on("exit", () => { const usage = process.resourceUsage(); console.log(JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 })); });';

const XPORT_SETUP = `
  const factory = new ExchangeFactory([binance]);
  factory.createExchange({ exchange: 'binance', apiKey: 'key', apiSecret: 'secret' });
  const { exchangeClass, source } = await loadExchangeClass('binance');
  new exchangeClass();
  if (source !== 'module') throw new Error('ccxt Binance class came from ' + source);`;

interface Scenario {
  readonly label: string;
  readonly format: 'esm' | 'cjs';
  readonly code: string;
}

const SCENARIOS = {
  node: { label: 'node alone (startup floor)', format: 'esm', code: '' },
  xportEsm: {
    label: "@xport/factory + @xport/binance + ccxt's Binance class",
    format: 'esm',
    code: `import { ExchangeFactory } from '@xport/factory';
      import { binance } from '@xport/binance';
      import { loadExchangeClass } from '@xport/ccxt/internal';
      ${XPORT_SETUP}`,
  },
  ccxtEsm: { label: "import 'ccxt' + new ccxt.binance()", format: 'esm', code: `import ccxt from 'ccxt'; new ccxt.binance();` },
  xportCjs: {
    label: "@xport/factory + @xport/binance + ccxt's Binance class",
    format: 'cjs',
    code: `const { ExchangeFactory } = require('@xport/factory');
      const { binance } = require('@xport/binance');
      const { loadExchangeClass } = require('@xport/ccxt/internal');
      (async () => { ${XPORT_SETUP} })().catch((error) => { console.error(error); process.exitCode = 1; });`,
  },
  ccxtCjs: { label: "require('ccxt') + new ccxt.binance()", format: 'cjs', code: `const ccxt = require('ccxt'); new ccxt.binance();` },
} satisfies Record<string, Scenario>;

type ScenarioName = keyof typeof SCENARIOS;

interface Sample {
  readonly wallMs: number;
  readonly maxRssKb: number;
  /** User + system CPU of the child: steadier than wall time when other work shares the machine. */
  readonly cpuMs: number;
}

function runOnce(scenario: Scenario): Promise<Sample> {
  const args = scenario.format === 'esm' ? ['--input-type=module', '-e', `${REPORT}\n${scenario.code}`] : ['-e', `${REPORT}\n${scenario.code}`];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`${scenario.label} (${scenario.format}) exited with ${String(code)}`));
        return;
      }
      const { maxRssKb, cpuMs } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Omit<Sample, 'wallMs'>;
      resolve({ wallMs, maxRssKb, cpuMs });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

async function main(): Promise<void> {
  const names = Object.keys(SCENARIOS) as ScenarioName[];
  const samples = new Map<ScenarioName, Sample[]>(names.map((name) => [name, []]));
  // One warm-up round so the file system cache is equally warm for everyone.
  for (const name of names) await runOnce(SCENARIOS[name]);
  for (let round = 0; round < runs; round++) {
    for (const name of names) samples.get(name)?.push(await runOnce(SCENARIOS[name]));
  }
  const result = Object.fromEntries(
    names.map((name) => {
      const taken = samples.get(name) ?? [];
      return [
        name,
        {
          wallMs: median(taken.map((sample) => sample.wallMs)),
          rssMb: median(taken.map((sample) => sample.maxRssKb)) / 1024,
          cpuMs: median(taken.map((sample) => sample.cpuMs)),
        },
      ];
    }),
  ) as Record<ScenarioName, { wallMs: number; rssMb: number; cpuMs: number }>;

  const row = (label: string, wall: string, rss: string, cpu: string): string => `${label.padEnd(62)}${wall.padStart(10)}${rss.padStart(14)}${cpu.padStart(10)}`;
  const lines = [
    `lean import: median of ${runs} fresh processes per row (Node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg()[0]?.toFixed(1) ?? '?'})`,
    row('', 'wall ms', 'peak RSS MB', 'CPU ms'),
  ];
  const ratios: Record<string, { time: number; memory: number }> = {};
  const figures = (name: ScenarioName): [string, string, string] => [result[name].wallMs.toFixed(0), result[name].rssMb.toFixed(1), result[name].cpuMs.toFixed(0)];
  lines.push(row(SCENARIOS.node.label, ...figures('node')));
  for (const [format, xport, ccxt] of [
    ['ESM', 'xportEsm', 'ccxtEsm'],
    ['CJS', 'xportCjs', 'ccxtCjs'],
  ] as const) {
    const time = result[xport].wallMs / result[ccxt].wallMs;
    const memory = result[xport].rssMb / result[ccxt].rssMb;
    ratios[format] = { time, memory };
    lines.push(row(`${format}  ${SCENARIOS[xport].label}`, ...figures(xport)));
    lines.push(row(`${format}  ${SCENARIOS[ccxt].label}`, ...figures(ccxt)));
    lines.push(row(`${format}  ratio xport / ccxt`, `${time.toFixed(2)}×`, `${memory.toFixed(2)}×`, `${(result[xport].cpuMs / result[ccxt].cpuMs).toFixed(2)}×`));
  }
  const esm = ratios.ESM ?? { time: Number.NaN, memory: Number.NaN };
  const met = esm.time <= TARGET.time && esm.memory <= TARGET.memory;
  lines.push(`target (ESM): ≤ ${TARGET.time}× time and ≤ ${TARGET.memory}× memory of import 'ccxt' — ${met ? 'met' : 'MISSED'}`);
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
