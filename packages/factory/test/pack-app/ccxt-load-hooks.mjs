// Module hooks for trace-ccxt.mjs (they run on Node's loader thread).
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function load(url, context, nextLoad) {
  if (file !== undefined && /[/\\]ccxt[/\\]/.test(url)) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
