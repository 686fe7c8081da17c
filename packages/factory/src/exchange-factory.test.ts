import { ConfigurationError, ExchangeError, MemoryOrderJournal, noopLogger, UnsupportedExchangeError } from '@xport/core';
import type { ExchangeDescriptor } from '@xport/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { CreateExchangeOptions } from './create-exchange-options';
import { ExchangeFactory } from './exchange-factory';
import { fakeDescriptor, thrownBy } from './test-support/fake-descriptor';

const credentials = { apiKey: 'key-123', apiSecret: 'secret-456' } as const;

/** The ConfigurationError `fn` throws, checked to be one. */
function configurationErrorOf(fn: () => unknown): ConfigurationError {
  const error = thrownBy(fn);
  expect(ConfigurationError.isInstance(error), String(error)).toBe(true);
  return error as ConfigurationError;
}

function unsupportedErrorOf(fn: () => unknown): UnsupportedExchangeError {
  const error = thrownBy(fn);
  expect(UnsupportedExchangeError.isInstance(error), String(error)).toBe(true);
  return error as UnsupportedExchangeError;
}

describe('ExchangeFactory registration', () => {
  it('lists the registered exchanges by normalised name, in registration order', () => {
    const factory = new ExchangeFactory([fakeDescriptor('bitget'), fakeDescriptor(' Binance ')]);
    expect(factory.supportedExchanges()).toEqual(['bitget', 'binance']);
    expect(Object.isFrozen(factory.supportedExchanges())).toBe(true);
  });

  it('refuses a second descriptor with the same name, whatever its case', () => {
    const error = configurationErrorOf(() => new ExchangeFactory([fakeDescriptor('binance'), fakeDescriptor('BINANCE', { packageName: '@acme/binance' })]));
    expect(error.field).toBe('descriptors[1].name');
    expect(error.message).toContain('"binance" again (already from @xport/binance)');
  });

  it('refuses a single descriptor passed without the array', () => {
    const error = configurationErrorOf(() => new ExchangeFactory(fakeDescriptor('binance') as unknown as ExchangeDescriptor[]));
    expect(error.field).toBe('descriptors');
    expect(error.message).toContain('new ExchangeFactory([binance])');
  });

  it.each([
    ['undefined (a misspelt import)', undefined, 'descriptors[0]', "import { binance } from '@xport/binance'"],
    ['null', null, 'descriptors[0]', 'is null'],
    ['the adapter function', { createBinanceAdapter: () => undefined }.createBinanceAdapter, 'descriptors[0]', 'is a function (createBinanceAdapter)'],
    ['a string', 'binance', 'descriptors[0]', 'is a string, not a descriptor'],
    ['a module namespace', { createBinanceAdapter: () => undefined, binance: fakeDescriptor('binance') }, 'descriptors[0]', 'pass its export `binance` instead'],
    ['an object missing fields', { name: 'binance', create: 'no' }, 'descriptors[0]', 'packageName (a string), requiresPassphrase (a boolean), create (a function)'],
    ['a name with spaces inside', fakeDescriptor('my exchange'), 'descriptors[0].name', '"my exchange" is not an exchange name'],
    ['an empty name', fakeDescriptor('  '), 'descriptors[0].name', 'is not an exchange name'],
    ['an empty package name', fakeDescriptor('binance', { packageName: ' ' }), 'descriptors[0].packageName', 'is empty'],
  ])('refuses %s with a ConfigurationError naming the entry', (_, value, field, hint) => {
    const error = configurationErrorOf(() => new ExchangeFactory([value as unknown as ExchangeDescriptor]));
    expect(error.field).toBe(field);
    expect(error.message).toContain(hint);
    expect(error.expected).toContain('ExchangeDescriptor');
  });

  it('names the position of the bad entry among good ones', () => {
    const error = configurationErrorOf(() => new ExchangeFactory([fakeDescriptor('binance'), undefined as unknown as ExchangeDescriptor]));
    expect(error.field).toBe('descriptors[1]');
  });

  it('accepts no descriptors, and then says that none is registered', () => {
    const factory = new ExchangeFactory([]);
    expect(factory.supportedExchanges()).toEqual([]);
    const error = unsupportedErrorOf(() => factory.createExchange({ exchange: 'binance', ...credentials }));
    expect(error.message).toContain('Registered: none');
  });
});

