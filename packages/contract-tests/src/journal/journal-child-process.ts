import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

import type { JournalIntent, JournalOutcome } from '@xport/core';

/**
 * What a child process does once it has opened the journal:
 * - `race`: waits for "go" on stdin, begins every intent (one after another, or all at once when
 *   `concurrent`), reports each answer, closes the journal and exits;
 * - `hold`: begins the first intent, reports the answer, and waits to be killed;
 * - `churn`: begins and settles one key after another without end — `churnPrefix` + 0, 1, 2, …,
 *   each `intents[0]` and `outcomes[0]` under that client order id — reporting each settle once it
 *   resolved, until it is killed.
 */
export interface JournalChildConfig {
  readonly module: string;
  readonly exportName: string;
  readonly options: unknown;
  readonly role: 'race' | 'hold' | 'churn';
  readonly owner: string;
  readonly leaseMs: number;
  readonly intents: readonly JournalIntent[];
  readonly outcomes?: readonly JournalOutcome[];
  readonly concurrent?: boolean;
  readonly churnPrefix?: string;
}

/** One begin's answer as a child reports it. */
export interface ChildBegin {
  readonly id: string;
  readonly kind: string;
  readonly owner: string;
}

export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly results: readonly ChildBegin[] }
  | { readonly type: 'begun'; readonly result: ChildBegin }
  | { readonly type: 'settled'; readonly id: string }
  | { readonly type: 'error'; readonly message: string };

/**
 * The child's program, run as `node --input-type=module -e`: no file to ship or locate, and it
 * imports the store through the module the store's own test names (its built package). Its
 * configuration is the first line on stdin; "go" (a race's start) the second.
 */
const CHILD_PROGRAM = String.raw`
import { createInterface } from 'node:readline';
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const fail = (error) => { send({ type: 'error', message: String(error && error.stack || error) }); process.exit(1); };
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// Never outlive the test: a parent that died closes our stdin.
process.stdin.on('end', () => process.exit(3));
setTimeout(() => fail(new Error('journal child: still running after 120 s')), 120000).unref();
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const config = JSON.parse((await lines.next()).value);
const journal = await (await import(config.module))[config.exportName](config.options);
const claim = { owner: config.owner, leaseMs: config.leaseMs };
const begin = async (intent) => {
  const result = await journal.begin(intent, claim);
  return { id: intent.key.clientOrderId, kind: result.kind, owner: result.entry.owner };
};
send({ type: 'ready' });
if (config.role === 'race') {
  await lines.next();
  const results = [];
  if (config.concurrent) results.push(...(await Promise.all(config.intents.map(begin))));
  else for (const intent of config.intents) results.push(await begin(intent));
  send({ type: 'done', results });
  await journal.close();
  process.exit(0);
}
if (config.role === 'hold') send({ type: 'begun', result: await begin(config.intents[0]) });
if (config.role === 'churn') {
  const [template] = config.intents;
  const [outcome] = config.outcomes;
  for (let index = 0; ; index++) {
    const id = config.churnPrefix + index;
    const key = { ...template.key, clientOrderId: id };
    await begin({ ...template, key });
    await journal.settle(key, { ...outcome, order: { ...outcome.order, clientOrderId: id, orderId: 'venue-' + id } }, { owner: config.owner });
    send({ type: 'settled', id });
  }
}
setInterval(() => undefined, 60000);
`;

/** Real-time waits on other processes get a wide margin: the suite must pass with the other core busy. */
const MESSAGE_TIMEOUT_MS = 60_000;

/** A child process running the journal program, read line by line. */
export class JournalChild {
  readonly #process: ChildProcessWithoutNullStreams;
  readonly #messages: ChildMessage[] = [];
  readonly #waiters: (() => void)[] = [];
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  #stderr = '';
  #buffer = '';

  constructor(config: JournalChildConfig) {
    this.#process = spawn(process.execPath, ['--input-type=module', '-e', CHILD_PROGRAM], { stdio: ['pipe', 'pipe', 'pipe'] });
    // A child that already exited closes the pipe; writing "go" or ending stdin then is harmless.
    this.#process.stdin.on('error', () => undefined);
    this.#process.stdout.setEncoding('utf8');
    this.#process.stdout.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let newline = this.#buffer.indexOf('\n');
      while (newline >= 0) {
        this.#messages.push(JSON.parse(this.#buffer.slice(0, newline)) as ChildMessage);
        this.#buffer = this.#buffer.slice(newline + 1);
        newline = this.#buffer.indexOf('\n');
      }
      this.#wake();
    });
    this.#process.stderr.setEncoding('utf8');
    this.#process.stderr.on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    // The configuration is the first line on stdin: it can be larger than an environment variable may be.
    this.send(JSON.stringify(config));
    // 'close' comes after the last stdout data: every message the child wrote has been read.
    this.exited = new Promise((resolve) => {
      this.#process.on('close', (code, signal) => {
        resolve({ code, signal });
        this.#wake();
      });
    });
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  /** Every message so far. */
  get messages(): readonly ChildMessage[] {
    return this.#messages;
  }

  /** Waits for the first message of `type` not yet taken; fails on an error message, an exit or the timeout. */
  async next<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    const deadline = Date.now() + MESSAGE_TIMEOUT_MS;
    for (;;) {
      const failure = this.#messages.find((message) => message.type === 'error');
      if (failure !== undefined) throw new Error(`journal child ${String(this.pid)} failed: ${failure.message}`);
      const index = this.#messages.findIndex((message) => message.type === type);
      if (index >= 0) {
        const [found] = this.#messages.splice(index, 1);
        return found as Extract<ChildMessage, { type: T }>;
      }
      if (this.#process.exitCode !== null || this.#process.signalCode !== null) {
        throw new Error(`journal child ${String(this.pid)} exited (${String(this.#process.exitCode ?? this.#process.signalCode)}) before "${type}"; stderr: ${this.#stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`journal child ${String(this.pid)}: no "${type}" within ${MESSAGE_TIMEOUT_MS} ms; stderr: ${this.#stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(line: string): void {
    this.#process.stdin.write(`${line}\n`);
  }

  /** Kills the child with SIGKILL and resolves once it is gone and its output is read. */
  async kill(): Promise<void> {
    this.#process.kill('SIGKILL');
    const { signal } = await this.exited;
    if (signal !== 'SIGKILL') throw new Error(`journal child ${String(this.pid)} ended by ${String(signal)}, not SIGKILL; stderr: ${this.#stderr}`);
  }

  /** Ends a child still running (test cleanup); closes its stdin first so it exits by itself. */
  async stop(): Promise<void> {
    this.#process.stdin.end();
    if (this.#process.exitCode === null && this.#process.signalCode === null) this.#process.kill('SIGKILL');
    await this.exited;
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
