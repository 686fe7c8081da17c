import { createReadStream } from 'node:fs';

import { CopyTraderConfigError } from './config-error';

/**
 * The largest followers or signals file read: 10,000 followers take about 3 MB, 100,000 signals
 * about 15 MB. A larger file (or a device such as /dev/zero) is refused after reading one byte past
 * the cap, instead of growing one string until Node gives up.
 */
const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Reads a file the user named (`-`: standard input); a missing, unreadable or oversized one is a one-line configuration error. */
export async function readInputFile(path: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // `end` is inclusive: at most maxBytes + 1 bytes are read, one more than a file may have. No `start`, so pipes (`<(…)`) work too.
    // `-` is standard input, read from the stream itself: a socket (what a parent process's pipe may be) cannot be opened as /dev/stdin.
    for await (const chunk of path === '-' ? process.stdin : createReadStream(path, { end: maxBytes })) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      chunks.push(buffer);
      if (size > maxBytes) break;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw new CopyTraderConfigError(path, [`cannot read the ${what}: ${why}`]);
  }
  if (size > maxBytes) throw new CopyTraderConfigError(path, [`cannot read the ${what}: larger than ${formatBytes(maxBytes)}, the limit for an input file`]);
  return Buffer.concat(chunks, size).toString('utf8');
}
