import type { Static } from 'typebox'
import type { Db } from '../../db/client.js'
import { notFound } from '../../errors.js'
import { checkArrivals, type ArrivalDeps } from '../assets/index.js'
import type { StatusSchema } from './status.schemas.js'
import { effectiveStatus, itemStatusOf, reportedAssetState } from './submission-state.js'
import { readStatuses, type AssetRow, type StatusRead } from './submissions.repo.js'

type Status = Static<typeof StatusSchema>

/** The database, and (BLOB_STORE=s3) what checking the arrival of direct uploads needs. */
export type StatusDeps = ArrivalDeps

function assetView(asset: AssetRow, finished: boolean): Status['items'][number]['assets'][number] {
  return {
    asset_id: asset.partnerAssetId,
    asset_type: asset.assetType,
    state: reportedAssetState(asset, finished),
    reason: asset.rejectReason ?? null,
    bytes: asset.bytes ?? null,
    sha256: asset.sha256 ?? null,
    received_at: asset.receivedAt?.toISOString() ?? null,
    ...(asset.verification ? { verification: asset.verification } : {}),
  }
}

function statusView(id: string, { submission, items }: StatusRead, now: Date): Status {
  const { status, finalizedAt } = effectiveStatus(submission, now)
  const finished = status !== 'incomplete'
  return {
    id,
    status,
    finalized_at: finalizedAt?.toISOString() ?? null,
    request_id: submission.id,
    created_at: submission.createdAt.toISOString(),
    expires_at: submission.expiresAt.toISOString(),
    opened_at: submission.openedAt?.toISOString() ?? null,
    items: items.map((item) => ({
      id: item.partnerItemId,
      credential_type: item.credentialType,
      status: itemStatusOf(item, status),
      assets: item.assets.map((a) => assetView(a, finished)),
    })),
  }
}

/**
 * What each id names: a submission's own id first, else the id of an item in one. Every answer
 * comes from one read (`readStatuses`: one statement, one snapshot), so a decision or an upload
 * committing meanwhile never shows half-done.
 */
async function resolveIds(db: Db, partnerId: string, ids: string[]): Promise<Map<string, StatusRead>> {
  const asked = new Set(ids)
  const reads = await readStatuses(db, partnerId, ids)
  const found = new Map<string, StatusRead>()
  // Every submission read is a current one of the partner's: one whose own id was asked is what that id names.
  for (const read of reads) if (asked.has(read.submission.partnerRef)) found.set(read.submission.partnerRef, read)
  for (const read of reads) {
    for (const itemId of read.askedItemIds) if (!found.has(itemId)) found.set(itemId, read)
  }
  return found
}

/**
 * Status of the partner's submissions (or items) named by `ids`, in order; unknown ids are null.
 * BLOB_STORE=s3: the direct uploads they still await are checked first (`checkArrivals`, within
 * its time budget), so an object PUT a moment ago is `received` (or `rejected`) without waiting
 * for the completion job.
 */
export async function getStatuses(deps: StatusDeps, partnerId: string, ids: string[]): Promise<Array<Status | null>> {
  const unique = [...new Set(ids)]
  // Read before the rows: a submission decided just before its deadline is never shown expired first.
  let now = deps.clock.now()
  let found = await resolveIds(deps.db, partnerId, unique)
  // Only submissions still taking documents: the completion would refuse the others' anyway.
  const shown = [...new Set(found.values())]
    .filter((read) => effectiveStatus(read.submission, now).status === 'incomplete')
    .flatMap((read) => read.items.flatMap((item) => item.assets))
  if ((await checkArrivals(deps, shown)) > 0) {
    now = deps.clock.now()
    found = await resolveIds(deps.db, partnerId, unique)
  }
  return ids.map((id) => {
    const read = found.get(id)
    return read ? statusView(id, read, now) : null
  })
}

/** GET status of one id; another partner's id is as unknown as a made-up one (404). */
export async function getStatus(deps: StatusDeps, partnerId: string, id: string): Promise<Status> {
  const [status] = await getStatuses(deps, partnerId, [id])
  if (!status) throw notFound(`No submission with id ${JSON.stringify(id)}`)
  return status
}
