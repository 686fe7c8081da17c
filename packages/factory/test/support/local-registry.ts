import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';

import { runServer } from 'verdaccio';

import { run, workspaceRoot } from './processes';

/**
 * A throwaway npm registry (verdaccio) on 127.0.0.1 with its storage in `dir` and no uplinks: it
 * serves what is published to it and nothing else, so an install that needs a package nobody
 * published fails instead of reaching the real registry.
 */
export interface LocalRegistry {
  readonly url: string;
  /** An npm user config file naming this registry and a token that may publish to it. */
  readonly userconfig: string;
  readonly token: string;
  close(): Promise<void>;
}

export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const config = {
    self_path: join(dir, 'config.yaml'),
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 10 } },
    uplinks: {},
    packages: { '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' } },
    web: { enable: false },
    log: { type: 'stdout', format: 'pretty', level: 'error' },
    max_body_size: '100mb',
  };
  const server = (await runServer(config)) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  try {
    // npm's `adduser` request: verdaccio's htpasswd plugin creates the user and answers its token.
    const response = await fetch(`${url}/-/user/org.couchdb.user:release`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'release', password: 'local-registry-only' }),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!response.ok || token === undefined) throw new Error(`the local registry refused to create a user (${response.status})`);
    const userconfig = join(dir, 'npmrc');
    writeFileSync(userconfig, `registry=${url}/\n//127.0.0.1:${new URL(url).port}/:_authToken=${token}\n`);
    return { url, userconfig, token, close };
  } catch (error) {
    await close();
    throw error;
  }
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Where Node finds `name` from `dir`: the first `node_modules/name` on the way up, real path. */
function findInstalled(name: string, dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The folders of every third-party package the workspace packages in `packageDirs` need at run
 * time, as the workspace installed them (dependencies and installed optional dependencies,
 * transitively). Peer dependencies are the app's to bring.
 */
export function thirdPartyClosure(packageDirs: readonly string[]): string[] {
  const found = new Map<string, string>();
  const visit = (dir: string, manifest: Manifest): void => {
    const wanted = { ...manifest.optionalDependencies, ...manifest.dependencies };
    for (const [name, range] of Object.entries(wanted)) {
      if (range.startsWith('workspace:')) continue;
      const installed = findInstalled(name, dir);
      if (installed === undefined) {
        if (manifest.optionalDependencies?.[name] !== undefined) continue;
        throw new Error(`${manifest.name} needs ${name}, which the workspace did not install`);
      }
      if (found.has(installed)) continue;
      found.set(installed, name);
      visit(installed, readManifest(installed));
    }
  };
  for (const dir of packageDirs) visit(dir, readManifest(dir));
  return [...found.keys()].sort();
}

/**
 * Packs each folder with npm (as published: its `files`, no scripts run), once per name and
 * version: the tarballs are kept in `cacheDir` for the next run.
 */
export async function packFolders(dirs: readonly string[], cacheDir: string): Promise<string[]> {
  mkdirSync(cacheDir, { recursive: true });
  const tarballOf = (dir: string): string => {
    const { name, version } = readManifest(dir);
    return join(cacheDir, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  };
  const missing = dirs.filter((dir) => !existsSync(tarballOf(dir)));
  if (missing.length > 0) {
    // Packed into a scratch folder and moved in whole, so two runs at once never read half a tarball.
    const scratch = join(cacheDir, `.packing-${process.pid}-${Date.now()}`);
    mkdirSync(scratch);
    try {
      // From copies: pnpm's store hard-links identical files, npm would pack those as tar hard
      // links, and yarn 1 cannot extract them.
      const copies = missing.map((dir, index) => {
        const copy = join(scratch, 'copies', String(index));
        cpSync(dir, copy, { recursive: true });
        return copy;
      });
      await run('npm', ['pack', '--ignore-scripts', '--loglevel=error', '--pack-destination', scratch, ...copies], { cwd: workspaceRoot });
      for (const dir of missing) renameSync(join(scratch, basename(tarballOf(dir))), tarballOf(dir));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return dirs.map(tarballOf);
}

/**
 * Publishes a tarball the way `npm publish` does (one PUT of the package document with the
 * tarball attached), without an npm process per package.
 */
export async function publishTarball(registry: LocalRegistry, tarball: string, manifest: Manifest): Promise<void> {
  const data = readFileSync(tarball);
  const file = `${manifest.name.split('/').at(-1) ?? manifest.name}-${manifest.version}.tgz`;
  const document = {
    _id: manifest.name,
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        dist: {
          shasum: createHash('sha1').update(data).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
          tarball: `${registry.url}/${manifest.name}/-/${file}`,
        },
      },
    },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: data.toString('base64'), length: data.length } },
  };
  const response = await fetch(`${registry.url}/${manifest.name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${registry.token}` },
    body: JSON.stringify(document),
  });
  if (!response.ok) throw new Error(`publishing ${manifest.name}@${manifest.version} failed: ${response.status} ${await response.text()}`);
}