describe('ExchangeFactory.isSupported', () => {
  const factory = new ExchangeFactory([fakeDescriptor('binance')]);

  it('matches names case-insensitively and ignores surrounding blanks', () => {
    expect(['binance', 'BINANCE', ' Binance\t'].map((name) => factory.isSupported(name))).toEqual([true, true, true]);
  });

  it('is false for a known venue whose package is not registered, an unknown one, and non-strings', () => {
    expect(factory.isSupported('bybit')).toBe(false);
    expect(factory.isSupported('kraken')).toBe(false);
    expect(factory.isSupported('')).toBe(false);
    expect(factory.isSupported(undefined as unknown as string)).toBe(false);
    expect(factory.isSupported(42 as unknown as string)).toBe(false);
  });
});

describe('ExchangeFactory.createExchange', () => {
  it("hands the descriptor exactly the connection options and returns its port", () => {
    const binance = fakeDescriptor('binance');
    const factory = new ExchangeFactory([binance, fakeDescriptor('bitget', { requiresPassphrase: true })]);
    const onEvent = (): void => undefined;
    const extra = { timeoutMs: 5_000 };
    const port = factory.createExchange({
      exchange: ' BINANCE ',
      ...credentials,
      testnet: true,
      baseUrl: 'http://127.0.0.1:8899/binance',
      logger: noopLogger,
      onEvent,
      positionMode: 'hedge',
      extra,
    });
    expect(port).toBe(binance.ports[0]);
    expect(binance.created).toEqual([
      { ...credentials, testnet: true, baseUrl: 'http://127.0.0.1:8899/binance', logger: noopLogger, onEvent, positionMode: 'hedge', extra },
    ]);
    expect(binance.created[0]?.extra).toBe(extra);
  });

  it('passes the journal option to the descriptor as it is (the store is a live object)', () => {
    const binance = fakeDescriptor('binance');
    const journal = { store: new MemoryOrderJournal(), account: 'follower-7', leaseMs: 90_000 };
    new ExchangeFactory([binance]).createExchange({ exchange: 'binance', ...credentials, journal });
    expect(binance.created[0]?.journal).toBe(journal);
  });

  it('creates a new adapter per call (one per account)', () => {
    const binance = fakeDescriptor('binance');
    const factory = new ExchangeFactory([binance]);
    const first = factory.createExchange({ exchange: 'binance', ...credentials });
    const second = factory.createExchange({ exchange: 'binance', apiKey: 'other', apiSecret: 'other-secret' });
    expect(first).not.toBe(second);
    expect(binance.created.map((options) => options.apiKey)).toEqual(['key-123', 'other']);
  });

  it('names the package to install when a known venue is not registered', () => {
    const factory = new ExchangeFactory([fakeDescriptor('binance'), fakeDescriptor('bitget', { requiresPassphrase: true })]);
    const error = unsupportedErrorOf(() => factory.createExchange({ exchange: 'Bybit', ...credentials }));
    expect(error.packageName).toBe('@xport/bybit');
    expect(error.exchange).toBe('bybit');
    expect(error.supported).toEqual(['binance', 'bitget']);
    expect(error.message).toContain('install @xport/bybit');
    expect(error.message).toContain("import { bybit } from '@xport/bybit'");
    expect(error.message).toContain('Registered: binance, bitget');
    expect(error.retryable).toBe(false);
  });

  it('says which packages xport ships when the exchange is unknown', () => {
    const factory = new ExchangeFactory([fakeDescriptor('binance')]);
    const error = unsupportedErrorOf(() => factory.createExchange({ exchange: 'kraken', ...credentials }));
    expect(error.packageName).toBeUndefined();
    expect(error.supported).toEqual(['binance']);
    expect(error.message).toContain('exchange "kraken" is not supported');
    expect(error.message).toContain('@xport/binance, @xport/bybit, @xport/bitget');
    expect(error.message).toContain('Registered: binance');
  });

  it('refuses an unsupported exchange before looking at its credentials', () => {
    const factory = new ExchangeFactory([fakeDescriptor('binance')]);
    unsupportedErrorOf(() => factory.createExchange({ exchange: 'bitget', apiKey: '', apiSecret: '' }));
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', ' \n'],
    ['a number', 42],
  ])('refuses an %s exchange name with a ConfigurationError', (_, exchange) => {
    const factory = new ExchangeFactory([fakeDescriptor('binance')]);
    const error = configurationErrorOf(() => factory.createExchange({ exchange, ...credentials } as unknown as CreateExchangeOptions));
    expect(error.field).toBe('exchange');
    expect(error.message).toContain('one of: binance');
  });

  it('refuses options that are not an object', () => {
    const factory = new ExchangeFactory([fakeDescriptor('binance')]);
    expect(configurationErrorOf(() => factory.createExchange(null as unknown as CreateExchangeOptions)).field).toBe('options');
    expect(configurationErrorOf(() => factory.createExchange('binance' as unknown as CreateExchangeOptions)).field).toBe('options');
  });

  it.each([
    ['apiKey', { apiKey: undefined }],
    ['apiKey', { apiKey: '' }],
    ['apiKey', { apiKey: '   ' }],
    ['apiSecret', { apiSecret: undefined }],
    ['apiSecret', { apiSecret: '' }],
  ])('refuses a missing %s at creation, naming the field, without calling the descriptor', (field, change) => {
    const binance = fakeDescriptor('binance');
    const factory = new ExchangeFactory([binance]);
    const error = configurationErrorOf(() => factory.createExchange({ exchange: 'binance', ...credentials, ...change } as unknown as CreateExchangeOptions));
    expect(error.field).toBe(field);
    expect(error.exchange).toBe('binance');
    expect(error.message).toBe(`binance: ${field} is required`);
    expect(binance.created).toEqual([]);
  });

  it('requires a passphrase where the descriptor says so, and passes it on', () => {
    const bitget = fakeDescriptor('bitget', { requiresPassphrase: true });
    const factory = new ExchangeFactory([bitget]);
    for (const passphrase of [undefined, '', ' ']) {
      const error = configurationErrorOf(() => factory.createExchange({ exchange: 'bitget', ...credentials, passphrase }));
      expect(error.field).toBe('passphrase');
      expect(error.message).toBe('bitget: passphrase is required: bitget API keys come with a passphrase');
    }
    expect(bitget.created).toEqual([]);
    factory.createExchange({ exchange: 'bitget', ...credentials, passphrase: 'pass-789' });
    expect(bitget.created).toEqual([{ ...credentials, passphrase: 'pass-789' }]);
  });

  it('drops a blank passphrase for a venue that takes none, and passes a real one through', () => {
    const binance = fakeDescriptor('binance');
    const factory = new ExchangeFactory([binance]);
    factory.createExchange({ exchange: 'binance', ...credentials, passphrase: '' });
    factory.createExchange({ exchange: 'binance', ...credentials, passphrase: 'p' });
    expect(binance.created).toEqual([{ ...credentials }, { ...credentials, passphrase: 'p' }]);
  });

  it.each([
    ['testnet', 'yes', 'true or false'],
    ['baseUrl', 'ftp://127.0.0.1/binance', 'an http:// or https:// URL'],
    ['baseUrl', 'not a url', 'an http:// or https:// URL'],
    ['baseUrl', '', 'an http:// or https:// URL'],
    ['positionMode', 'both', '"oneway" or "hedge"'],
    ['logger', { info: () => undefined }, 'a Logger with debug, info, warn and error methods'],
    ['onEvent', 'log', 'a function'],
    ['extra', ['clock'], 'an object of venue-package options'],
    ['passphrase', 42, 'a non-empty string'],
    ['journal', 'orders.db', 'an object { store, account, owner?, leaseMs? } (the adapter checks its fields)'],
  ])('refuses %s = %j at creation', (field, value, expected) => {
    const binance = fakeDescriptor('binance');
    const factory = new ExchangeFactory([binance]);
    const error = configurationErrorOf(() => factory.createExchange({ exchange: 'binance', ...credentials, [field]: value }));
    expect(error.field).toBe(field);
    expect(error.expected).toBe(expected);
    // A base URL is the one value shown back, with a proxy's userinfo and query blanked.
    const shown = field === 'baseUrl' ? `, got ${JSON.stringify(value)}` : '';
    expect(error.message).toBe(`binance: ${field} must be ${expected}${shown}`);
    expect(binance.created).toEqual([]);
  });

  it('refuses venue options put beside the credentials instead of in extra', () => {
    const factory = new ExchangeFactory([fakeDescriptor('binance')]);
    const error = configurationErrorOf(() => factory.createExchange({ exchange: 'binance', ...credentials, clock: {} } as unknown as CreateExchangeOptions));
    expect(error.field).toBe('clock');
    expect(error.message).toContain('venue-package options go in `extra`');
  });

  it('never quotes a credential back in an error', () => {
    const factory = new ExchangeFactory([fakeDescriptor('bitget', { requiresPassphrase: true })]);
    const secret = fc.string({ minLength: 8 }).filter((text) => text.trim().length >= 8);
    fc.assert(
      fc.property(secret, secret, fc.constantFrom('testnet', 'positionMode', 'baseUrl', 'passphrase', 'logger'), (apiKey, apiSecret, broken) => {
        const error = thrownBy(() =>
          factory.createExchange({ exchange: 'bitget', apiKey, apiSecret, passphrase: apiSecret, [broken]: broken === 'passphrase' ? undefined : 7 }),
        );
        expect(ConfigurationError.isInstance(error)).toBe(true);
        const text = `${String(error)} ${JSON.stringify(error)}`;
        expect(text).not.toContain(apiKey);
        expect(text).not.toContain(apiSecret);
      }),
    );
  });

  it("refuses a descriptor whose create() returns something that is not a port", () => {
    const broken = fakeDescriptor('acme', { packageName: '@acme/xport', create: () => ({ exchange: 'acme', initialize: () => Promise.resolve() }) as never });
    const factory = new ExchangeFactory([broken]);
    const error = configurationErrorOf(() => factory.createExchange({ exchange: 'acme', ...credentials }));
    expect(error.field).toBe('descriptor.create');
    expect(error.message).toContain("@acme/xport's descriptor created something that is not an ExchangePort (missing close, executeSpotBuy");
  });

  it("lets the descriptor's own refusal through unchanged", () => {
    const refusal = new ConfigurationError('acme: region must be eu or us', { exchange: 'acme', field: 'extra.region' });
    const factory = new ExchangeFactory([
      fakeDescriptor('acme', {
        create: () => {
          throw refusal;
        },
      }),
    ]);
    expect(thrownBy(() => factory.createExchange({ exchange: 'acme', ...credentials, extra: { region: 'mars' } }))).toBe(refusal);
  });

  it('throws only xport errors, checkable across copies of @xport/core', () => {
    const factory = new ExchangeFactory([fakeDescriptor('binance')]);
    for (const attempt of [
      () => factory.createExchange({ exchange: 'okx', ...credentials }),
      () => factory.createExchange({ exchange: 'binance', apiKey: '', apiSecret: 's' }),
    ]) {
      expect(ExchangeError.isInstance(thrownBy(attempt))).toBe(true);
    }
  });
});
