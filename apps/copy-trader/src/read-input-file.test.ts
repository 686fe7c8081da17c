import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readInputFile } from './read-input-file';

describe('readInputFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copy-trader-read-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file of exactly the limit and refuses one byte more, naming the limit', async () => {
    await writeFile(join(dir, 'at-limit'), 'é'.repeat(512));
    await writeFile(join(dir, 'over-limit'), `${'é'.repeat(512)}x`);
    expect(await readInputFile(join(dir, 'at-limit'), 'followers file', 1024)).toBe('é'.repeat(512));
    await expect(readInputFile(join(dir, 'over-limit'), 'followers file', 1024)).rejects.toThrow(`${join(dir, 'over-limit')}: cannot read the followers file: larger than 1024 bytes, the limit for an input file`);
  });

  it('says why a file cannot be read', async () => {
    await expect(readInputFile(join(dir, 'nope'), 'signals file')).rejects.toThrow(`${join(dir, 'nope')}: cannot read the signals file: no such file`);
    await expect(readInputFile(dir, 'signals file')).rejects.toThrow(`${dir}: cannot read the signals file: is a directory`);
  });
});
