import type { Deps } from '../deps.js'
import { completeUploads, sweepStrayUploads } from '../modules/assets/index.js'
import { takesDirectUploads } from '../storage/blob-store.js'

/** Where each instance's next pass goes on (per process: instances need not agree). */
const cursors = new WeakMap<object, string | null>()
const sweepCursors = new WeakMap<object, string | null>()

/**
 * One pass of the completion of direct uploads (BLOB_STORE=s3): heads up to `limit` awaited keys
 * and checks and records what arrived (src/modules/assets/complete-upload.ts). Nothing to do with
 * the filesystem store, whose uploads come through Credport. Then deletes up to `limit` awaited
 * objects no asset waits for (a PUT after receipt, expired and declined submissions). Returns
 * how many assets it settled and objects it deleted.
 */
export async function perform(
  deps: Pick<Deps, 'db' | 'clock' | 'blobs' | 'openCerts' | 'config'>,
  options: { limit: number },
): Promise<number> {
  const { blobs } = deps
  if (!takesDirectUploads(blobs)) return 0
  const { settled, cursor } = await completeUploads(
    { ...deps, blobs },
    { limit: options.limit, cursor: cursors.get(blobs) ?? null },
  )
  cursors.set(blobs, cursor)
  const swept = await sweepStrayUploads(
    { ...deps, blobs },
    { limit: options.limit, cursor: sweepCursors.get(blobs) ?? null },
  )
  sweepCursors.set(blobs, swept.cursor)
  return settled + swept.deleted
}
