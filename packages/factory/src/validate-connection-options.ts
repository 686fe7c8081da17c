import { CONNECTION_OPTION_KEYS, ConfigurationError, validateConnectionOptions as validateConnection } from '@xport/core';
import type { ExchangeConnectionOptions, ExchangeDescriptor } from '@xport/core';

import type { CreateExchangeOptions } from './create-exchange-options';

const KNOWN_KEYS: ReadonlySet<string> = new Set(['exchange', ...CONNECTION_OPTION_KEYS]);

/**
 * Refuses options that cannot work before the descriptor sees them, so a missing credential fails
 * at creation rather than at the first order, whichever adapter the descriptor builds. The rules are
 * core's `validateConnectionOptions`, the ones an adapter built directly applies; what is the
 * factory's own is the shape around them: `exchange`, and venue options only inside `extra`.
 */
export function validateConnectionOptions(options: CreateExchangeOptions, descriptor: ExchangeDescriptor): ExchangeConnectionOptions {
  const exchange = descriptor.name;
  for (const key of Object.keys(options)) {
    // Untyped callers put venue options (clock, retry…) beside the credentials, where they would be lost.
    if (!KNOWN_KEYS.has(key)) {
      throw new ConfigurationError(`${exchange}: ${key} is not a connection option; venue-package options go in \`extra\``, { exchange, field: key, expected: [...KNOWN_KEYS].join(', ') });
    }
  }
  return validateConnection(options as unknown as Readonly<Record<string, unknown>>, { name: exchange, requiresPassphrase: descriptor.requiresPassphrase });
}
