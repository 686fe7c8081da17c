import { InvalidOrderError } from '@xport/core';
import type { JournalEntry } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { expectRejection, rejectionOf } from '../expectations';
import { claimedEntry, settledEntry } from './journal-claims';
import type { OrderJournalContractContext } from './journal-contract-context';
import { CONTRACT_LEASE_MS } from './journal-contract-context';
import { CONTRACT_REQUESTS, contractIntent, contractKey, placedOutcomeFor } from './journal-fixtures';

const ALICE = { owner: 'alice', leaseMs: CONTRACT_LEASE_MS };

const ids = (entries: readonly JournalEntry[]): string[] => entries.map((entry) => `${entry.key.exchange}/${entry.key.account}/${entry.key.clientOrderId}`);

/** get, pending, list, input checks and close. */
export function describeQueries(ctx: OrderJournalContractContext): void {
  describe('queries', () => {
    /** Five entries one second apart, in every state, over two exchanges and two accounts. */
    async function fill(): Promise<void> {
      await settledEntry(ctx, contractIntent('a-placed'), 'placed');
      ctx.clock.advance(1000);
      claimedEntry(await ctx.journal.begin(contractIntent('b-pending'), ALICE));
      ctx.clock.advance(1000);
      await settledEntry(ctx, contractIntent('c-refused', CONTRACT_REQUESTS.spotBuy, { account: 'follower-2' }), 'refused');
      ctx.clock.advance(1000);
      await settledEntry(ctx, contractIntent('d-unknown', CONTRACT_REQUESTS.spotBuy, { exchange: 'bybit' }), 'unknown');
      ctx.clock.advance(1000);
      claimedEntry(await ctx.journal.begin(contractIntent('e-pending', CONTRACT_REQUESTS.spotBuy, { account: 'follower-2' }), ALICE));
    }

    it('pending() lists pending and unknown entries, oldest first, filtered by age, exchange, account and limit', async () => {
      await fill();
      expect(ids(await ctx.journal.pending())).toEqual(['binance/follower-1/xp-b-pending', 'bybit/follower-1/xp-d-unknown', 'binance/follower-2/xp-e-pending']);
      // Entries are 3 s, 1 s and 0 s old.
      expect(ids(await ctx.journal.pending({ olderThanMs: 1000 }))).toEqual(['binance/follower-1/xp-b-pending', 'bybit/follower-1/xp-d-unknown']);
      expect(ids(await ctx.journal.pending({ olderThanMs: 1001 }))).toEqual(['binance/follower-1/xp-b-pending']);
      expect(ids(await ctx.journal.pending({ exchange: 'bybit' }))).toEqual(['bybit/follower-1/xp-d-unknown']);
      expect(ids(await ctx.journal.pending({ account: 'follower-2' }))).toEqual(['binance/follower-2/xp-e-pending']);
      expect(ids(await ctx.journal.pending({ limit: 2 }))).toEqual(['binance/follower-1/xp-b-pending', 'bybit/follower-1/xp-d-unknown']);
      const settled = await ctx.journal.settle(contractKey('b-pending'), placedOutcomeFor(contractIntent('b-pending')), { owner: 'alice' });
      expect(ids(await ctx.journal.pending())).not.toContain(ids([settled])[0]);
    });

    it('list() lists every entry oldest first, filtered by exchange, account, state and limit', async () => {
      await fill();
      const all = await ctx.journal.list();
      expect(ids(all)).toEqual([
        'binance/follower-1/xp-a-placed',
        'binance/follower-1/xp-b-pending',
        'binance/follower-2/xp-c-refused',
        'bybit/follower-1/xp-d-unknown',
        'binance/follower-2/xp-e-pending',
      ]);
      expect(all.map((entry) => entry.state)).toEqual(['placed', 'pending', 'refused', 'unknown', 'pending']);
      for (const entry of all) expect(await ctx.journal.get(entry.key)).toEqual(entry);
      expect(ids(await ctx.journal.list({ state: 'pending' }))).toEqual(['binance/follower-1/xp-b-pending', 'binance/follower-2/xp-e-pending']);
      expect(ids(await ctx.journal.list({ exchange: 'binance', account: 'follower-2' }))).toEqual(['binance/follower-2/xp-c-refused', 'binance/follower-2/xp-e-pending']);
      expect(ids(await ctx.journal.list({ limit: 1 }))).toEqual(['binance/follower-1/xp-a-placed']);
      expect(await ctx.journal.list({ exchange: 'bitget' })).toEqual([]);
    });

    it('orders entries created in the same millisecond by exchange, account and client order id, in ASCII order whatever the locale', async () => {
      for (const [id, exchange, account] of [['b', 'bybit', 'f1'], ['b', 'binance', 'f2'], ['a', 'binance', 'f2'], ['z', 'binance', 'f1'], ['a', 'binance', 'G3'], ['B', 'binance', 'f1']] as const) {
        claimedEntry(await ctx.journal.begin(contractIntent(id, CONTRACT_REQUESTS.spotBuy, { exchange, account }), ALICE));
      }
      expect(ids(await ctx.journal.list())).toEqual(['binance/G3/xp-a', 'binance/f1/xp-B', 'binance/f1/xp-z', 'binance/f2/xp-a', 'binance/f2/xp-b', 'bybit/f1/xp-b']);
    });

    it('get() answers undefined for a key never claimed', async () => {
      expect(await ctx.journal.get(contractKey('nobody'))).toBeUndefined();
    });

    it('refuses bad input with InvalidOrderError naming the field, and writes nothing', async () => {
      const intent = contractIntent('valid');
      const badBegins: [string, Promise<unknown>][] = [
        ['intent.key.clientOrderId', ctx.journal.begin({ ...intent, key: { ...intent.key, clientOrderId: 'has space' } }, ALICE)],
        ['intent.key.account', ctx.journal.begin({ ...intent, key: { ...intent.key, account: '' } }, ALICE)],
        ['intent.key.exchange', ctx.journal.begin({ ...intent, key: { ...intent.key, exchange: 'bin\nance' } }, ALICE)],
        ['intent.request.side', ctx.journal.begin({ ...intent, request: { ...intent.request, side: 'sell' } }, ALICE)],
        ['intent.request.quantity', ctx.journal.begin({ ...intent, request: { ...intent.request, quantity: '-1' } }, ALICE)],
        ['intent.request.operation', ctx.journal.begin({ ...intent, request: { ...intent.request, operation: 'executeMargin' as never } }, ALICE)],
        ['claim.owner', ctx.journal.begin(intent, { owner: '', leaseMs: 1000 })],
        ['claim.leaseMs', ctx.journal.begin(intent, { owner: 'alice', leaseMs: 0 })],
        ['claim.leaseMs', ctx.journal.begin(intent, { owner: 'alice', leaseMs: Number.NaN })],
      ];
      for (const [field, attempt] of badBegins) {
        const error = await expectRejection(attempt, InvalidOrderError);
        expect((error as InvalidOrderError).field, field).toBe(field);
      }
      expect(await ctx.journal.list()).toEqual([]);
      claimedEntry(await ctx.journal.begin(intent, ALICE));
      const badOutcome = await expectRejection(ctx.journal.settle(intent.key, { state: 'filled' } as never, { owner: 'alice' }), InvalidOrderError);
      expect((badOutcome as InvalidOrderError).field).toBe('outcome.state');
      for (const [field, query] of [['query.limit', { limit: 0 }], ['query.state', { state: 'done' }], ['query.account', { account: 7 }]] as const) {
        const error = await expectRejection(ctx.journal.list(query as never), InvalidOrderError);
        expect((error as InvalidOrderError).field).toBe(field);
      }
      const olderThan = await expectRejection(ctx.journal.pending({ olderThanMs: -1 }), InvalidOrderError);
      expect((olderThan as InvalidOrderError).field).toBe('query.olderThanMs');
      expect((await ctx.journal.list()).map((entry) => entry.state)).toEqual(['pending']);
    });

    it('refuses every call after close(), and a second close() does nothing', async () => {
      const journal = await ctx.open();
      await journal.close();
      await journal.close();
      for (const call of [() => journal.begin(contractIntent(1), ALICE), () => journal.get(contractKey(1)), () => journal.list(), () => journal.pending()]) {
        expect(String(await rejectionOf(call()))).toMatch(/closed/);
      }
    });
  });
}
