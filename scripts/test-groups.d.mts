// Types of scripts/test-groups.mjs, for the test that checks it (test/project/test-groups.test.ts).

/** The line a test file carries to run in a process of its own. */
export const OWN_PROCESS_MARKER: RegExp

/** An `await` at the top level of a module. */
export const TOP_LEVEL_AWAIT: RegExp

/** The files that run alone, and the groups of quick ones (paths relative to `root`). */
export function planGroups(
  root: string,
  files: readonly string[],
  duration: (file: string) => number,
  maxGroupSeconds: number,
): { alone: string[]; groups: string[][] }

/** Writes each group's module into `dir`; returns their paths. */
export function writeGroupModules(root: string, dir: string, groups: readonly (readonly string[])[]): string[]
