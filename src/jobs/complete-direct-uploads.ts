import type { Deps } from '../deps.js'
import { completeUploads } from '../modules/assets/index.js'
import { takesDirectUploads } from '../storage/blob-store.js'

/** Where each instance's next pass goes on (per process: instances need not agree). */
const cursors = new WeakMap<object, string | null>()

/**
 * One pass of the completion of direct uploads (BLOB_STORE=s3): heads up to `limit` awaited keys
 * and checks and records what arrived (src/modules/assets/complete-upload.ts). Nothing to do with
 * the filesystem store, whose uploads come through Credport. Returns how many assets it settled.
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
  return settled
}
