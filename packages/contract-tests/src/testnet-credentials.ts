import { ALL_VENUES } from '@xport/simulator';

/** A venue's testnet keys, read from the environment. */
export interface TestnetCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly passphrase?: string;
}

/** Whether the testnet suite can run (with the keys, and whether trading is allowed), or why not. */
export type TestnetAvailability =
  | { readonly available: true; readonly credentials: TestnetCredentials; readonly trade: boolean }
  | { readonly available: false; readonly reason: string };

/** Venues whose API keys come with a passphrase: the simulator signs their requests with one, as the venue does. */
const PASSPHRASE_VENUES: ReadonlySet<string> = new Set(ALL_VENUES.filter((venue) => venue.accounts.passphrase).map((venue) => venue.name));

/** `XPORT_BINANCE_TESTNET_API_KEY` and friends. */
export function testnetVariable(name: string, field: 'API_KEY' | 'API_SECRET' | 'PASSPHRASE'): string {
  return `XPORT_${name.toUpperCase()}_TESTNET_${field}`;
}

/**
 * Whether the testnet group may run: only with the venue's keys in the environment (and a passphrase
 * where the venue needs one). Trading also needs `XPORT_TESTNET_TRADE=1`.
 */
export function testnetAvailability(name: string, env: Readonly<Record<string, string | undefined>>): TestnetAvailability {
  const wanted = [testnetVariable(name, 'API_KEY'), testnetVariable(name, 'API_SECRET')];
  if (PASSPHRASE_VENUES.has(name)) wanted.push(testnetVariable(name, 'PASSPHRASE'));
  const missing = wanted.filter((variable) => (env[variable] ?? '').trim() === '');
  if (missing.length > 0) return { available: false, reason: `set ${missing.join(', ')} to run it` };
  const [apiKey = '', apiSecret = '', passphrase] = wanted.map((variable) => (env[variable] ?? '').trim());
  return {
    available: true,
    credentials: passphrase === undefined ? { apiKey, apiSecret } : { apiKey, apiSecret, passphrase },
    trade: env.XPORT_TESTNET_TRADE === '1',
  };
}
