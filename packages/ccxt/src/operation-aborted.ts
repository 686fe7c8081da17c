import { OperationAbortedError } from '@xport/core';

/** Where an aborted call stood, said in its message so the caller knows what may have reached the venue. */
export type AbortPoint = 'before sending' | 'next request' | 'read' | 'order not sent' | 'no order placed';

const WHAT: Readonly<Record<AbortPoint, string>> = {
  'before sending': 'before anything was sent',
  'next request': 'before its next request was sent',
  read: 'while reading; nothing more was sent',
  'order not sent': 'before the order was sent',
  'no order placed': 'and no order was placed: every attempt was refused before execution or proven absent',
};

/** The error of a call its AbortSignal stopped; the signal's reason is the cause. */
export function operationAborted(exchange: string, operation: string, signal: AbortSignal | undefined, point: AbortPoint): OperationAbortedError {
  return new OperationAbortedError(`${exchange} ${operation}: aborted by the caller's signal ${WHAT[point]}`, { exchange, operation, cause: signal?.reason });
}
