import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/quick-start.mjs', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

// The README opens with this file; it must keep printing what the README says it prints.
it('runs the README quick start against its own simulator', async () => {
  expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  const { stdout } = await promisify(execFile)(process.execPath, [example], { timeout: 30_000 });
  expect(stdout.trim().split('\n')).toEqual(["[ 'binance' ]", 'filled 0.01 65000', 'true', '@xport/bybit']);
}, 30_000);
