import { randomUUID } from 'node:crypto'
import type { Db, Executor } from '../../db/client.js'
import { AppError } from '../../errors.js'
import { hashJson } from '../../lib/canonical-json.js'
import type { Clock } from '../../lib/clock.js'
import type { PartnerPrincipal } from '../../plugins/partner-auth.js'
import { storeInlineDocument } from '../assets/index.js'
import { BUSY_RETRY_AFTER_SECONDS, type OpenCertVerifier } from '../assets/index.js'
import type { SubmissionDraft } from './draft.js'
import { insertSubmission } from './insert-groups.js'
import {
  deleteIdempotencyKey,
  findIdempotencyKey,
  findSubmission,
  insertIdempotencyKey,
  listAssetsAwaitingUpload,
  listInlineAssetsAwaiting,
  lockCurrentSubmission,
  newSubmissionRow,
  retireSubmission,
  type AwaitedAsset,
  type NewAssetRow,
  type NewItemRow,
  type NewSubmissionRows,
  type SubmissionRow,
} from './submissions.repo.js'

export interface CreateSubmissionDeps {
  db: Db
  /** Which database `db` is: on PostgreSQL new submissions are stored in groups (insert-groups.ts). */
  database: { kind: 'pglite' | 'postgres' }
  clock: Clock
  config: { submissionTtlMs: number }
}

export interface CreatedSubmission {
  submission: SubmissionRow
  /** True when an earlier identical request is answered again (nothing new was stored). */
  replayed: boolean
  /** Documents that came inside the request, to store once the submission is committed. */
  inlineDocuments: Array<{ assetId: string; bytes: Buffer }>
  /** Assets still waiting for an upload, by item, then by the partner's asset id (upload links are issued for them). */
  awaitingUpload: AwaitedAsset[]
}

const MAX_ATTEMPTS = 3

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } }
  return e?.code === '23505' || e?.cause?.code === '23505'
}

function idConflict(what: string): AppError {
  return new AppError('id_conflict', `${what} was already used within the last 48 hours with a different request body`)
}

/** Another request took the partner's id between our check and our insert: start over. */
class LostRace extends Error {}

/**
 * Stores a validated submission, or answers again for an identical one (spec §10): the same
 * partner id (or Idempotency-Key) with the same body within SUBMISSION_TTL replays the first
 * answer; with another body it is a 409; after the TTL the id starts a new submission.
 *
 * A new id is stored by one statement that does nothing if the id is already current (the
 * common case costs one round trip, shared with the requests that arrive meanwhile:
 * insert-groups.ts); only then does a transaction look at what is there. Two
 * concurrent identical requests store exactly one submission: the loser finds the winner's.
 */
export async function createSubmission(
  deps: CreateSubmissionDeps,
  principal: PartnerPrincipal,
  draft: SubmissionDraft,
  body: unknown,
  idempotencyKey?: string,
): Promise<CreatedSubmission> {
  const fresh = newSubmissionRows(deps, principal, draft, hashJson(body), idempotencyKey ?? null)
  try {
    if (await insertSubmission(deps.db, fresh.rows, { grouped: deps.database.kind === 'postgres' }))
      return fresh.created
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction((tx) => storeOrReplay(tx, principal, draft, fresh))
    } catch (error) {
      if (!(error instanceof LostRace || isUniqueViolation(error))) throw error
      if (attempt >= MAX_ATTEMPTS) {
        throw new AppError(
          'service_unavailable',
          'Other requests with this id kept changing it while this one was stored; send it again',
          {},
          { 'retry-after': '1' },
        )
      }
    }
  }
}

/** The id, the key or both are taken: replay, refuse, or retire the expired holder of the id and store. */
async function storeOrReplay(
  tx: Executor,
  principal: PartnerPrincipal,
  draft: SubmissionDraft,
  fresh: FreshSubmission,
): Promise<CreatedSubmission> {
  const now = fresh.rows.submission.createdAt
  const { bodyHash } = fresh.rows.submission
  const idempotencyKey = fresh.rows.idempotencyKey
  // A replay carries the same inline documents: any not stored the first time are stored now, and
  // fresh links for uploads still awaited. Not once the holder decided: its documents can no longer
  // change (an upload would be refused), so neither is offered.
  const replay = async (submission: SubmissionRow): Promise<CreatedSubmission> => {
    const open = submission.status === 'incomplete'
    return {
      submission,
      replayed: true,
      inlineDocuments: open ? await pendingInlineDocuments(tx, submission.id, draft) : [],
      awaitingUpload: open ? await listAssetsAwaitingUpload(tx, submission.id) : [],
    }
  }

  if (idempotencyKey !== null) {
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
    if (idempotencyKey !== null) {
      await insertIdempotencyKey(tx, {
        partnerId: principal.partnerId,
        key: idempotencyKey,
        bodyHash,
        submissionId: existing.id,
        expiresAt: existing.expiresAt,
        createdAt: now,
      })
    }
    return await replay(existing)
  }
  if (existing) await retireSubmission(tx, existing.id)
  if (!(await insertSubmission(tx, fresh.rows, { grouped: false }))) throw new LostRace()
  return fresh.created
}

interface FreshSubmission {
  rows: NewSubmissionRows
  /** The answer once `rows` are stored. */
  created: CreatedSubmission
}

