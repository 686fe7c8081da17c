// two-workers.mjs — node packages/journal-postgres/examples/two-workers.mjs (after a build; XPORT_POSTGRES_URL to use another server)
// Two workers, as if on two machines, get the same signal at once: exactly one of them may send it.
import { Decimal, journalOrderRequest, journalOwner } from '@xport/core';
import { openPostgresOrderJournal } from '@xport/journal-postgres';

const connectionString = process.env.XPORT_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';
const workers = await Promise.all(
  ['worker-a', 'worker-b'].map(async (name) => ({ owner: journalOwner(name), journal: await openPostgresOrderJournal({ connectionString, schema: 'xport_example' }) })),
);
const intent = {
  key: { exchange: 'bybit', account: 'follower-7', clientOrderId: `sig-${Date.now()}-f7` },
  request: journalOrderRequest({ operation: 'executeFuturesLong', symbol: 'ETHUSDT', quantity: new Decimal('0.5'), leverage: 5 }),
};

const claims = await Promise.all(workers.map(({ journal, owner }) => journal.begin(intent, { owner, leaseMs: 60_000 })));
claims.forEach((claim, index) => console.log(workers[index].owner, '→', claim.kind)); // one "claimed", one "busy"

const winner = workers[claims.findIndex((claim) => claim.kind === 'claimed')];
await winner.journal.settle(intent.key, { state: 'unknown', reason: 'example: no venue was called' }, { owner: winner.owner });
console.log('to recover:', (await winner.journal.pending({ account: 'follower-7' })).map((entry) => entry.key.clientOrderId));

await Promise.all(workers.map(({ journal }) => journal.close()));
