import { randomBytes } from 'node:crypto';

import { JournalOwnershipError } from '@xport/core';
import type { JournalEntry, JournalIntent } from '@xport/core';
import { afterEach, describe, expect, it } from 'vitest';

import { expectRejection } from '../expectations';
import { InstantClock } from '../instant-clock';
import { JournalChild } from './journal-child-process';
import type { ChildBegin, JournalChildConfig } from './journal-child-process';
import { claimedEntry } from './journal-claims';
import type { OrderJournalContractContext } from './journal-contract-context';
import { CONTRACT_LEASE_MS } from './journal-contract-context';
import type { OrderJournalChildProcess } from './journal-contract-options';
import { CONTRACT_REQUESTS, contractIntent, placedOutcomeFor } from './journal-fixtures';

/** Processes racing per round, rounds (new keys, then expired leases), and keys per round: 3 × 4 × 100 claims contested. */
const RACERS = 3;
const ROUNDS = 4;
const KEYS_PER_ROUND = 100;
/** Long enough that no racer's lease can expire during a round, so every loser must see busy. */
const RACE_LEASE_MS = 10 * 60_000;
const PROCESS_TEST_TIMEOUT_MS = 120_000;

const REQUESTS = Object.values(CONTRACT_REQUESTS);

/** Keys no other test or run shares, spread over the operations. */
function freshIntents(prefix: string, count: number): JournalIntent[] {
  const run = randomBytes(3).toString('hex');
  return Array.from({ length: count }, (_, index) => contractIntent(`${prefix}${run}-${index}`, REQUESTS[index % REQUESTS.length]));
}

