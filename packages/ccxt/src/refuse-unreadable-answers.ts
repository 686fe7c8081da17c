import type { Exchange } from 'ccxt';

/** A 2xx answer whose body is not JSON; translateCcxtError makes it an ExchangeUnavailableError. */
export class UnreadableAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableAnswerError';
  }
}

type HandleRestResponse = (response: { readonly status?: unknown }, url: string, method?: string, ...rest: unknown[]) => Promise<unknown>;

/** The request's path alone: the query can carry the signature, the authority a proxy's password. */
function pathOf(url: string): string {
  return URL.canParse(url) ? new URL(url).pathname : (url.split('?')[0] ?? '');
}

/**
 * Makes a ccxt instance throw on a 2xx answer whose body it could not parse as JSON. ccxt hands such
 * a body (a response cut off mid-way, a proxy's error page) to the exchange's parsers as a string,
 * and they read "no balances", "no positions", "no markets" or an order without an id out of it:
 * data the venue never sent. Every venue xport speaks answers JSON, so such a body is an unreadable
 * answer — an outage like a 5xx, never an empty result.
 */
export function refuseUnreadableAnswers(exchange: Exchange): void {
  const target = exchange as unknown as { handleRestResponse: HandleRestResponse };
  const original = target.handleRestResponse.bind(exchange);
  target.handleRestResponse = async (response, url, method = 'GET', ...rest) => {
    const answer = await original(response, url, method, ...rest);
    const status = Number(response.status);
    // ccxt returns the body text itself exactly when it could not parse it.
    if (status >= 200 && status < 300 && typeof answer === 'string') {
      throw new UnreadableAnswerError(`${exchange.id} ${method} ${pathOf(url)} answered ${status} with a body that is not JSON (${answer.length} characters, cut off?)`);
    }
    return answer;
  };
}
