import type { Clock } from '../lib/clock.js'
import { DEFAULT_FETCH_TIMEOUT_MS } from '../modules/assets/index.js'
import type { BlobStore } from '../storage/blob-store.js'

/** What the job needs from the application's dependencies. */
export interface PurgeUploadLeftoversDeps {
  blobs: Pick<BlobStore, 'removeIncomplete'>
  clock: Clock
  config: { requestTimeoutMs: number }
}

/**
 * Time a finished body may still hold its temporary file: the sync to the disk, the rename and,
 * for an OpenCerts document, its turn at the verifier. Generous: a leftover costs only disk space.
 */
const AFTER_BODY_MS = 10 * 60_000

/**
 * How long a document write can hold its temporary file at most: its whole request
 * (`REQUEST_TIMEOUT` closes it) or a document fetch (whichever is longer), then AFTER_BODY_MS.
 */
export function longestWriteMs(config: { requestTimeoutMs: number }): number {
  return Math.max(config.requestTimeoutMs, DEFAULT_FETCH_TIMEOUT_MS) + AFTER_BODY_MS
}

/** Files last written before this belong to no write still in progress (on any instance sharing the store). */
export function leftoverCutoff(deps: Omit<PurgeUploadLeftoversDeps, 'blobs'>): Date {
  return new Date(deps.clock.now().getTime() - longestWriteMs(deps.config))
}

/**
 * One pass of the purge of uploads cut short: a process killed mid-upload (or mid-fetch) leaves a
 * partial temporary file no rule would ever delete. Removes up to `limit` of them that no write
 * can still be using (see `leftoverCutoff`); returns how many it removed.
 */
export async function perform(deps: PurgeUploadLeftoversDeps, options: { limit: number }): Promise<number> {
  return deps.blobs.removeIncomplete(leftoverCutoff(deps), options.limit)
}
