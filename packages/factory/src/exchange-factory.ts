import { ConfigurationError, UnsupportedExchangeError } from '@xport/core';
import type { ExchangeDescriptor, ExchangePort } from '@xport/core';

import { assertExchangeDescriptor } from './assert-descriptor';
import type { CreateExchangeOptions } from './create-exchange-options';
import { normalizeExchangeName } from './exchange-name';
import { KNOWN_PACKAGES, knownPackageOf } from './known-packages';
import { validateConnectionOptions } from './validate-connection-options';

const PORT_METHODS = [
  'initialize',
  'close',
  'executeSpotBuy',
  'executeSpotSell',
  'executeFuturesLong',
  'executeFuturesShort',
  'closeFuturesPosition',
  'reduceFuturesPosition',
  'getBalances',
  'getBalance',
  'getSymbolInfo',
  'getFuturesPosition',
] as const satisfies readonly (keyof ExchangePort)[];

/**
 * Creates an ExchangePort by exchange name from the descriptors of the venue packages an app
 * installed. It imports none of them, so an app that uses only Binance loads only Binance's code:
 *
 * ```ts
 * const factory = new ExchangeFactory([binance]);
 * const port = factory.createExchange({ exchange: 'binance', apiKey, apiSecret });
 * ```
 */
export class ExchangeFactory<Name extends string = string> {
  readonly #descriptors = new Map<string, ExchangeDescriptor>();

  constructor(descriptors: readonly ExchangeDescriptor<Name>[]) {
    if (!Array.isArray(descriptors)) {
      throw new ConfigurationError('ExchangeFactory: pass an array of descriptors, e.g. new ExchangeFactory([binance])', {
        field: 'descriptors',
        expected: 'an array of ExchangeDescriptor',
      });
    }
    descriptors.forEach((descriptor: unknown, index) => {
      const field = `descriptors[${index}]`;
      assertExchangeDescriptor(descriptor, field);
      const name = normalizeExchangeName(descriptor.name);
      const earlier = this.#descriptors.get(name);
      if (earlier !== undefined) {
        throw new ConfigurationError(
          `ExchangeFactory: ${field} registers "${name}" again (already from ${earlier.packageName}); register each exchange once`,
          { exchange: name, field: `${field}.name`, expected: 'a name not registered yet' },
        );
      }
      this.#descriptors.set(name, descriptor);
    });
  }

  /** Whether `name` (any case, surrounding blanks ignored) has a registered descriptor. */
  isSupported(name: string): boolean {
    return typeof name === 'string' && this.#descriptors.has(normalizeExchangeName(name));
  }

  /** The registered exchange names, normalised, in registration order. */
  supportedExchanges(): readonly string[] {
    return Object.freeze([...this.#descriptors.keys()]);
  }

  /**
   * An adapter for one account. Refuses, before anything reaches the network: an exchange that is
   * not registered (`UnsupportedExchangeError` naming the package to install) and options that
   * cannot work, missing credentials first (`ConfigurationError` naming the field). The adapter
   * connects on `initialize()` or its first call.
   */
  createExchange(options: CreateExchangeOptions<Name>): ExchangePort {
    if (typeof options !== 'object' || (options as unknown) === null) {
      throw new ConfigurationError('ExchangeFactory.createExchange: options must be an object', { field: 'options', expected: 'an object' });
    }
    const descriptor = this.#descriptorFor(options.exchange);
    const port = descriptor.create(validateConnectionOptions(options, descriptor));
    assertPort(port, descriptor);
    return port;
  }

  #descriptorFor(exchange: unknown): ExchangeDescriptor {
    if (typeof exchange !== 'string' || exchange.trim() === '') {
      throw new ConfigurationError(`ExchangeFactory.createExchange: exchange is required (one of: ${this.#registered()})`, {
        field: 'exchange',
        expected: 'a registered exchange name',
      });
    }
    const name = normalizeExchangeName(exchange);
    const descriptor = this.#descriptors.get(name);
    if (descriptor !== undefined) return descriptor;
    const packageName = knownPackageOf(name);
    const supported = this.supportedExchanges();
    const message =
      packageName === undefined
        ? `exchange "${name}" is not supported: xport ships ${Object.values(KNOWN_PACKAGES).join(', ')}; another adapter package must export a descriptor to register. Registered: ${this.#registered()}`
        : `exchange "${name}" is not registered: install ${packageName} and register its descriptor (import { ${name} } from '${packageName}'; new ExchangeFactory([..., ${name}])). Registered: ${this.#registered()}`;
    throw new UnsupportedExchangeError(message, { exchange: name, operation: 'createExchange', packageName, supported });
  }

  #registered(): string {
    return this.#descriptors.size === 0 ? 'none' : [...this.#descriptors.keys()].join(', ');
  }
}

/** A third-party descriptor that returns something else would otherwise fail only at the first call. */
function assertPort(port: unknown, descriptor: ExchangeDescriptor): asserts port is ExchangePort {
  const missing = PORT_METHODS.filter((method) => typeof (port as Record<string, unknown> | null)?.[method] !== 'function');
  if (missing.length > 0) {
    throw new ConfigurationError(
      `${descriptor.name}: ${descriptor.packageName}'s descriptor created something that is not an ExchangePort (missing ${missing.join(', ')})`,
      { exchange: descriptor.name, field: 'descriptor.create', expected: 'a function returning an ExchangePort' },
    );
  }
}
