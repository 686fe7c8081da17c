import { logEvent, Secret } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { RecordingLogger } from './recording-logger';

describe('RecordingLogger', () => {
  it('keeps every line with its level, fields and message, in order', () => {
    const logger = new RecordingLogger();

    logEvent(logger, 'info', 'exchange.order.placed', { exchange: 'binance' });
    logger.warn({ event: 'exchange.order.ambiguous' });
    logger.debug({ detail: 1 }, 'plain');
    logger.error({}, 'failed');

    expect(logger.lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'exchange.order.placed'],
      ['warn', undefined],
      ['debug', 'plain'],
      ['error', 'failed'],
    ]);
    expect(logger.events()).toEqual(['exchange.order.placed', 'exchange.order.ambiguous']);
  });

  it('serialises errors with their message, stack and cause, where a leaked credential would show', () => {
    const logger = new RecordingLogger();
    const cause = new Error('upstream said key=AKIA-123');
    logger.error({ err: new Error('order failed', { cause }) });

    const [line] = logger.serialised();

    expect(line).toContain('order failed');
    expect(line).toContain('upstream said key=AKIA-123');
    expect(line).toContain('"level":"error"');
  });

  it('shows what redaction left: a Secret stays [REDACTED]', () => {
    const logger = new RecordingLogger();
    logEvent(logger, 'info', 'exchange.credentials.loaded', { apiSecret: new Secret('do-not-print'), note: new Secret('also-hidden') });

    expect(logger.serialised().join('\n')).not.toContain('do-not-print');
    expect(logger.serialised().join('\n')).not.toContain('also-hidden');
  });
});
