import type { RouteKind, VenueName } from './contract';
import { createSeededRandom, type SeededRandom } from './random';
import { isVenueName, VENUE_NAMES } from './venues/registry';

export const FAULT_KINDS = [
  'latency',
  'error5xx',
  'reset',
  'timeout',
  'rateLimit',
  'malformed',
  'commitThenFail',
  'queryLag',
  'restart',
  'streamDisconnect',
  'streamSilence',
  'streamDelay',
  'streamReorder',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How a commit-then-fail loses the response of the order it executed. */
export const COMMIT_THEN_FAIL_MODES = ['error5xx', 'reset', 'timeout'] as const;
export type CommitThenFailMode = (typeof COMMIT_THEN_FAIL_MODES)[number];


export interface FaultRuleInput {
  readonly kind: FaultKind;
  readonly exchange?: VenueName;
  /** Substring of the request path (including the venue prefix, e.g. `/binance/fapi/v1/order`). */
  readonly path?: string;
  readonly apiKey?: string;
  /** Chance in 0..1 that a matching request is hit, drawn from the seeded source; default 1. */
  readonly probability?: number;
  /** Hit at most this many requests, then the rule retires; default unlimited. */
  readonly count?: number;
  /**
   * latency: the delay; timeout / commitThenFail timeout: how long the response is withheld;
   * queryLag: the window; restart: how long the venue stays down after restarting;
   * streamSilence: how long the streams stay silent; streamDelay: how late each event arrives;
   * streamReorder: how long a held event waits for the next one before it goes out alone.
   */
  readonly ms?: number;
  /** commitThenFail only; default `error5xx` (Binance answers its -1007 "send status unknown"). */
  readonly mode?: CommitThenFailMode;
}

export interface FaultRule extends FaultRuleInput {
  readonly id: string;
  /** Requests still to hit when `count` was given. */
  readonly remaining?: number;
  readonly hits: number;
}

interface ActiveRule {
  readonly input: FaultRuleInput;
  readonly id: string;
  remaining: number;
  hits: number;
}

/**
 * Which requests a kind applies to and when the server consults it. `stream`: each account event a
 * private stream sends (streamDelay, streamReorder); `streamNow`: applied to the open streams when
 * the rule is added (streamDisconnect, streamSilence), never matched against requests.
 */
export type FaultPhase = 'delay' | 'before' | 'query' | 'commit' | 'stream' | 'streamNow';

/** The fault kinds that act on private WebSocket streams rather than on REST requests. */
export const STREAM_FAULT_KINDS: readonly FaultKind[] = ['streamDisconnect', 'streamSilence', 'streamDelay', 'streamReorder'];

function phaseOf(kind: FaultKind): FaultPhase {
  switch (kind) {
    case 'streamDelay':
    case 'streamReorder':
      return 'stream';
    case 'streamDisconnect':
    case 'streamSilence':
      return 'streamNow';
    case 'latency':
      return 'delay';
    case 'queryLag':
      return 'query';
    case 'commitThenFail':
      return 'commit';
    default:
      return 'before';
  }
}

export class FaultRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultRuleError';
  }
}

/** Defaults for `ms` by kind. */
export const DEFAULT_FAULT_MS: Readonly<Record<FaultKind, number>> = {
  latency: 1_000,
  error5xx: 0,
  reset: 0,
  timeout: 30_000,
  rateLimit: 1_000,
  malformed: 0,
  commitThenFail: 30_000,
  queryLag: 2_000,
  restart: 0,
  streamDisconnect: 0,
  streamSilence: 30_000,
  streamDelay: 1_000,
  streamReorder: 1_000,
};

/**
 * The longest delay or window a rule may ask for. A day is past any client timeout; beyond about
 * 24.8 days a Node timer would overflow and fire at once, the opposite of what was asked.
 */
export const MAX_FAULT_MS = 24 * 60 * 60 * 1000;

