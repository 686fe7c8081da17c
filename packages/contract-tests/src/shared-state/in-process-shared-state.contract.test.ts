import { InProcessSharedState } from '@xport/resilience';

import { describeSharedStateContract } from './describe-shared-state-contract';

// In one process every handle is the same object.
describeSharedStateContract('InProcessSharedState', {
  open: (clock) => {
    const state = new InProcessSharedState({ clock });
    return Promise.resolve({ first: state, second: state, close: () => Promise.resolve() });
  },
});
