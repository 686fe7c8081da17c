import { vi } from 'vitest';

import type { CcxtClient } from './ccxt-client';
import { until } from './clock';
import { errorOf } from './errors';

/** ccxt's timeout in these tests; it only ever fires on fake time. */
const CLIENT_TIMEOUT_MS = 300;

/**
 * The error of `send()` when the client gives up waiting. ccxt's timeout is a setTimeout, held here on
 * fake time and fired only once `reached()` holds (the request is withheld, or its order is in the
 * ledger), so the outcome does not depend on how fast a busy machine gets the request to the simulator.
 */
export async function errorAfterClientTimeout(client: CcxtClient, send: () => Promise<unknown>, reached: () => boolean, what: string): Promise<Error> {
  const previous = client.timeout;
  client.timeout = CLIENT_TIMEOUT_MS;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const failing = errorOf(send());
    await until(reached, what);
    vi.advanceTimersByTime(CLIENT_TIMEOUT_MS);
    return await failing;
  } finally {
    vi.useRealTimers();
    client.timeout = previous;
  }
}
