import { randomUUID } from 'node:crypto'
import type { Db, Executor } from '../../db/client.js'
import { AppError } from '../../errors.js'
import { hashJson } from '../../lib/canonical-json.js'
import type { Clock } from '../../lib/clock.js'
import type { PartnerPrincipal } from '../../plugins/partner-auth.js'
import { storeInlineDocument } from '../assets/ingest.js'
import type { SubmissionDraft } from './draft.js'
import {
  deleteIdempotencyKey,
  findIdempotencyKey,
  findSubmission,
  insertIdempotencyKey,
  insertSubmissionRows,
  listInlineAssetsAwaiting,
  lockCurrentSubmission,
  retireSubmission,
  type SubmissionRow,
} from './submissions.repo.js'

export interface CreateSubmissionDeps {
  db: Db
  clock: Clock
  config: { submissionTtlMs: number }
}

export interface CreatedSubmission {
  submission: SubmissionRow
  /** True when an earlier identical request is answered again (nothing new was stored). */
  replayed: boolean
  /** Documents that came inside the request, to store once the submission is committed. */
  inlineDocuments: Array<{ assetId: string; bytes: Buffer }>
}

const MAX_ATTEMPTS = 3

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } }
  return e?.code === '23505' || e?.cause?.code === '23505'
}

function idConflict(what: string): AppError {
  return new AppError('id_conflict', `${what} was already used within the last 48 hours with a different request body`)
}

/**
 * Stores a validated submission, or answers again for an identical one (spec §10): the same
 * partner id (or Idempotency-Key) with the same body within SUBMISSION_TTL replays the first
 * answer; with another body it is a 409; after the TTL the id starts a new submission. Two
 * concurrent identical requests store exactly one submission: the loser of the unique index
 * retries and finds the winner's.
 */
export async function createSubmission(
  deps: CreateSubmissionDeps,
  principal: PartnerPrincipal,
  draft: SubmissionDraft,
  body: unknown,
  idempotencyKey?: string,
): Promise<CreatedSubmission> {
  const bodyHash = hashJson(body)
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction((tx) => storeOrReplay(tx, deps, principal, draft, bodyHash, idempotencyKey))
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) throw error
    }
  }
}

async function storeOrReplay(
  tx: Executor,
  deps: CreateSubmissionDeps,
  principal: PartnerPrincipal,
  draft: SubmissionDraft,
  bodyHash: string,
  idempotencyKey: string | undefined,
): Promise<CreatedSubmission> {
  const now = deps.clock.now()
  // A replay carries the same inline documents: any not stored the first time are stored now.
  const replay = async (submission: SubmissionRow): Promise<CreatedSubmission> => ({
    submission,
    replayed: true,
    inlineDocuments: await pendingInlineDocuments(tx, submission.id, draft),
  })

  if (idempotencyKey !== undefined) {
    const key = await findIdempotencyKey(tx, principal.partnerId, idempotencyKey)
    if (key && key.expiresAt > now) {
      if (key.bodyHash !== bodyHash) throw idConflict('This Idempotency-Key')
      const submission = await findSubmission(tx, key.submissionId)
      if (submission) return await replay(submission)
    }
    if (key) await deleteIdempotencyKey(tx, principal.partnerId, idempotencyKey)
  }

  const existing = await lockCurrentSubmission(tx, principal.partnerId, draft.partnerRef)
  if (existing && existing.expiresAt > now) {
    if (existing.bodyHash !== bodyHash) throw idConflict(`The id ${JSON.stringify(draft.partnerRef)}`)
    if (idempotencyKey !== undefined) await rememberKey(tx, principal, idempotencyKey, bodyHash, existing.id, existing.expiresAt, now)
    return await replay(existing)
  }
  if (existing) await retireSubmission(tx, existing.id)

  const submissionId = randomUUID()
  const expiresAt = new Date(now.getTime() + deps.config.submissionTtlMs)
  const inlineDocuments: CreatedSubmission['inlineDocuments'] = []
  const items = draft.items.map((item, position) => ({
    id: randomUUID(),
    submissionId,
    position,
    partnerItemId: item.partnerItemId,
    credentialType: item.def.name,
    fields: item.fields,
    partnerChain: item.partnerChain,
    displayTitle: item.def.displayTitle(item.fields as never),
  }))
  const assets = draft.items.flatMap((item, index) =>
    item.assets.map((asset) => {
      const id = randomUUID()
      if (asset.inlineBytes) inlineDocuments.push({ assetId: id, bytes: asset.inlineBytes })
      return {
        id,
        submissionId,
        itemId: items[index]!.id,
        partnerAssetId: asset.partnerAssetId,
        assetType: asset.assetType,
        source: asset.source,
        sourceUrl: asset.sourceUrl ?? null,
        state: asset.source === 'url' ? ('awaiting_fetch' as const) : ('awaiting_upload' as const),
        fetchAfter: asset.source === 'url' ? now : null,
      }
    }),
  )
  const submission = await insertSubmissionRows(tx, {
    submission: {
      id: submissionId,
      partnerId: principal.partnerId,
      clientId: principal.clientId,
      partnerRef: draft.partnerRef,
      envelope: draft.envelope,
      redirectPath: draft.redirectPath,
      documentType: draft.documentType,
      bodyHash,
      createdAt: now,
      expiresAt,
    },
    items,
    assets,
  })
  if (idempotencyKey !== undefined) await rememberKey(tx, principal, idempotencyKey, bodyHash, submissionId, expiresAt, now)
  return { submission, replayed: false, inlineDocuments }
}

async function rememberKey(tx: Executor, principal: PartnerPrincipal, key: string, bodyHash: string, submissionId: string, expiresAt: Date, now: Date): Promise<void> {
  await insertIdempotencyKey(tx, { partnerId: principal.partnerId, key, bodyHash, submissionId, expiresAt, createdAt: now })
}

/** Inline documents of a stored submission that are still waiting for their bytes, taken from the draft. */
async function pendingInlineDocuments(tx: Executor, submissionId: string, draft: SubmissionDraft): Promise<CreatedSubmission['inlineDocuments']> {
  const waiting = await listInlineAssetsAwaiting(tx, submissionId)
  return waiting.flatMap((asset) => {
    const item = draft.items.find((i) => i.partnerItemId === asset.partnerItemId)
    const bytes = item?.assets.find((a) => a.partnerAssetId === asset.partnerAssetId)?.inlineBytes
    return bytes ? [{ assetId: asset.id, bytes }] : []
  })
}

/**
 * Stores the documents that came inside the request, once the submission is committed. A
 * failure leaves the asset awaiting (reported, and retried when the partner sends the same
 * request again) rather than failing a submission that is already accepted.
 */
export async function storeSubmittedDocuments(
  deps: Parameters<typeof storeInlineDocument>[0],
  created: CreatedSubmission,
  log: { warn(object: object, message: string): void },
): Promise<void> {
  for (const document of created.inlineDocuments) {
    try {
      await storeInlineDocument(deps, document.assetId, document.bytes)
    } catch (error) {
      log.warn({ err: error, asset_id: document.assetId }, 'inline document not stored; it stays awaiting')
    }
  }
}
