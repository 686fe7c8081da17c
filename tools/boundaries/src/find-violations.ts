import { fileURLToPath } from 'node:url';

import { cruise } from 'dependency-cruiser';
import type { ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

/** The repository's root, where the rules and the packages are. */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const RULES = fileURLToPath(new URL('../../../.dependency-cruiser.cjs', import.meta.url));

export interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Runs dependency-cruiser with the workspace's rules (.dependency-cruiser.cjs) over `paths` of
 * `baseDir`: what `npx pnpm@10.34.9 boundaries` reports, as data, sorted.
 */
export async function findViolations(baseDir: string, paths: readonly string[]): Promise<Violation[]> {
  const options = await extractDepcruiseOptions(RULES);
  const { output } = await cruise([...paths], { ...options, baseDir });
  return (output as ICruiseResult).summary.violations
    .map((violation) => ({ rule: violation.rule.name, from: violation.from, to: violation.to }))
    .sort((a, b) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`));
}
