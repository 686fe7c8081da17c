// Type-checked, never run: what an app's TypeScript meets in our declarations. The test compiles
// it under node16 (this file is ESM there) and bundler resolution, and a copy named typed-app.cts,
// which node16 compiles as CommonJS.
import { binance } from '@xport/binance';
import { Decimal, InvalidOrderError, type ExchangePort, type OrderResult } from '@xport/core';
import { ExchangeFactory } from '@xport/factory';

const factory = new ExchangeFactory([binance]);
const port: ExchangePort = factory.createExchange({ exchange: 'binance', apiKey: 'key', apiSecret: 'secret' });
const quantity: Decimal = new Decimal('0.01').times(2);

export async function buy(): Promise<OrderResult> {
  return port.executeSpotBuy('BTCUSDT', quantity, { idempotencyKey: 'typed-app' });
}

export function refusedField(error: unknown): string | undefined {
  return InvalidOrderError.isInstance(error) ? error.field : undefined;
}
