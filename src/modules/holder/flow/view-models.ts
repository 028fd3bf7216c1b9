import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '../../../db/client.js'
import { assets, partners, submissions } from '../../../db/schema.js'
import { credentialTypes, getCredentialType } from '../../credential-types/registry.js'
import type { CredentialTypeName } from '../../credential-types/types.js'
import type { AssetRow, ItemRow, SubmissionRow } from '../../../db/schema.js'
import { isUuid } from '../../../lib/ids.js'
import { reportedAssetState } from '../../submissions/submission-state.js'
import { listAssetsOf, listItemsOf } from '../../submissions/submissions.repo.js'
import { holderViewOf } from './holder-submissions.js'
import type { CredentialView, DocumentView, ReviewModel, WalletModel } from '../views/models.js'

const ARRIVED = new Set(['received', 'verified', 'rejected'])

function documentView(asset: AssetRow, finished: boolean): DocumentView {
  const viewable = ARRIVED.has(asset.state) && asset.blobKey !== null
  return {
    assetId: asset.id,
    assetType: asset.assetType,
    state: reportedAssetState(asset, finished),
    rejectReason: asset.rejectReason,
    verification: asset.verification ?? null,
    bytes: asset.bytes,
    viewUrl: viewable ? `/holder/documents/${asset.id}` : null,
    downloadUrl: viewable ? `/holder/documents/${asset.id}?download=1` : null,
  }
}

function credentialView(item: ItemRow, itemAssets: AssetRow[], finished: boolean): CredentialView {
  const def = getCredentialType(item.credentialType)
  const fields = item.fields ?? {}
  const issuer = def?.issuerField ? fields[def.issuerField] : undefined
  return {
    credentialType: item.credentialType as CredentialTypeName,
    displayTitle: item.displayTitle ?? def?.title ?? item.credentialType,
    issuerName: typeof issuer === 'string' ? issuer : null,
    fields,
    partnerChain: item.partnerChain ?? [],
    documents: itemAssets.filter((a) => a.itemId === item.id).map((a) => documentView(a, finished)),
  }
}

/** The name of the partner behind a submission, as holders see it. */
export async function partnerName(db: Db, partnerId: string): Promise<string> {
  const [row] = await db.select({ name: partners.name }).from(partners).where(eq(partners.id, partnerId))
  return row?.name ?? ''
}

/** Everything the review page shows for one submission. */
export async function loadReviewModel(db: Db, submission: SubmissionRow): Promise<ReviewModel> {
  const [items, itemAssets, name] = await Promise.all([
    listItemsOf(db, [submission.id]),
    listAssetsOf(db, [submission.id]),
    partnerName(db, submission.partnerId),
  ])
  const finished = submission.status !== 'incomplete'
  return {
    requestId: submission.id,
    partnerName: name,
    credentials: items.map((item) => credentialView(item, itemAssets, finished)),
    expiresAt: submission.expiresAt,
  }
}

/** The holder's accepted credentials, grouped by type in registry order, newest first. */
export async function loadWalletModel(db: Db, holderId: string): Promise<WalletModel> {
  const accepted = await db
    .select({ submission: submissions, partnerName: partners.name })
    .from(submissions)
    .innerJoin(partners, eq(partners.id, submissions.partnerId))
    .where(and(eq(submissions.holderId, holderId), eq(submissions.status, 'verified')))
    .orderBy(desc(submissions.finalizedAt))
  const ids = accepted.map((a) => a.submission.id)
  if (ids.length === 0) return { groups: [] }
  const [items, itemAssets] = await Promise.all([listItemsOf(db, ids), listAssetsOf(db, ids)])
  const credentials = accepted.flatMap(({ submission, partnerName: name }) =>
    items
      .filter((item) => item.submissionId === submission.id)
      .map((item) => ({
        ...credentialView(item, itemAssets, true),
        partnerName: name,
        acceptedAt: submission.finalizedAt!,
      })),
  )
  return {
    groups: credentialTypes
      .map((def) => ({
        credentialType: def.name,
        credentials: credentials.filter((c) => c.credentialType === def.name),
      }))
      .filter((group) => group.credentials.length > 0),
  }
}

/**
 * A document the signed-in holder may see: it belongs to a submission bound to them that has not
 * expired (an expired one is treated so at once, before the expiry job deletes its documents).
 */
export async function findHolderDocument(
  db: Db,
  holderId: string,
  assetId: string,
  now: Date,
): Promise<AssetRow | null> {
  if (!isUuid(assetId)) return null
  const [row] = await db
    .select({ asset: assets, submission: submissions })
    .from(assets)
    .innerJoin(submissions, eq(submissions.id, assets.submissionId))
    .where(and(eq(assets.id, assetId), eq(submissions.holderId, holderId)))
  if (!row || holderViewOf(row.submission, now) === 'expired') return null
  return row.asset
}
