import type { BlobStore } from '../../storage/blob-store.js'
import { takesDirectUploads } from '../../storage/blob-store.js'
import { listAwaitedUploads, type AssetRow } from './assets.repo.js'
import { completeUpload, type CompleteUploadDeps } from './complete-upload.js'

/** What a check of arrivals needs: the completion's dependencies, with any store (fs: nothing to do). */
export interface ArrivalDeps extends Omit<CompleteUploadDeps, 'blobs'> {
  blobs: BlobStore
}

/**
 * How long a page or a status answer waits for the checks (a slow or unreachable store answers
 * what the database says after this). Checks still running then finish on their own, recorded by
 * their guarded UPDATE, and the next look shows them.
 */
export const ARRIVAL_CHECK_BUDGET_MS = 2000
/** Most assets one answer checks (the job looks at the rest), and how many at once. */
const MAX_CHECKED = 30
const AT_ONCE = 4

/**
 * BLOB_STORE=s3: before an answer shows these assets, runs the completion (`completeUpload`, the
 * job's own) for those still awaiting a direct upload, so that an object that arrived is
 * `received` (or `rejected`) at once rather than at the job's next pass. Bounded: at most
 * MAX_CHECKED assets, AT_ONCE at a time, and no new one started after `budgetMs`; a failure is
 * the job's to retry (this answer shows the database). Returns how many it settled in time.
 * With the filesystem store (uploads come through Credport) it does nothing.
 */
export async function checkArrivals(
  deps: ArrivalDeps,
  shown: Iterable<AssetRow>,
  options: { budgetMs?: number } = {},
): Promise<number> {
  const { blobs } = deps
  if (!takesDirectUploads(blobs)) return 0
  const awaited = [...shown]
    .filter((asset) => asset.state === 'awaiting_upload' && asset.source === 'upload')
    .slice(0, MAX_CHECKED)
  if (awaited.length === 0) return 0
  let settled = 0
  let late = false
  const worker = async () => {
    for (let asset = awaited.shift(); asset && !late; asset = awaited.shift()) {
      const outcome = await completeUpload({ ...deps, blobs }, asset).catch(() => 'waiting' as const)
      if (!late && outcome !== 'waiting' && outcome !== 'busy') settled += 1
    }
  }
  let timer: NodeJS.Timeout | undefined
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, options.budgetMs ?? ARRIVAL_CHECK_BUDGET_MS)
  })
  await Promise.race([Promise.all(Array.from({ length: Math.min(AT_ONCE, awaited.length) }, worker)), budget])
  late = true
  clearTimeout(timer)
  return settled
}

/** `checkArrivals` for the assets of one submission (the holder's review), read here. */
export async function checkArrivalsOf(
  deps: ArrivalDeps,
  submissionId: string,
  options: { budgetMs?: number } = {},
): Promise<number> {
  if (!takesDirectUploads(deps.blobs)) return 0
  const awaited = await listAwaitedUploads(deps.db, {
    afterId: null,
    limit: MAX_CHECKED,
    now: deps.clock.now(),
    submissionId,
  })
  return checkArrivals(deps, awaited, options)
}
