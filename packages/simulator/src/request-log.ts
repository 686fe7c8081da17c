import type { VenueName } from './contract';

export interface RequestLogEntry {
  readonly method: string;
  /** Full request path without the query, e.g. `/binance/fapi/v1/order`. */
  readonly path: string;
  readonly status: number;
  /** Simulator clock (ms) when the request arrived. */
  readonly time: number;
  readonly exchange?: VenueName;
  readonly apiKey?: string;
  /** The fault kind that shaped the answer, if any (`reset` and `timeout` log status 0). */
  readonly fault?: string;
}

export interface RequestLogFilter {
  readonly exchange?: VenueName | undefined;
  readonly apiKey?: string | undefined;
}

/**
 * The newest requests the simulator answered, in arrival order. Bounded, because a benchmark pushes
 * hundreds of thousands of requests through it; the oldest fall off.
 */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private start = 0;

  constructor(private readonly capacity = 50_000) {}

  record(entry: RequestLogEntry): void {
    if (this.entries.length - this.start >= this.capacity) {
      this.start++;
      // Compact now and then instead of shifting on every insert.
      if (this.start >= this.capacity) {
        this.entries = this.entries.slice(this.start);
        this.start = 0;
      }
    }
    this.entries.push(entry);
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    for (let i = this.start; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (entry === undefined) continue;
      if (filter.exchange !== undefined && entry.exchange !== filter.exchange) continue;
      if (filter.apiKey !== undefined && entry.apiKey !== filter.apiKey) continue;
      out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}