/** Checks a rule from JSON or code; throws FaultRuleError naming the offending field. */
export function parseFaultRule(value: unknown): FaultRuleInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FaultRuleError('fault rule must be a JSON object');
  const raw = value as Record<string, unknown>;
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultRuleError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const rule: { -readonly [K in keyof FaultRuleInput]: FaultRuleInput[K] } = { kind: kind as FaultKind };
  if (raw.exchange !== undefined) {
    if (!isVenueName(raw.exchange)) throw new FaultRuleError(`exchange must be one of ${VENUE_NAMES.join(', ')}`);
    rule.exchange = raw.exchange;
  }
  if (raw.path !== undefined) {
    if (typeof raw.path !== 'string' || raw.path === '') throw new FaultRuleError('path must be a non-empty string');
    rule.path = raw.path;
  }
  if (raw.apiKey !== undefined) {
    if (typeof raw.apiKey !== 'string' || raw.apiKey === '') throw new FaultRuleError('apiKey must be a non-empty string');
    rule.apiKey = raw.apiKey;
  }
  if (raw.probability !== undefined) {
    if (typeof raw.probability !== 'number' || !(raw.probability >= 0 && raw.probability <= 1)) {
      throw new FaultRuleError('probability must be a number from 0 to 1');
    }
    rule.probability = raw.probability;
  }
  if (raw.count !== undefined) {
    if (typeof raw.count !== 'number' || !Number.isSafeInteger(raw.count) || raw.count < 1) throw new FaultRuleError('count must be a positive integer');
    rule.count = raw.count;
  }
  if (raw.ms !== undefined) {
    if (typeof raw.ms !== 'number' || !Number.isFinite(raw.ms) || raw.ms < 0) throw new FaultRuleError('ms must be a non-negative number');
    if (raw.ms > MAX_FAULT_MS) throw new FaultRuleError(`ms must be at most ${MAX_FAULT_MS} (one day)`);
    rule.ms = raw.ms;
  }
  if (raw.mode !== undefined) {
    if (kind !== 'commitThenFail') throw new FaultRuleError('mode applies to commitThenFail only');
    if (typeof raw.mode !== 'string' || !(COMMIT_THEN_FAIL_MODES as readonly string[]).includes(raw.mode)) {
      throw new FaultRuleError(`mode must be one of ${COMMIT_THEN_FAIL_MODES.join(', ')}`);
    }
    rule.mode = raw.mode as CommitThenFailMode;
  }
  return rule;
}

/**
 * The fault rules in force. Matching is O(rules) and allocates nothing, so with no rules it costs
 * one length check per request. Rules are tried in the order they were added; the first that
 * matches, passes its probability draw and has hits left wins its phase.
 */
export class FaultRegistry {
  private rules: ActiveRule[] = [];
  private counter = 0;
  private random: SeededRandom;

  /** Probability draws come from their own stream, so faults never shift the engine's ids. */
  constructor(private readonly seed: number) {
    this.random = createSeededRandom(seed ^ 0x5eed_f417);
  }

  add(input: FaultRuleInput): FaultRule {
    const parsed = parseFaultRule(input);
    const rule: ActiveRule = { input: parsed, id: `fault-${++this.counter}`, remaining: parsed.count ?? Infinity, hits: 0 };
    this.rules.push(rule);
    return describe(rule);
  }

  list(): FaultRule[] {
    return this.rules.map(describe);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  has(id: string): boolean {
    return this.rules.some((rule) => rule.id === id);
  }

  /** Also restarts rule ids and the seeded draws, so a reset simulator replays the same faults. */
  reset(): void {
    this.rules = [];
    this.counter = 0;
    this.random = createSeededRandom(this.seed ^ 0x5eed_f417);
  }

  get size(): number {
    return this.rules.length;
  }

  /**
   * The rule of `phase` that hits this request, consuming one of its hits, or undefined.
   * `routeKind` limits query lag to order queries and commit-then-fail to order placement.
   */
  match(phase: FaultPhase, venue: VenueName, path: string, apiKey: string | undefined, routeKind: RouteKind | undefined): FaultRuleInput | undefined {
    if (this.rules.length === 0) return undefined;
    if (phase === 'query' && routeKind !== 'order.query') return undefined;
    if (phase === 'commit' && routeKind !== 'order.create') return undefined;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      if (rule === undefined) continue;
      const input = rule.input;
      if (phaseOf(input.kind) !== phase) continue;
      if (input.exchange !== undefined && input.exchange !== venue) continue;
      if (input.apiKey !== undefined && input.apiKey !== apiKey) continue;
      if (input.path !== undefined && !path.includes(input.path)) continue;
      if (input.probability !== undefined && input.probability < 1 && !(this.random.next() < input.probability)) continue;
      rule.hits++;
      rule.remaining--;
      if (rule.remaining <= 0) this.rules.splice(i, 1);
      return input;
    }
    return undefined;
  }
}

function describe(rule: ActiveRule): FaultRule {
  return {
    ...rule.input,
    id: rule.id,
    hits: rule.hits,
    ...(Number.isFinite(rule.remaining) ? { remaining: rule.remaining } : {}),
  };
}
