import { describeSharedStateContract } from '@xport/contract-tests/shared-state';
import { afterAll } from 'vitest';

import { RedisVenueState } from './redis-venue-state';
import { connect, deleteKeys, uniquePrefix } from './test-support/redis';

const admin = connect();
afterAll(() => admin.quit());

// Two states on one prefix are two workers on one Redis; each test gets a fresh prefix.
describeSharedStateContract('RedisVenueState', {
  open: (clock) => {
    const keyPrefix = uniquePrefix('contract');
    const first = new RedisVenueState({ redis: connect(), keyPrefix, clock });
    const second = new RedisVenueState({ redis: connect(), keyPrefix, clock });
    return Promise.resolve({
      first,
      second,
      close: async () => {
        await deleteKeys(admin, keyPrefix);
        await Promise.all([first.redis.quit(), second.redis.quit()]);
      },
    });
  },
});
