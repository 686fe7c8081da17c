import { describe, expect, it } from 'vitest';

import { testnetAvailability, testnetVariable } from './testnet-credentials';

describe('testnetAvailability', () => {
  it('names the variables per venue', () => {
    expect(testnetVariable('binance', 'API_KEY')).toBe('XPORT_BINANCE_TESTNET_API_KEY');
    expect(testnetVariable('bitget', 'PASSPHRASE')).toBe('XPORT_BITGET_TESTNET_PASSPHRASE');
  });

  it('is unavailable without keys, and says which variables are missing', () => {
    expect(testnetAvailability('binance', {})).toEqual({
      available: false,
      reason: 'set XPORT_BINANCE_TESTNET_API_KEY, XPORT_BINANCE_TESTNET_API_SECRET to run it',
    });
    expect(testnetAvailability('bybit', { XPORT_BYBIT_TESTNET_API_KEY: 'k', XPORT_BYBIT_TESTNET_API_SECRET: '  ' })).toEqual({
      available: false,
      reason: 'set XPORT_BYBIT_TESTNET_API_SECRET to run it',
    });
  });

  it('needs a passphrase for Bitget only', () => {
    const keys = { XPORT_BITGET_TESTNET_API_KEY: 'k', XPORT_BITGET_TESTNET_API_SECRET: 's' };
    expect(testnetAvailability('bitget', keys)).toMatchObject({ available: false, reason: 'set XPORT_BITGET_TESTNET_PASSPHRASE to run it' });
    expect(testnetAvailability('bitget', { ...keys, XPORT_BITGET_TESTNET_PASSPHRASE: 'p' })).toEqual({
      available: true,
      credentials: { apiKey: 'k', apiSecret: 's', passphrase: 'p' },
      trade: false,
    });
  });

  it('trades only with XPORT_TESTNET_TRADE=1, and trims the keys', () => {
    const env = { XPORT_BINANCE_TESTNET_API_KEY: ' key ', XPORT_BINANCE_TESTNET_API_SECRET: 'secret\n' };
    expect(testnetAvailability('binance', env)).toEqual({ available: true, credentials: { apiKey: 'key', apiSecret: 'secret' }, trade: false });
    expect(testnetAvailability('binance', { ...env, XPORT_TESTNET_TRADE: '1' })).toMatchObject({ trade: true });
    expect(testnetAvailability('binance', { ...env, XPORT_TESTNET_TRADE: 'yes' })).toMatchObject({ trade: false });
  });
});
