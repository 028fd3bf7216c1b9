import type { Static } from 'typebox'
import type { Db } from '../../db/client.js'
import { notFound } from '../../errors.js'
import type { Clock } from '../../lib/clock.js'
import type { StatusSchema } from './status.schemas.js'
import { effectiveStatus, reportedAssetState } from './submission-state.js'
import {
  findCurrentByItemIds,
  findCurrentByRefs,
  listAssetsOf,
  listItemsOf,
  type AssetRow,
  type ItemRow,
  type SubmissionRow,
} from './submissions.repo.js'

type Status = Static<typeof StatusSchema>

interface StatusDeps {
  db: Db
  clock: Clock
}

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

function statusView(id: string, submission: SubmissionRow, items: ItemRow[], assets: AssetRow[], now: Date): Status {
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
    items: items
      .filter((item) => item.submissionId === submission.id)
      .map((item) => ({
        id: item.partnerItemId,
        credential_type: item.credentialType,
        status,
        assets: assets.filter((a) => a.itemId === item.id).map((a) => assetView(a, finished)),
      })),
  }
}

/** Finds what each id names: a submission's own id first, else the id of an item in one. */
async function resolveIds(db: Db, partnerId: string, ids: string[]): Promise<Map<string, SubmissionRow>> {
  const found = new Map<string, SubmissionRow>()
  for (const submission of await findCurrentByRefs(db, partnerId, ids)) found.set(submission.partnerRef, submission)
  const rest = ids.filter((id) => !found.has(id))
  for (const { itemId, submission } of await findCurrentByItemIds(db, partnerId, rest)) {
    if (!found.has(itemId)) found.set(itemId, submission)
  }
  return found
}

/** Status of the partner's submissions (or items) named by `ids`, in order; unknown ids are null. */
export async function getStatuses(deps: StatusDeps, partnerId: string, ids: string[]): Promise<Array<Status | null>> {
  // Read before the rows: a submission decided just before its deadline is never shown expired first.
  const now = deps.clock.now()
  const found = await resolveIds(deps.db, partnerId, [...new Set(ids)])
  const submissionIds = [...new Set([...found.values()].map((s) => s.id))]
  const [items, assets] = await Promise.all([listItemsOf(deps.db, submissionIds), listAssetsOf(deps.db, submissionIds)])
  return ids.map((id) => {
    const submission = found.get(id)
    return submission ? statusView(id, submission, items, assets, now) : null
  })
}

/** GET status of one id; another partner's id is as unknown as a made-up one (404). */
export async function getStatus(deps: StatusDeps, partnerId: string, id: string): Promise<Status> {
  const [status] = await getStatuses(deps, partnerId, [id])
  if (!status) throw notFound(`No submission with id ${JSON.stringify(id)}`)
  return status
}
