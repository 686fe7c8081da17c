import { readFile } from 'node:fs/promises';

import { CopyTraderConfigError } from './config-error';

/** Reads a file the user named; a missing or unreadable one is a one-line configuration error. */
export async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw new CopyTraderConfigError(path, [`cannot read the ${what}: ${why}`]);
  }
}
