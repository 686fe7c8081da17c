/**
 * Signed order throughput of the simulator through real HTTP.
 *
 * Starts the built `xport-sim` in its own process (so the server and this load generator each get
 * a core), creates many Binance accounts through the control API, then sends signed spot market
 * orders (`POST /binance/api/v3/order`, HMAC-SHA256 over the form body, as ccxt signs them) from a
 * keep-alive undici Pool, round-robin over the accounts, for a fixed time. Prints requests/s.
 *
 *   pnpm --filter @xport/simulator run bench -- --seconds 10 --connections 64 --accounts 500
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

interface BenchAccount {
  readonly apiKey: string;
  readonly secret: string;
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '64' },
    accounts: { type: 'string', default: '300' },
  },
  strict: true,
});
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const connections = Number(values.connections);
const accountCount = Number(values.accounts);

/** CPU seconds (user + system) a process has used so far, from /proc; undefined off Linux. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields?.[11]) + Number(fields?.[12])) / 100;
  } catch {
    return undefined;
  }
}

async function startServer(): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  const cli = join(__dirname, '..', 'dist', 'cli.cjs');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the package first`);
  // Orders must be refused by nothing but the engine: lift the per-IP weight and the per-account order counts.
  const lifted = ['--binance-weight-per-minute', '--binance-spot-orders-per-10s', '--binance-spot-orders-per-day'].flatMap((flag) => [flag, '1000000000']);
  const child = spawn(process.execPath, [cli, '--port', '0', '--seed', '1', ...lifted], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /xport-sim listening on (\S+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => {
      reject(new Error(`xport-sim exited with ${String(code)}`));
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { url, pid: child.pid, stop };
}

async function createAccounts(url: string): Promise<BenchAccount[]> {
  const accounts: BenchAccount[] = [];
  for (let i = 0; i < accountCount; i++) {
    const response = await fetch(`${url}/_sim/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ exchange: 'binance', balances: { USDT: '1000000000' } }),
    });
    if (response.status !== 201) throw new Error(`account creation answered ${response.status}`);
    accounts.push((await response.json()) as BenchAccount);
  }
  return accounts;
}

async function main(): Promise<void> {
  const server = await startServer();
  try {
    const accounts = await createAccounts(server.url);
    const pool = new Pool(server.url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
    let sequence = 0;
    let measuring = false;
    let ok = 0;
    let failed = 0;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();

    const sendOne = async (): Promise<void> => {
      const n = sequence++;
      const account = accounts[n % accounts.length];
      if (!account) throw new Error('no accounts');
      const params = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&newClientOrderId=bench${n}&newOrderRespType=FULL&timestamp=${Date.now()}&recvWindow=10000`;
      const body = `${params}&signature=${createHmac('sha256', account.secret).update(params).digest('hex')}`;
      const started = performance.now();
      const response = await pool.request({
        path: '/binance/api/v3/order',
        method: 'POST',
        headers: { 'x-mbx-apikey': account.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      await response.body.text();
      if (!measuring) return;
      latencies.push(performance.now() - started);
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      if (response.statusCode === 200) ok++;
      else failed++;
    };

    let running = true;
    const worker = async (): Promise<void> => {
      while (running) await sendOne();
    };
    const workers = Array.from({ length: connections }, () => worker());
    await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
    measuring = true;
    const started = performance.now();
    const cpuBefore = cpuSeconds(server.pid);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    measuring = false;
    const elapsed = (performance.now() - started) / 1000;
    const cpuAfter = cpuSeconds(server.pid);
    running = false;
    await Promise.all(workers);
    await pool.close();

    latencies.sort((a, b) => a - b);
    const percentile = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(2);
    console.log(`signed Binance spot market orders through HTTP: ${connections} keep-alive connections, ${accountCount} accounts, ${seconds}s`);
    console.log(`  ${Math.round(ok / elapsed)} orders/s accepted (${ok} filled, ${failed} refused: ${JSON.stringify(Object.fromEntries(statuses))})`);
    console.log(`  latency p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms`);
    if (cpuBefore !== undefined && cpuAfter !== undefined && ok > 0) {
      const serverCpu = cpuAfter - cpuBefore;
      const perOrderUs = (serverCpu / (ok + failed)) * 1e6;
      console.log(
        `  server process: ${((serverCpu / elapsed) * 100).toFixed(0)}% of one core, ${perOrderUs.toFixed(0)} µs CPU per order ` +
          `(≈ ${Math.round(1e6 / perOrderUs)} orders/s per core)`,
      );
    }
    if (failed > 0) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
