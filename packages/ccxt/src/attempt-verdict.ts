import { ExchangeError, NetworkError, RateLimitError } from '@xport/core';

import { isAcceptedButNotVisible } from './accepted-not-visible';
import type { AttemptVerdict } from './order-placement';
import { venueMeaningOf } from './translate-error';
import { isOutage } from './venue-requests';

/**
 * What one failed order attempt proves, read from the error's class and the venue code it carries
 * (through the profile's meaning of that code), never from its text:
 * - an order acknowledged but not yet visible: `accepted`;
 * - the venue's duplicate-client-id code: `duplicate`;
 * - a timestamp refusal, a rate-limit refusal, a connection refused (`ECONNREFUSED`): `notSent`;
 * - a code the profile marks as "sent, status unknown", any other network error or outage: `ambiguous`;
 * - anything else is the venue's refusal: `rejected`.
 */
export function attemptVerdict(error: unknown): AttemptVerdict {
  if (isAcceptedButNotVisible(error)) return 'accepted';
  const meaning = venueMeaningOf(error);
  if (meaning === 'duplicateClientOrderId') return 'duplicate';
  if (meaning === 'timestamp') return 'notSent';
  if (meaning === 'sendStatusUnknown') return 'ambiguous';
  if (RateLimitError.isInstance(error)) return 'notSent';
  if (NetworkError.isInstance(error) || isOutage(error)) {
    // Refused before the connection was open: the request never left.
    return ExchangeError.isInstance(error) && error.code === 'ECONNREFUSED' ? 'notSent' : 'ambiguous';
  }
  return 'rejected';
}
