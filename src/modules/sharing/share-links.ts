import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/client.js'
import type { AssetRow, ShareLinkRow } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { isUuid } from '../../lib/ids.js'
import { loadShareContent, type ShareContent } from './share-content.js'
import {
  findShareLinkByHash,
  insertShareLink,
  itemIdsOfShareLink,
  listAssetsOfItems,
  listShareLinksOf,
  markRevoked,
  recordOpen,
  shareableItemIds,
} from './share-links.repo.js'
import { newShareToken, shareTokenHash } from './tokens.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** The expiries a holder chooses from, in days. */
export const SHARE_EXPIRIES = { '7d': 7, '30d': 30, '1y': 365 } as const
export type ShareExpiry = keyof typeof SHARE_EXPIRIES
export const isShareExpiry = (value: string): value is ShareExpiry => Object.hasOwn(SHARE_EXPIRIES, value)

/** The longest label, in characters. */
export const MAX_LABEL_LENGTH = 100

interface SharingDeps {
  db: Db
  clock: Clock
}

/** What the holder asked for, as the form sent it. */
export interface NewShareLink {
  holderId: string
  label: string
  expiry: string
  includeDocuments: boolean
  itemIds: readonly string[]
  /**
   * The token the form proposed (`proposeShareToken`, in a hidden field): posting the same form
   * again (a reload of the page that showed the link) shows the link it made instead of making
   * another. Absent or not a token: a new one.
   */
  proposedToken?: string
}

/** Why a link was not made: each problem of the form, by field. */
export type ShareLinkProblem = 'label-missing' | 'label-too-long' | 'expiry' | 'no-credential' | 'not-shareable'

export type CreatedShareLink =
  /** `repeated`: the form had made this link already; it is shown again, not made twice. */
  { ok: true; token: string; link: ShareLinkRow; repeated: boolean } | { ok: false; problems: ShareLinkProblem[] }

/**
 * Makes a share link of the holder's chosen credentials (accepted by them, not removed or
 * revoked). The token is returned here only: the database keeps its SHA-256.
 */
export async function createShareLink(deps: SharingDeps, input: NewShareLink): Promise<CreatedShareLink> {
  const label = input.label.trim()
  const itemIds = [...new Set(input.itemIds)]
  const problems: ShareLinkProblem[] = []
  if (label === '') problems.push('label-missing')
  else if (Array.from(label).length > MAX_LABEL_LENGTH) problems.push('label-too-long')
  if (!isShareExpiry(input.expiry)) problems.push('expiry')
  if (itemIds.length === 0) problems.push('no-credential')
  else if (!itemIds.every(isUuid)) problems.push('not-shareable')
  else {
    const shareable = await shareableItemIds(deps.db, input.holderId, itemIds)
    if (itemIds.some((id) => !shareable.has(id))) problems.push('not-shareable')
  }
  if (problems.length > 0 || !isShareExpiry(input.expiry)) return { ok: false, problems }
  const wanted = { holderId: input.holderId, label, includeDocuments: input.includeDocuments, itemIds }
  const periodMs = SHARE_EXPIRIES[input.expiry] * DAY_MS
  const proposed = input.proposedToken !== undefined && shareTokenHash(input.proposedToken) ? input.proposedToken : null
  // The proposed token first (a second post of one form finds its link), then a fresh one.
  for (const token of proposed ? [proposed, newShareToken()] : [newShareToken()]) {
    const now = deps.clock.now()
    const link: ShareLinkRow = {
      id: randomUUID(),
      holderId: input.holderId,
      tokenHash: shareTokenHash(token)!,
      label,
      includeDocuments: input.includeDocuments,
      createdAt: now,
      expiresAt: new Date(now.getTime() + periodMs),
      revokedAt: null,
      openCount: 0,
      lastOpenedAt: null,
    }
    if (await insertShareLink(deps.db, link, itemIds)) return { ok: true, token, link, repeated: false }
    const made = await findShareLinkByHash(deps.db, link.tokenHash)
    if (made && (await isSameLink(deps, made, wanted, periodMs))) return { ok: true, token, link: made, repeated: true }
    // The form was changed and sent again (or the token is another holder's): a link of its own.
  }
  throw new Error('a fresh share token was already taken')
}

/** A token proposed by the form to make a link (see `NewShareLink.proposedToken`). */
export function proposeShareToken(): string {
  return newShareToken()
}

