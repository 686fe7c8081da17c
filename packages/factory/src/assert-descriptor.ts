import { ConfigurationError } from '@xport/core';
import type { ExchangeDescriptor } from '@xport/core';

import { EXCHANGE_NAME_PATTERN, normalizeExchangeName } from './exchange-name';

const EXPECTED = 'an ExchangeDescriptor { name, packageName, requiresPassphrase, create }';
const HOW_TO_IMPORT = "each venue package exports its descriptor under the exchange's name: import { binance } from '@xport/binance'";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function looksLikeDescriptor(value: unknown): value is ExchangeDescriptor {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.packageName === 'string' &&
    typeof value.requiresPassphrase === 'boolean' &&
    typeof value.create === 'function'
  );
}

function refuse(field: string, problem: string): never {
  throw new ConfigurationError(`ExchangeFactory: ${field} ${problem}`, { field, expected: EXPECTED });
}

/**
 * Refuses what is not a descriptor with a message that says what was passed instead. The usual
 * slips are a misspelt import (undefined), the adapter function (`createBinanceAdapter`) and the
 * whole module namespace (`import * as binance`), so each gets its own hint.
 */
export function assertExchangeDescriptor(value: unknown, field: string): asserts value is ExchangeDescriptor {
  if (value === undefined || value === null) refuse(field, `is ${String(value)}; ${HOW_TO_IMPORT}`);
  if (typeof value === 'function') {
    const name = typeof value.name === 'string' && value.name !== '' ? ` (${value.name})` : '';
    refuse(field, `is a function${name}, not a descriptor; pass the descriptor object instead: ${HOW_TO_IMPORT}`);
  }
  if (!isRecord(value)) refuse(field, `is a ${typeof value}, not a descriptor; ${HOW_TO_IMPORT}`);
  if (!looksLikeDescriptor(value)) {
    const inside = Object.entries(value).find(([, member]) => looksLikeDescriptor(member));
    if (inside !== undefined) refuse(field, `is a module namespace, not a descriptor; pass its export \`${inside[0]}\` instead`);
    const wrong = [
      typeof value.name === 'string' ? undefined : 'name (a string)',
      typeof value.packageName === 'string' ? undefined : 'packageName (a string)',
      typeof value.requiresPassphrase === 'boolean' ? undefined : 'requiresPassphrase (a boolean)',
      typeof value.create === 'function' ? undefined : 'create (a function)',
    ].filter((entry) => entry !== undefined);
    refuse(field, `is not a descriptor: missing or wrong ${wrong.join(', ')}`);
  }
  const name = normalizeExchangeName(value.name);
  if (!EXCHANGE_NAME_PATTERN.test(name)) {
    refuse(`${field}.name`, `${JSON.stringify(value.name)} is not an exchange name (letters, digits, '.', '_' or '-')`);
  }
  if (value.packageName.trim() === '') refuse(`${field}.packageName`, 'is empty; it names the npm package that provides the exchange');
}
