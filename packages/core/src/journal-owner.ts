/**
 * A journal owner name unique to this process: `<label>:<pid>:<random>`. Two processes must never
 * claim under one name (both would hold the same key), so a restarted process gets a new one and
 * takes its predecessor's pending entries over only once their leases expire.
 */
export function journalOwner(label = 'xport'): string {
  if (!/^[\x21-\x7E]{1,100}$/.test(label)) {
    throw new RangeError(`journalOwner: label must be 1-100 printable ASCII characters without spaces, got ${JSON.stringify(label)}`);
  }
  return `${label}:${process.pid}:${globalThis.crypto.randomUUID().slice(0, 8)}`;
}