/** The rows a draft becomes, with new ids, and the answer for them once stored. */
function newSubmissionRows(
  deps: CreateSubmissionDeps,
  principal: PartnerPrincipal,
  draft: SubmissionDraft,
  bodyHash: string,
  idempotencyKey: string | null,
): FreshSubmission {
  const now = deps.clock.now()
  const submission = newSubmissionRow({
    id: randomUUID(),
    partnerId: principal.partnerId,
    clientId: principal.clientId,
    partnerRef: draft.partnerRef,
    envelope: draft.envelope,
    redirectPath: draft.redirectPath,
    documentType: draft.documentType,
    bodyHash,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.config.submissionTtlMs),
  })
  const items: NewItemRow[] = draft.items.map((item, position) => ({
    id: randomUUID(),
    submissionId: submission.id,
    position,
    partnerItemId: item.partnerItemId,
    credentialType: item.def.name,
    fields: item.fields,
    partnerChain: item.partnerChain,
    displayTitle: item.def.displayTitle(item.fields as never),
  }))
  const inlineDocuments: CreatedSubmission['inlineDocuments'] = []
  const assets: NewAssetRow[] = draft.items.flatMap((item, index) =>
    item.assets.map((asset) => {
      const id = randomUUID()
      if (asset.inlineBytes) inlineDocuments.push({ assetId: id, bytes: asset.inlineBytes })
      return {
        id,
        submissionId: submission.id,
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
  // The order listAssetsAwaitingUpload reads them in: by item, then by the partner's asset id.
  const positionOf = new Map(items.map((i) => [i.id, i.position]))
  const awaitingUpload = assets
    .filter((a) => a.source === 'upload')
    .sort(
      (x, y) =>
        positionOf.get(x.itemId)! - positionOf.get(y.itemId)! || byUtf8Bytes(x.partnerAssetId, y.partnerAssetId),
    )
    .map(({ id, partnerAssetId, assetType }) => ({ id, partnerAssetId, assetType }))
  return {
    rows: { submission, items, assets, idempotencyKey },
    created: { submission, replayed: false, inlineDocuments, awaitingUpload },
  }
}

const SURROGATE = /[\uD800-\uDFFF]/

/**
 * The order of `collate "C"` in listAssetsAwaitingUpload: by UTF-8 bytes, which is code-point
 * order. JavaScript's `<` compares UTF-16 code units, the same order unless a surrogate (a code
 * point above U+FFFF) is involved: only then are the texts encoded and compared as bytes.
 */
function byUtf8Bytes(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** Inline documents of a stored submission that are still waiting for their bytes, taken from the draft. */
async function pendingInlineDocuments(
  tx: Executor,
  submissionId: string,
  draft: SubmissionDraft,
): Promise<CreatedSubmission['inlineDocuments']> {
  const waiting = await listInlineAssetsAwaiting(tx, submissionId)
  return waiting.flatMap((asset) => {
    const item = draft.items.find((i) => i.partnerItemId === asset.partnerItemId)
    const bytes = item?.assets.find((a) => a.partnerAssetId === asset.partnerAssetId)?.inlineBytes
    return bytes ? [{ assetId: asset.id, bytes }] : []
  })
}

type Log = { warn(object: object, message: string): void }

/**
 * Stores (or replays) a submission, then stores and verifies the documents that came inside it
 * before answering. The OpenCerts verifier's room for those documents is held from the start, or
 * the request is refused (503, nothing stored) when there is none: once the submission is stored,
 * they are verified however long the verifier's queue.
 */
export async function acceptSubmission(
  deps: CreateSubmissionDeps &
    Parameters<typeof storeInlineDocument>[0] & { openCerts: Pick<OpenCertVerifier, 'reserve'> },
  principal: PartnerPrincipal,
  draft: SubmissionDraft,
  body: unknown,
  idempotencyKey: string | undefined,
  log: Log,
): Promise<CreatedSubmission> {
  const releaseVerifierRoom = reserveVerifierRoom(deps.openCerts, draft)
  try {
    const created = await createSubmission(deps, principal, draft, body, idempotencyKey)
    await storeSubmittedDocuments(deps, created, log)
    return created
  } finally {
    releaseVerifierRoom()
  }
}

/** Holds the verifier's room for the request's inline OpenCerts documents; answers the function that gives it back. */
function reserveVerifierRoom(verifier: Pick<OpenCertVerifier, 'reserve'>, draft: SubmissionDraft): () => void {
  const bytes = draft.items
    .flatMap((item) => item.assets)
    .reduce((sum, asset) => sum + (asset.assetType === 'open_cert' ? (asset.inlineBytes?.byteLength ?? 0) : 0), 0)
  if (bytes === 0) return () => {}
  const release = verifier.reserve(bytes)
  if (release) return release
  const wait = BUSY_RETRY_AFTER_SECONDS
  throw new AppError(
    'service_unavailable',
    `Too many OpenCerts documents are waiting to be verified; send this request again in ${wait} s. This request stored nothing.`,
    {},
    { 'retry-after': String(wait) },
  )
}

/**
 * Stores the documents that came inside the request, once the submission is committed. A
 * failure leaves the asset awaiting (reported, and retried when the partner sends the same
 * request again) rather than failing a submission that is already accepted.
 */
async function storeSubmittedDocuments(
  deps: Parameters<typeof storeInlineDocument>[0],
  created: CreatedSubmission,
  log: Log,
): Promise<void> {
  for (const document of created.inlineDocuments) {
    try {
      await storeInlineDocument(deps, document.assetId, document.bytes)
    } catch (error) {
      log.warn({ err: error, asset_id: document.assetId }, 'inline document not stored; it stays awaiting')
    }
  }
}