/** Whether `made` is the link the holder asks for again: theirs, with the same choices. */
async function isSameLink(
  deps: SharingDeps,
  made: ShareLinkRow,
  wanted: { holderId: string; label: string; includeDocuments: boolean; itemIds: readonly string[] },
  periodMs: number,
): Promise<boolean> {
  if (made.holderId !== wanted.holderId || made.label !== wanted.label) return false
  if (made.includeDocuments !== wanted.includeDocuments) return false
  if (made.expiresAt.getTime() - made.createdAt.getTime() !== periodMs) return false
  const items = await itemIdsOfShareLink(deps.db, made.id)
  return items.length === wanted.itemIds.length && items.every((id) => wanted.itemIds.includes(id))
}

/** A link's standing as its holder sees it. */
export type ShareLinkStatus = 'active' | 'expired' | 'revoked'

export function shareLinkStatus(link: Pick<ShareLinkRow, 'revokedAt' | 'expiresAt'>, now: Date): ShareLinkStatus {
  if (link.revokedAt) return 'revoked'
  return now.getTime() >= link.expiresAt.getTime() ? 'expired' : 'active'
}

export interface ShareLinkSummary {
  id: string
  label: string
  itemCount: number
  includeDocuments: boolean
  createdAt: Date
  expiresAt: Date
  revokedAt: Date | null
  openCount: number
  lastOpenedAt: Date | null
  status: ShareLinkStatus
}

/** The holder's links, newest first. */
export async function listShareLinks(deps: SharingDeps, holderId: string): Promise<ShareLinkSummary[]> {
  const now = deps.clock.now()
  const rows = await listShareLinksOf(deps.db, holderId)
  return rows.map(({ link, itemCount }) => ({
    id: link.id,
    label: link.label,
    itemCount: Number(itemCount),
    includeDocuments: link.includeDocuments,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    revokedAt: link.revokedAt,
    openCount: link.openCount,
    lastOpenedAt: link.lastOpenedAt,
    status: shareLinkStatus(link, now),
  }))
}

/** One of the holder's links; undefined for another holder's or an unknown id. */
export async function findShareLink(
  deps: SharingDeps,
  holderId: string,
  linkId: string,
): Promise<ShareLinkSummary | undefined> {
  if (!isUuid(linkId)) return undefined
  return (await listShareLinks(deps, holderId)).find((link) => link.id === linkId)
}

/** Revokes one of the holder's links at once (again: nothing changes). False for an unknown or another holder's link. */
export async function revokeShareLink(deps: SharingDeps, holderId: string, linkId: string): Promise<boolean> {
  if (!isUuid(linkId)) return false
  return markRevoked(deps.db, holderId, linkId, deps.clock.now())
}

/** The live link a token names; undefined when unknown, expired or revoked (callers answer all three alike). */
async function liveLink(deps: SharingDeps, token: string): Promise<ShareLinkRow | undefined> {
  const hash = shareTokenHash(token)
  const link = hash ? await findShareLinkByHash(deps.db, hash) : undefined
  if (!link || shareLinkStatus(link, deps.clock.now()) !== 'active') return undefined
  return link
}

/** Opens a share link for a verifier: counts the opening and reads what it shows; undefined when it is gone. */
export async function openShareLink(deps: SharingDeps, token: string): Promise<ShareContent | undefined> {
  const link = await liveLink(deps, token)
  if (!link) return undefined
  await recordOpen(deps.db, link.id, deps.clock.now())
  return loadShareContent(deps.db, { ...link, openCount: link.openCount + 1, lastOpenedAt: deps.clock.now() })
}

/**
 * A document a live link that includes documents shows (its credential shared, not removed);
 * undefined otherwise.
 */
export async function findSharedDocument(
  deps: SharingDeps,
  token: string,
  assetId: string,
): Promise<AssetRow | undefined> {
  if (!isUuid(assetId)) return undefined
  const link = await liveLink(deps, token)
  if (!link?.includeDocuments) return undefined
  const content = await loadShareContent(deps.db, link)
  const shared = content.credentials.some((c) => c.documents.some((d) => d.assetId === assetId && d.available))
  if (!shared) return undefined
  const [asset] = (
    await listAssetsOfItems(
      deps.db,
      content.credentials.map((c) => c.id),
    )
  ).filter((a) => a.id === assetId)
  return asset
}
