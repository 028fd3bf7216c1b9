import type { Deps } from '../deps.js'
import { retryBlobDeletions } from '../storage/blob-deletions.js'
import type { JobLog } from './runner.js'

/**
 * One pass of the retry of blob deletes the store refused (src/storage/blob-deletions.ts): up to
 * `limit` recorded keys whose time has come, claimed with `FOR UPDATE SKIP LOCKED` (safe on every
 * instance), each deleted or put back with a longer wait. Returns how many blobs it deleted (a
 * pass whose deletes all failed is not followed at once by another).
 */
export async function perform(
  deps: Pick<Deps, 'db' | 'blobs' | 'clock'>,
  options: { limit: number; log?: Pick<JobLog, 'warn'> },
): Promise<number> {
  const { claimed, deleted } = await retryBlobDeletions(deps, options)
  // Counts only: keys name submissions and assets, and errors stay on their rows (class only).
  if (deleted < claimed) options.log?.warn({ claimed, deleted }, 'blob deletes still failing; retried later')
  return deleted
}
