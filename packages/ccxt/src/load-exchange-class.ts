import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { CcxtExchange } from './ccxt-types';

/** ccxt's REST class (`ccxt.binance`) or its WebSocket subclass (`ccxt.pro.binance`), which also has every REST method. */
export type ExchangeFlavour = 'rest' | 'pro';

/** A ccxt exchange class such as `ccxt.binance`. */
export type CcxtExchangeClass = new (config?: Record<string, unknown>) => CcxtExchange;

/** How the class was found: alone (the lean path) or through ccxt's full entry point. */
export interface LoadedExchangeClass {
  readonly exchangeClass: CcxtExchangeClass;
  readonly source: 'module' | 'full';
  /** The file imported. */
  readonly path: string;
}

const loading = new Map<string, Promise<LoadedExchangeClass>>();

interface CcxtManifest {
  readonly name?: string;
  readonly exports?: { readonly '.'?: { readonly import?: { readonly default?: string } | string } };
  readonly module?: string;
}

/** ccxt's package folder and manifest, found by walking up from the file `require.resolve` gives. */
function findPackage(entry: string): { readonly root: string; readonly manifest: CcxtManifest } {
  let dir = dirname(entry);
  for (;;) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as CcxtManifest;
      if (manifest.name === 'ccxt') return { root: dir, manifest };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ccxt's package.json above ${entry}`);
    dir = parent;
  }
}

/**
 * Where ccxt keeps one exchange's ES module. ccxt's ESM entry (`exports["."].import`, today
 * `./js/ccxt.js`) imports every exchange from `./src/<id>.js` beside it; reading the entry's path
 * from the manifest instead of hard-coding it keeps this working when ccxt moves its build.
 */
export function exchangeModulePath(id: string, flavour: ExchangeFlavour = 'rest'): string {
  const require = createRequire(import.meta.url);
  const { root, manifest } = findPackage(require.resolve('ccxt'));
  const esmImport = manifest.exports?.['.']?.import;
  const esmEntry = (typeof esmImport === 'string' ? esmImport : esmImport?.default) ?? manifest.module ?? './js/ccxt.js';
  return flavour === 'pro' ? join(root, dirname(esmEntry), 'src', 'pro', `${id}.js`) : join(root, dirname(esmEntry), 'src', `${id}.js`);
}

function isExchangeClass(value: unknown): value is CcxtExchangeClass {
  return typeof value === 'function' && typeof (value.prototype as { describe?: unknown }).describe === 'function';
}

/** The lean module's path, or undefined where ccxt cannot be found as a package (a bundle, a loader that resolves differently). */
function leanModulePath(id: string, flavour: ExchangeFlavour): string | undefined {
  try {
    const path = exchangeModulePath(id, flavour);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads one ccxt exchange class without loading ccxt's other hundred exchanges (about a third of
 * the time and half the memory of `import 'ccxt'`). Falls back to `import('ccxt')`, with the same
 * class, wherever that lean path is not there: ccxt not resolvable from this file (a bundle that
 * carries ccxt inside it), or a future ccxt without per-exchange modules. Loaded once per process.
 * `pro` loads the WebSocket class (`ccxt.pro.<id>`), only when something streams.
 */
export function loadExchangeClass(id: string, flavour: ExchangeFlavour = 'rest'): Promise<LoadedExchangeClass> {
  const key = `${flavour}:${id}`;
  let pending = loading.get(key);
  if (pending === undefined) {
    pending = (async (): Promise<LoadedExchangeClass> => {
      const path = leanModulePath(id, flavour);
      if (path !== undefined) {
        const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
        if (isExchangeClass(module.default)) return { exchangeClass: module.default, source: 'module', path };
      }
      const full = (await import('ccxt')) as unknown as Record<string, unknown>;
      const exchangeClass = flavour === 'pro' ? (full.pro as Record<string, unknown> | undefined)?.[id] : full[id];
      if (!isExchangeClass(exchangeClass)) throw new Error(`ccxt has no ${flavour === 'pro' ? 'pro ' : ''}exchange "${id}"`);
      return { exchangeClass, source: 'full', path: 'ccxt' };
    })();
    loading.set(key, pending);
    pending.catch(() => loading.delete(key));
  }
  return pending;
}
