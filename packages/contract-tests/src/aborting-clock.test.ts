import { describe, expect, it } from 'vitest';

import { AbortingClock } from './aborting-clock';
import { InstantClock } from './instant-clock';

describe('AbortingClock', () => {
  it('aborts at the first wait that begins once the condition holds, and remembers the request count then', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    let ready = false;
    let requests = 3;
    const clock = new AbortingClock(new InstantClock(0), controller, reason, () => ready, () => requests);

    await clock.sleep(100, controller.signal);
    expect(controller.signal.aborted).toBe(false);
    ready = true;
    requests = 7;

    await expect(clock.sleep(100, controller.signal)).rejects.toBe(reason);
    requests = 9;
    await expect(clock.sleep(100, controller.signal)).rejects.toBe(reason);

    expect(clock.requestsAtAbort).toBe(7);
    expect(clock.now()).toBe(100);
  });
});
