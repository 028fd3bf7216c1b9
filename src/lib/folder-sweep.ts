import fs from 'node:fs'
import path from 'node:path'

/** Which entries of a folder a sweep removes. */
export interface SweepRule {
  /** Only entries last written before this (all entries when null). */
  before: Date | null
  /** At most this many in one sweep. */
  limit: number
  /** Only entries whose name passes (all when absent). */
  name?: (name: string) => boolean
}

/**
 * Removes the entries of `dir` that `rule` selects (files, or folders with what they hold); a
 * missing folder has nothing to remove. Returns how many entries it removed.
 */
export async function sweepFolder(dir: string, rule: SweepRule): Promise<number> {
  let names: string[]
  try {
    names = await fs.promises.readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
  let removed = 0
  for (const name of names) {
    if (removed >= rule.limit) break
    if (rule.name && !rule.name(name)) continue
    const entry = path.join(dir, name)
    if (rule.before) {
      const stat = await fs.promises.lstat(entry).catch(() => null)
      if (!stat || stat.mtimeMs >= rule.before.getTime()) continue
    }
    await fs.promises.rm(entry, { force: true, recursive: true })
    removed++
  }
  return removed
}
