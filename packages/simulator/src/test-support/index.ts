export { startTestSimulator, useSimulator, TEST_SEED } from './simulator';
export { createAccount, type TestAccountOverrides } from './accounts';
export { bindToAddress, createCcxtClient, rewriteApiUrls, signWithSimulatorClock, type CcxtClient } from './ccxt-client';
export { errorOf } from './errors';
export { until, untilTimersPending } from './clock';
export { errorAfterClientTimeout } from './client-timeout';
