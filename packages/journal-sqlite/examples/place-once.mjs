// examples/place-once.mjs — run it twice: node packages/journal-sqlite/examples/place-once.mjs (after a build)
// The first run claims the key, "sends" the order and records it; the second finds it placed and sends nothing.
import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { Decimal, journalOrderRequest, journalOwner, OrderResult } from '@xport/core';
import { SqliteOrderJournal } from '@xport/journal-sqlite';

const journal = new SqliteOrderJournal({ path: join(tmpdir(), 'xport-example-journal.db') });
const owner = journalOwner('example'); // unique to this process
const intent = {
  key: { exchange: 'binance', account: 'follower-42', clientOrderId: 'sig-1-f42' },
  request: journalOrderRequest({ operation: 'executeSpotBuy', symbol: 'BTCUSDT', quantity: new Decimal('0.01') }),
};

// Stands in for adapter.executeSpotBuy('BTCUSDT', quantity, { clientOrderId }).
const sendOrder = async () =>
  new OrderResult({
    exchange: 'binance',
    orderId: String(Date.now()),
    clientOrderId: intent.key.clientOrderId,
    symbol: 'BTCUSDT',
    marketType: 'spot',
    side: 'buy',
    status: 'filled',
    requestedQuantity: new Decimal('0.01'),
    filledQuantity: new Decimal('0.01'),
    averagePrice: new Decimal('65000'),
    timestamp: Date.now(),
  });

const claim = await journal.begin(intent, { owner, leaseMs: 60_000 }); // durable before anything is sent
if (claim.kind === 'placed') {
  console.log('already placed, nothing sent:', claim.entry.outcome.order.orderId);
} else if (claim.kind === 'claimed') {
  if (claim.previous?.state === 'pending' || claim.previous?.state === 'unknown') {
    console.log('an earlier attempt may have reached the venue: look the order up by client order id first');
  }
  const order = await sendOrder();
  await journal.settle(intent.key, { state: 'placed', order: order.toJSON() }, { owner });
  console.log('placed:', order.orderId);
} else {
  console.log(`${claim.kind}: send nothing`, claim.entry.owner);
}
await journal.close();