/** Tests with real processes over one store: reopen, racing claims, SIGKILL. */
export function describeProcesses(ctx: OrderJournalContractContext): void {
  const { durable = true, childProcess } = ctx.options;
  const children: JournalChild[] = [];
  afterEach(async () => {
    await Promise.allSettled(children.splice(0).map((child) => child.stop()));
  });

  const startChild = (processes: OrderJournalChildProcess, config: Omit<JournalChildConfig, 'module' | 'exportName' | 'options'>): JournalChild => {
    if (ctx.store.childOptions === undefined) throw new Error('contract-tests: a store with childProcess must give childOptions');
    const child = new JournalChild({ module: processes.module, exportName: processes.exportName, options: ctx.store.childOptions, ...config });
    children.push(child);
    return child;
  };

  describe('several handles on one store', () => {
    it.skipIf(!durable)(`keeps every entry across close and reopen${durable ? '' : ' (skipped: the store keeps nothing once closed)'}`, async () => {
      const placed = contractIntent('durable-placed', CONTRACT_REQUESTS.futuresLong);
      const refused = contractIntent('durable-refused');
      const pending = contractIntent('durable-pending', CONTRACT_REQUESTS.closeLong);
      const claim = { owner: 'alice', leaseMs: CONTRACT_LEASE_MS };
      claimedEntry(await ctx.journal.begin(placed, claim));
      await ctx.journal.settle(placed.key, placedOutcomeFor(placed), claim);
      claimedEntry(await ctx.journal.begin(refused, claim));
      await ctx.journal.settle(refused.key, { state: 'refused', errorClass: 'ExchangeAPIError', message: 'Filter failure: LOT_SIZE' }, claim);
      claimedEntry(await ctx.journal.begin(pending, claim));
      const before = await ctx.journal.list();
      await ctx.journal.close();
      const reopened = await ctx.open(new InstantClock(ctx.clock.now()));
      expect(await reopened.list()).toEqual(before);
      expect((await reopened.begin(placed, { owner: 'bob', leaseMs: 1 })).kind).toBe('placed');
      expect((await reopened.begin(pending, { owner: 'bob', leaseMs: 1 })).kind).toBe('busy');
    });

    it.skipIf(!durable)(`refuses a settle through one handle once another handle took the entry over${durable ? '' : ' (skipped: each handle is a store of its own)'}`, async () => {
      const intent = contractIntent('two-handles', CONTRACT_REQUESTS.spotSell);
      claimedEntry(await ctx.journal.begin(intent, { owner: 'alice', leaseMs: CONTRACT_LEASE_MS }));
      const later = await ctx.open(new InstantClock(ctx.clock.now() + CONTRACT_LEASE_MS));
      const takeover = claimedEntry(await later.begin(intent, { owner: 'bob', leaseMs: CONTRACT_LEASE_MS }));
      const error = await expectRejection(ctx.journal.settle(intent.key, placedOutcomeFor(intent), { owner: 'alice' }), JournalOwnershipError);
      expect(error).toMatchObject({ holder: 'bob', state: 'pending' });
      expect(await ctx.journal.get(intent.key)).toEqual(takeover);
    });
  });

  describe('several processes', () => {
    const skipped = childProcess === undefined;
    const reason = skipped ? ' (skipped: the store lives inside one process)' : '';

    it.skipIf(skipped)(
      `lets exactly one of ${RACERS} processes claim each key, new or with an expired lease, over ${ROUNDS} rounds of ${KEYS_PER_ROUND} keys${reason}`,
      { timeout: PROCESS_TEST_TIMEOUT_MS },
      async () => {
        if (childProcess === undefined) return;
        for (let round = 0; round < ROUNDS; round++) {
          const intents = freshIntents(`race${round}-`, KEYS_PER_ROUND);
          // Half the rounds send begins one after another, half all at once (a batching store groups them).
          const concurrent = round % 2 === 1;
          // The later rounds race to take over entries whose holder's lease expired long ago, not to insert new ones.
          if (round >= ROUNDS / 2) {
            const ghost = await ctx.open(new InstantClock(Date.now() - RACE_LEASE_MS));
            for (const intent of intents) claimedEntry(await ghost.begin(intent, { owner: 'ghost', leaseMs: 1000 }));
          }
          const racers = Array.from({ length: RACERS }, (_, index) =>
            startChild(childProcess, { role: 'race', owner: `racer-${round}-${index}`, leaseMs: RACE_LEASE_MS, intents, concurrent }),
          );
          await Promise.all(racers.map((racer) => racer.next('ready')));
          for (const racer of racers) racer.send('go');
          const answers = await Promise.all(racers.map(async (racer) => (await racer.next('done')).results));
          const byKey = new Map<string, ChildBegin[]>();
          for (const results of answers) {
            expect(results).toHaveLength(KEYS_PER_ROUND);
            for (const result of results) byKey.set(result.id, [...(byKey.get(result.id) ?? []), result]);
          }
          for (const intent of intents) {
            const results = byKey.get(intent.key.clientOrderId) ?? [];
            const winners = results.filter((result) => result.kind === 'claimed');
            expect(winners, `round ${round}, key ${intent.key.clientOrderId}: ${JSON.stringify(results)}`).toHaveLength(1);
            const winner = winners[0]?.owner;
            for (const result of results.filter((answer) => answer.kind !== 'claimed')) expect(result).toEqual({ id: intent.key.clientOrderId, kind: 'busy', owner: winner });
            expect((await ctx.journal.get(intent.key))?.owner).toBe(winner);
          }
        }
      },
    );

    it.skipIf(skipped)(
      `leaves a process killed (SIGKILL) between begin and settle pending; another owner takes it over only after the lease expires${reason}`,
      { timeout: PROCESS_TEST_TIMEOUT_MS },
      async () => {
        if (childProcess === undefined) return;
        const [intent] = freshIntents('killed-', 1) as [JournalIntent];
        const child = startChild(childProcess, { role: 'hold', owner: 'doomed', leaseMs: CONTRACT_LEASE_MS, intents: [intent] });
        expect((await child.next('begun')).result).toEqual({ id: intent.key.clientOrderId, kind: 'claimed', owner: 'doomed' });
        await child.kill();
        const survivor = await ctx.open(new InstantClock(Date.now()));
        const orphan = await survivor.get(intent.key);
        expect(orphan).toMatchObject({ state: 'pending', owner: 'doomed', claims: 1, request: intent.request });
        if (orphan === undefined) return;
        expect(await survivor.pending()).toContainEqual(orphan);
        const before = await ctx.open(new InstantClock(orphan.leaseExpiresAt - 1));
        expect(await before.begin(intent, { owner: 'heir', leaseMs: CONTRACT_LEASE_MS })).toEqual({ kind: 'busy', entry: orphan });
        const after = await ctx.open(new InstantClock(orphan.leaseExpiresAt));
        const takeover = await after.begin(intent, { owner: 'heir', leaseMs: CONTRACT_LEASE_MS });
        expect(takeover).toMatchObject({ kind: 'claimed', previous: orphan, entry: { state: 'pending', owner: 'heir', claims: 2 } });
        expect((await after.settle(intent.key, placedOutcomeFor(intent), { owner: 'heir' })).state).toBe('placed');
      },
    );

    it.skipIf(skipped)(
      `keeps every settle a killed process had acknowledged, and at most the one pair in flight pending${reason}`,
      { timeout: PROCESS_TEST_TIMEOUT_MS },
      async () => {
        if (childProcess === undefined) return;
        const [template] = freshIntents('churn-', 1) as [JournalIntent];
        const prefix = `${template.key.clientOrderId}-`;
        const intentAt = (index: number): JournalIntent => ({ ...template, key: { ...template.key, clientOrderId: `${prefix}${index}` } });
        const child = startChild(childProcess, {
          role: 'churn',
          owner: 'churner',
          leaseMs: CONTRACT_LEASE_MS,
          intents: [template],
          outcomes: [placedOutcomeFor(template)],
          churnPrefix: prefix,
        });
        // The child never runs out of keys, so the kill lands wherever it is, a little past the
        // acknowledgements read so far, at a point that differs run to run.
        const killAfter = 20 + Math.floor(Math.random() * 200);
        for (let settled = 0; settled < killAfter; settled++) await child.next('settled');
        await child.kill();
        // Acknowledgements come in order: the first `acknowledged` keys were settled before the kill.
        const acknowledged = killAfter + child.messages.filter((message) => message.type === 'settled').length;
        const entries = new Map<string, JournalEntry>((await ctx.journal.list()).map((entry) => [entry.key.clientOrderId, entry]));
        for (let index = 0; index < acknowledged; index++) {
          const entry = entries.get(intentAt(index).key.clientOrderId);
          expect(entry?.state, intentAt(index).key.clientOrderId).toBe('placed');
          expect(entry?.outcome).toEqual(placedOutcomeFor(intentAt(index)));
        }
        // The child may have gone one pair further than it reported: begun (pending) or settled (placed).
        const inFlightEntry = entries.get(intentAt(acknowledged).key.clientOrderId);
        if (inFlightEntry !== undefined) expect(['pending', 'placed']).toContain(inFlightEntry.state);
        expect(entries.size, 'entries beyond the pair in flight').toBe(acknowledged + (inFlightEntry === undefined ? 0 : 1));
      },
    );
  });
}
