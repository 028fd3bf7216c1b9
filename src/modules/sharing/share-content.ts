import type { Db } from '../../db/client.js'
import type { AssetRow, ItemRow, SubmissionRow } from '../../db/schema.js'
import { getCredentialType } from '../credential-types/index.js'
import type { ShareLinkRow } from '../../db/schema.js'
import { listAssetsOfItems, listSharedItems } from './share-links.repo.js'

/** A shared credential's standing: shown, revoked by its issuer (still shown, marked), removed by the holder (nothing shown). */
export type SharedStatus = 'valid' | 'revoked' | 'removed'

/** One document of a shared credential, as the asset row records it. */
export interface SharedDocument {
  assetId: string
  assetType: 'pdf' | 'png' | 'jpg' | 'open_cert'
  /** `verified` (an OpenCerts document that verified), `received` (bytes whose type was checked by their magic bytes), `rejected`, … */
  state: string
  rejectReason: string | null
  /** OpenCerts verification outcome, when the document is one. */
  verification: Record<string, unknown> | null
  bytes: number | null
  sha256: string | null
  /** The link includes documents and this one's bytes are stored: it can be opened under the link. */
  available: boolean
}

/** One credential of a share link. Fields and documents are empty for a removed one. */
export interface SharedCredential {
  id: string
  status: SharedStatus
  credentialType: string
  displayTitle: string
  /** The issuer named in the credential, if its type has an issuer field. */
  issuerName: string | null
  fields: Record<string, unknown>
  /** Who submitted it to Credport: the partner, and the intermediaries from the partner's side. */
  partnerName: string
  partnerChain: Array<{ name: string }>
  /** The credential's own date (issue, completion or conferral), as the fields carry it. */
  issued: string | null
  /** When the partner submitted it to Credport, and when the holder accepted it. */
  submittedAt: Date
  acceptedAt: Date | null
  revokedAt: Date | null
  revokeReason: string | null
  removedAt: Date | null
  documents: SharedDocument[]
}

/** What a share link shows. */
export interface ShareContent {
  linkId: string
  includeDocuments: boolean
  createdAt: Date
  expiresAt: Date
  /** The holder's name as the shown credentials carry it (each spelling once). */
  holderNames: string[]
  credentials: SharedCredential[]
}

const STORED = new Set(['received', 'verified'])

function textField(fields: Record<string, unknown>, key: string): string | null {
  const value = fields[key]
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

function documentOf(asset: AssetRow, includeDocuments: boolean): SharedDocument {
  return {
    assetId: asset.id,
    assetType: asset.assetType,
    state: asset.state,
    rejectReason: asset.rejectReason,
    verification: asset.verification ?? null,
    bytes: asset.bytes,
    sha256: asset.sha256,
    available: includeDocuments && STORED.has(asset.state) && asset.blobKey !== null,
  }
}

function credentialOf(
  row: { item: ItemRow; submission: SubmissionRow; partnerName: string },
  itemAssets: AssetRow[],
  includeDocuments: boolean,
): SharedCredential {
  const { item, submission, partnerName } = row
  const removed = item.removedAt !== null
  const fields = removed ? {} : (item.fields ?? {})
  const def = getCredentialType(item.credentialType)
  return {
    id: item.id,
    status: removed ? 'removed' : item.revokedAt ? 'revoked' : 'valid',
    credentialType: item.credentialType,
    displayTitle: removed ? '' : (item.displayTitle ?? def?.title ?? item.credentialType),
    issuerName: def?.issuerField ? textField(fields, def.issuerField) : null,
    fields,
    partnerName,
    partnerChain: removed ? [] : (item.partnerChain ?? []),
    issued:
      textField(fields, 'issue_date') ?? textField(fields, 'completion_date') ?? textField(fields, 'conferral_year'),
    submittedAt: submission.createdAt,
    acceptedAt: submission.finalizedAt,
    revokedAt: item.revokedAt,
    revokeReason: item.revokeReason,
    removedAt: item.removedAt,
    documents: removed
      ? []
      : itemAssets.filter((a) => a.itemId === item.id).map((a) => documentOf(a, includeDocuments)),
  }
}

/** A name compared loosely: case, composition and runs of white space do not tell two names apart. */
const nameKey = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase()

/** Everything a share link shows, read now. */
export async function loadShareContent(db: Db, link: ShareLinkRow): Promise<ShareContent> {
  const rows = await listSharedItems(db, link.id)
  const itemAssets = await listAssetsOfItems(
    db,
    rows.filter((row) => row.item.removedAt === null).map((row) => row.item.id),
  )
  const credentials = rows.map((row) => credentialOf(row, itemAssets, link.includeDocuments))
  const names = new Map<string, string>()
  for (const credential of credentials) {
    const name = textField(credential.fields, 'full_name')
    if (name && !names.has(nameKey(name))) names.set(nameKey(name), name.trim())
  }
  return {
    linkId: link.id,
    includeDocuments: link.includeDocuments,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    holderNames: [...names.values()],
    credentials,
  }
}
