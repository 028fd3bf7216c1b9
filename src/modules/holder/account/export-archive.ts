import type { Readable } from 'node:stream'
import type { Deps } from '../../../deps.js'
import { listAssetsOf, listItemsOf, listSubmissionsOfHolder, type AssetRow } from '../../submissions/index.js'
import { credentialView } from '../flow/view-models.js'
import { findHolderAccount, listShareLinksOfHolder } from './account.repo.js'
import { EXPORT_README } from './export-readme.js'

/**
 * The archive's name for the browser (`credport-export-2026-12-07.zip`), dated where the holder
 * is: in their time zone when their browser told it, else in UTC.
 */
export function exportFileName(now: Date, timeZone = 'UTC'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  )
  return `credport-export-${parts.year}-${parts.month}-${parts.day}.zip`
}

const EXTENSIONS: Record<AssetRow['assetType'], string> = { pdf: 'pdf', png: 'png', jpg: 'jpg', open_cert: 'opencert' }
const iso = (date: Date | null | undefined) => date?.toISOString() ?? null

/** One document to put in the archive: where, and which blob. */
interface ArchivedDocument {
  path: string
  blobKey: string
}

/** What the export holds: the JSON (built from the database), and the documents to stream into it. */
export interface ExportContent {
  json: Record<string, unknown>
  documents: ArchivedDocument[]
}

/**
 * Reads everything Credport keeps about a holder: their account, every credential in their wallet
 * (with its documents), each decision they made on a submission, their share links.
 */
export async function readExportContent(deps: Deps, holderId: string): Promise<ExportContent | null> {
  const account = await findHolderAccount(deps.db, holderId)
  if (!account) return null
  const bound = await listSubmissionsOfHolder(deps.db, holderId)
  const ids = bound.map((b) => b.submission.id)
  const [items, assets, links] = await Promise.all([
    ids.length ? listItemsOf(deps.db, ids) : [],
    ids.length ? listAssetsOf(deps.db, ids) : [],
    listShareLinksOfHolder(deps.db, holderId),
  ])
  const documents: ArchivedDocument[] = []
  const credentials = bound.flatMap(({ submission, partnerName }) => {
    if (submission.status !== 'verified') return []
    return items
      .filter((item) => item.submissionId === submission.id && item.decision === 'accepted' && !item.removedAt)
      .map((item) => {
        const view = credentialView(item, assets, true)
        return {
          id: item.id,
          credential_type: view.credentialType,
          title: view.displayTitle,
          issuer_name: view.issuerName,
          submitted_by: partnerName,
          partner_chain: view.partnerChain,
          request_id: submission.id,
          received_at: iso(submission.createdAt),
          accepted_at: iso(submission.finalizedAt),
          revoked: item.revokedAt ? { revoked_at: iso(item.revokedAt), reason: item.revokeReason } : null,
          fields: view.fields,
          documents: assets
            .filter((asset) => asset.itemId === item.id)
            .map((asset) => {
              const file = asset.blobKey ? `documents/${item.id}/${asset.id}.${EXTENSIONS[asset.assetType]}` : null
              if (file && asset.blobKey) documents.push({ path: file, blobKey: asset.blobKey })
              return {
                id: asset.id,
                type: asset.assetType,
                state: asset.state,
                file,
                bytes: asset.bytes,
                sha256: asset.sha256,
                received_at: iso(asset.receivedAt),
                verification: asset.verification ?? null,
              }
            }),
        }
      })
  })
  // A consent is a decision the holder made: accepted, or declined (not what expired or was withdrawn).
  const consents = bound
    .filter(({ submission }) => submission.status === 'verified' || submission.cancelReason === 'declined')
    .map(({ submission, partnerName }) => ({
      request_id: submission.id,
      submitted_by: partnerName,
      received_at: iso(submission.createdAt),
      opened_at: iso(submission.openedAt),
      decided_at: iso(submission.finalizedAt),
      items: items
        .filter((item) => item.submissionId === submission.id)
        .map((item) => ({
          id: item.id,
          credential_type: item.credentialType,
          decision: item.decision,
          removed_at: iso(item.removedAt),
        })),
    }))
  const shareLinks = links.map((link) => ({
    id: link.id,
    label: link.label,
    created_at: iso(link.createdAt),
    expires_at: iso(link.expiresAt),
    revoked_at: iso(link.revokedAt),
    include_documents: link.includeDocuments,
    open_count: link.openCount,
    last_opened_at: iso(link.lastOpenedAt),
    item_ids: link.itemIds,
  }))
  const json = {
    format: 'credport-export',
    version: 1,
    exported_at: iso(deps.clock.now()),
    account: {
      email: account.email,
      created_at: iso(account.createdAt),
      last_signed_in_at: iso(account.lastSignedInAt),
    },
    credentials,
    consents,
    share_links: shareLinks,
  }
  return { json, documents }
}

/**
 * The archive as a stream, built as it is read: the README and the JSON (small, in memory), then
 * each document streamed from the blob store only when the archive reaches it (one open at a time),
 * stored as is (PDF and images are compressed already). Never the whole archive in memory. A
 * document that cannot be read fails the stream: the download breaks rather than lie.
 */
export async function exportArchive(deps: Pick<Deps, 'blobs' | 'clock'>, content: ExportContent): Promise<Readable> {
  // Loaded on the first export: most processes never make one.
  const { ZipFile } = await import('yazl')
  const zip = new ZipFile()
  const mtime = deps.clock.now()
  zip.addBuffer(Buffer.from(EXPORT_README, 'utf8'), 'README.txt', { mtime })
  zip.addBuffer(Buffer.from(`${JSON.stringify(content.json, null, 2)}\n`, 'utf8'), 'credport-export.json', { mtime })
  for (const document of content.documents) {
    zip.addReadStreamLazy(document.path, { mtime, compress: false }, (done) => {
      deps.blobs.get(document.blobKey).then(
        (stream) => (stream ? done(null, stream) : done(new Error('document no longer stored'), null as never)),
        (error: unknown) => done(error, null as never),
      )
    })
  }
  zip.end()
  const output = zip.outputStream as Readable
  zip.on('error', (error: Error) => output.destroy(error))
  return output
}
