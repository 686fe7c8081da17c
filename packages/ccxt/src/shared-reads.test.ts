import { OperationAbortedError } from '@xport/core';
import { FakeClock } from '@xport/resilience';
import { describe, expect, it, vi } from 'vitest';

import { SharedReads } from './shared-reads';

/** A read that answers when told, counting how often it was sent. */
function pendingRead(): { sends: number; send: () => Promise<string>; answer(value: string): void; fail(error: Error): void } {
  const waiting: { resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  const read = {
    sends: 0,
    send: () => {
      read.sends += 1;
      return new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    answer: (value: string) => waiting.shift()?.resolve(value),
    fail: (error: Error) => waiting.shift()?.reject(error),
  };
  return read;
}

describe('SharedReads', () => {
  it('concurrent callers share one read in flight', async () => {
    const reads = new SharedReads(new FakeClock());
    const read = pendingRead();
    const answers = Promise.all([1, 2, 3].map(() => reads.read('ticker:BTC/USDT', { maxAgeMs: 1_000 }, read.send)));
    read.answer('65000');
    await expect(answers).resolves.toEqual(['65000', '65000', '65000']);
    expect(read.sends).toBe(1);
  });

  it('reuses an answer younger than maxAgeMs (from when it was sent), then reads again', async () => {
    const clock = new FakeClock();
    const reads = new SharedReads(clock);
    const read = pendingRead();
    const first = reads.read('k', { maxAgeMs: 1_000 }, read.send);
    await clock.advance(100);
    read.answer('a');
    await first;
    await clock.advance(900);
    await expect(reads.read('k', { maxAgeMs: 1_000 }, read.send)).resolves.toBe('a');
    // A caller with a tighter bound does not take it.
    const tight = reads.read('k', { maxAgeMs: 500 }, read.send);
    read.answer('b');
    await expect(tight).resolves.toBe('b');
    expect(read.sends).toBe(2);
  });

  it('maxAgeMs 0 sends every read', async () => {
    const reads = new SharedReads(new FakeClock());
    const read = pendingRead();
    const both = Promise.all([reads.read('k', { maxAgeMs: 0 }, read.send), reads.read('k', { maxAgeMs: 0 }, read.send)]);
    read.answer('a');
    read.answer('b');
    await expect(both).resolves.toEqual(['a', 'b']);
    expect(reads.sent).toBe(2);
  });

  it('a failure reaches every waiter and is not kept', async () => {
    const reads = new SharedReads(new FakeClock());
    const read = pendingRead();
    const both = Promise.allSettled([reads.read('k', { maxAgeMs: 1_000 }, read.send), reads.read('k', { maxAgeMs: 1_000 }, read.send)]);
    read.fail(new Error('503'));
    expect((await both).map((result) => result.status)).toEqual(['rejected', 'rejected']);
    const again = reads.read('k', { maxAgeMs: 1_000 }, read.send);
    read.answer('a');
    await expect(again).resolves.toBe('a');
    expect(read.sends).toBe(2);
  });

  it("the sender's abort ends its own call; a waiter with a live signal sends afresh", async () => {
    const reads = new SharedReads(new FakeClock());
    const read = pendingRead();
    const aborted = new AbortController();
    aborted.abort();
    const sender = reads.read('k', { maxAgeMs: 1_000, signal: aborted.signal }, read.send);
    const waiter = reads.read('k', { maxAgeMs: 1_000, signal: new AbortController().signal }, read.send);
    read.fail(new OperationAbortedError('aborted', { exchange: 'acme', operation: 'executeSpotBuy' }));
    await expect(sender).rejects.toThrow('aborted');
    await vi.waitFor(() => { expect(read.sends).toBe(2); });
    read.answer('a');
    await expect(waiter).resolves.toBe('a');
    expect(read.sends).toBe(2);
  });
});
