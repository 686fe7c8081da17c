// typed-app.mts as a CommonJS module (node16 reads a .cts file as CommonJS and resolves the packages' "require" types).
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
