import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { assets, submissionItems, submissions, type AssetState } from '../../src/db/schema.js'
import type { AssetType } from '../../src/modules/credential-types/types.js'
import type { AssetRow } from '../../src/modules/assets/assets.repo.js'
import { readFixture } from '../fixtures/fixtures.js'
import type { HttpResponse, TestApp } from './app.js'
import { makePartner } from './factories.js'

export { pdfHeadedBuffer, pdfHeadedStream, readFixture } from '../fixtures/fixtures.js'

/** A real small document of each uploadable picture / PDF type. */
export const DOCUMENT_FIXTURES = {
  pdf: 'documents/tiny.pdf',
  png: 'documents/pixel.png',
  jpg: 'documents/pixel.jpg',
} as const

/** PUTs a fixture document to an upload link as an intake answer returned it: raw bytes, with the link's content type. */
export function uploadThroughLink(
  t: TestApp,
  link: { url: string; content_type: string },
  kind: keyof typeof DOCUMENT_FIXTURES,
): Promise<HttpResponse> {
  const url = new URL(link.url)
  return t.request('PUT', `${url.pathname}${url.search}`, {
    body: readFixture(DOCUMENT_FIXTURES[kind]),
    headers: { 'content-type': link.content_type },
  })
}

export interface AssetSpec {
  assetType: AssetType
  source?: 'upload' | 'url' | 'inline'
  state?: AssetState
  sourceUrl?: string
  partnerAssetId?: string
}

export interface SubmissionWithAssets {
  partnerId: string
  submissionId: string
  itemId: string
  assets: AssetRow[]
}

/**
 * Inserts a partner, an incomplete submission with one item, and its assets, directly with
 * drizzle (independent of the intake endpoints). Upload assets default to `awaiting_upload`,
 * URL assets to `awaiting_fetch` due now.
 */
export async function makeSubmissionWithAssets(
  t: TestApp,
  options: {
    assets: AssetSpec[]
    documentHosts?: string[]
    status?: 'incomplete' | 'verified' | 'canceled'
    expiresAt?: Date
    partnerId?: string
  },
): Promise<SubmissionWithAssets> {
  const now = t.clock.now()
  const partnerId = options.partnerId ?? (await makePartner(t, { documentHosts: options.documentHosts })).partner_id
  const submissionId = randomUUID()
  const itemId = randomUUID()
  await t.deps.db.insert(submissions).values({
    id: submissionId,
    partnerId,
    clientId: 'cpc_factory',
    partnerRef: `REF-${submissionId}`,
    envelope: 'v2',
    redirectPath: 'microcredential',
    bodyHash: 'factory',
    status: options.status ?? 'incomplete',
    createdAt: now,
    expiresAt: options.expiresAt ?? new Date(now.getTime() + 48 * 3600_000),
  })
  await t.deps.db.insert(submissionItems).values({
    id: itemId,
    submissionId,
    partnerId,
    position: 0,
    partnerItemId: `ITEM-${itemId}`,
    credentialType: 'microcredential',
    fields: { full_name: 'Test Holder' },
  })
  const rows = options.assets.length
    ? await t.deps.db
        .insert(assets)
        .values(
          options.assets.map((spec, i) => {
            const source = spec.source ?? 'upload'
            return {
              id: randomUUID(),
              submissionId,
              itemId,
              partnerAssetId: spec.partnerAssetId ?? `asset-${i + 1}`,
              assetType: spec.assetType,
              source,
              sourceUrl: spec.sourceUrl ?? null,
              state: spec.state ?? (source === 'url' ? 'awaiting_fetch' : 'awaiting_upload'),
              fetchAfter: source === 'url' ? now : null,
            }
          }),
        )
        .returning()
    : []
  return { partnerId, submissionId, itemId, assets: rows }
}

/** The current row of an asset. */
export async function assetRow(t: TestApp, assetId: string): Promise<AssetRow> {
  const [row] = await t.deps.db.select().from(assets).where(eq(assets.id, assetId))
  if (!row) throw new Error(`no asset ${assetId}`)
  return row
}

/** A fresh signed upload link for an asset, as a path + query relative to the server. */
export async function uploadPath(
  t: TestApp,
  asset: Pick<AssetRow, 'id' | 'partnerAssetId' | 'assetType'>,
): Promise<string> {
  const link = await t.deps.uploads.issue(asset)
  const url = new URL(link.url)
  return `${url.pathname}${url.search}`
}

/** Every blob key under `submissions/{submissionId}/` in a filesystem blob store. */
export function storedBlobKeys(t: TestApp, submissionId: string): string[] {
  const folder = path.join(t.config.dataDir, 'blobs', 'submissions', submissionId)
  return fs.existsSync(folder) ? fs.readdirSync(folder).map((name) => `submissions/${submissionId}/${name}`) : []
}
