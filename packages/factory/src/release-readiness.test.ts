import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import getReleasePlan from '@changesets/get-release-plan';
import { describe, expect, it } from 'vitest';

import { workspaceRoot } from '../test/support/processes';

// What every published package carries before it reaches the registry: the fields the registry
// links from, a README that starts with an install line that works as written, links that work off
// GitHub, and a first version chosen on purpose (.changeset/README.md).

const REPOSITORY = 'https://github.com/xport-dev/xport';

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
  readonly scripts?: Readonly<Record<string, string>>;
  readonly publishConfig?: { readonly access?: string };
}

const published = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(workspaceRoot, group)).map((name) => join(workspaceRoot, group, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, folder: relative(workspaceRoot, dir), manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
  .filter(({ manifest }) => manifest.private !== true);

/** The fenced code blocks of a README: language and text. */
function codeBlocks(readme: string): { readonly lang: string; readonly text: string }[] {
  return [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((match) => ({ lang: match[1] ?? '', text: match[2] ?? '' }));
}

describe.each(published)('$manifest.name', ({ dir, folder, manifest }) => {
  it('names the repository, its folder, the homepage and where bugs go, and builds before it is packed', () => {
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: folder });
    expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/${folder}#readme`);
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(manifest.scripts?.prepack).toBe('pnpm run build');
    expect(manifest.publishConfig?.access).toBe('public');
  });

  it('packs for its own checks without the prepack build, which would rewrite dist/ under the tests running beside it', () => {
    // turbo runs check:package beside other packages' tests, which import this package's dist/.
    const check = manifest.scripts?.['check:package'] ?? '';
    expect(check).toContain('attw --pack');
    expect(check).toContain('npm_config_ignore_scripts=true attw --pack');
  });

  const readme = readFileSync(join(dir, 'README.md'), 'utf8');

  it('starts its README with the install line, which names every xport package its examples import', () => {
    const [title, ...rest] = readme.split('\n');
    expect(title).toBe(`# ${manifest.name}`);
    const first = codeBlocks(rest.join('\n'))[0];
    expect(rest.join('\n').trimStart().startsWith('```sh\n'), 'the first thing after the title is a sh block').toBe(true);
    const installed = new Set([...(first?.text ?? '').matchAll(/^(?:npm install|npx)(?: --[a-z-]+)* ((?:@xport\/[a-z-]+ ?)+)/gm)].flatMap((match) => (match[1] ?? '').trim().split(/\s+/)));
    expect(installed.has(manifest.name), `the install line names ${manifest.name}`).toBe(true);
    const imported = codeBlocks(readme)
      .filter(({ lang }) => ['js', 'ts', 'mjs', 'cjs'].includes(lang))
      .flatMap(({ text }) => [...text.matchAll(/(?:from|require\()\s*'(@xport\/[a-z-]+)'/g)].map((match) => match[1] ?? ''));
    expect([...new Set(imported)].filter((name) => !installed.has(name))).toEqual([]);
  });

  it('links only to absolute URLs or anchors in its README, so they work on the registry page', () => {
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
    expect(links.filter((link) => !/^(https?:\/\/|#)/.test(link))).toEqual([]);
  });
});

describe('the first release', () => {
  it('makes every public package still at 0.0.0 exactly 0.1.0', async () => {
    const unreleased = published.filter(({ manifest }) => manifest.version === '0.0.0').map(({ manifest }) => manifest.name);
    // Before the first release every package waits at 0.0.0: one added at 0.1.0 would come out as 0.2.0.
    if (unreleased.length > 0) expect(published.filter(({ manifest }) => manifest.version !== '0.0.0').map(({ manifest }) => manifest.name)).toEqual([]);
    const plan = await getReleasePlan(workspaceRoot);
    const planned = Object.fromEntries(plan.releases.map((release) => [release.name, release.newVersion]));
    expect(Object.fromEntries(unreleased.map((name) => [name, planned[name]]))).toEqual(Object.fromEntries(unreleased.map((name) => [name, '0.1.0'])));
  });
});
