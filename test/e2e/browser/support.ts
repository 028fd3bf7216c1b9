import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { after, afterEach, before } from 'node:test'
import type { AxeResults } from 'axe-core'
import type { Browser, Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../../support/app.js'
import type { Backend } from '../../support/databases.js'
import { DOCUMENT_FIXTURES, readFixture } from '../../support/asset-factory.js'
import { uploadDocument } from '../../support/blob-stores.js'
import { startS3Server, type TestS3 } from '../../support/s3-server.js'
import { Holder, launchChromium } from '../../support/browser.js'
import type { ClientCredentials } from '../../../src/modules/admin/admin.schemas.js'
import { type MakePartnerOptions, makePartner, tokenFor } from '../../support/factories.js'
import { example, freshBatch, statusPath, v1Path, v2Path, V2_BATCH } from '../../support/intake-helpers.js'

/** The partner side of the browser tests: a partner of its own per test, submitting through the real API. */
export interface Partner {
  client: ClientCredentials
  /** A token issued now (tests move the clock past the lifetime of earlier ones). */
  token(): Promise<string>
}

export async function newPartner(t: TestApp, options?: MakePartnerOptions): Promise<Partner> {
  const client = await makePartner(t, options)
  return { client, token: () => tokenFor(t, client) }
}

/** A unique holder address for one test. */
export const uniqueEmail = (label: string) => `${label}.${randomUUID().slice(0, 8)}@example.com`

export interface Submitted {
  /** The partner's id (v1 `id`, v2 `credential_id`), for the status API. */
  id: string
  redirectUri: string
  uploads: Array<{ asset_id: string; url: string; content_type: string }>
}

async function submit(t: TestApp, partner: Partner, url: string, body: unknown, id: string): Promise<Submitted> {
  const response = await t.request('POST', url, { json: body, token: await partner.token() })
  assert.equal(response.status, 201, response.text)
  return { id, redirectUri: response.body.redirect_uri, uploads: response.body.asset_uploads ?? [] }
}

/** A v1 single add (the public document-less microcredential sample), with `credential` fields overridden. */
export function submitV1(t: TestApp, partner: Partner, credential: Record<string, unknown> = {}): Promise<Submitted> {
  const body = example('v1-microcredential-none.json')
  body.id = randomUUID()
  Object.assign(body.data.credential, credential)
  return submit(t, partner, v1Path('microcredential'), body, body.id)
}

/** A v2 single microcredential add with one PDF asset to upload. */
export function submitV2WithPdf(t: TestApp, partner: Partner): Promise<Submitted> {
  const id = randomUUID()
  const body = {
    credential_id: id,
    fields: {
      full_name: 'Kim Keyboard',
      issuer_name: 'Skills Co',
      microcredential_name: 'Accessible Web Essentials',
      issue_date: '2024-04-30',
    },
    assets: [{ asset_id: `${id}-asset`, asset_type: 'pdf' }],
  }
  return submit(t, partner, v2Path('microcredential'), body, id)
}

/** The public v2 batch sample (fresh ids). */
export function submitBatchSample(t: TestApp, partner: Partner): Promise<Submitted> {
  const { id, body } = freshBatch()
  return submit(t, partner, V2_BATCH, body, id)
}

/** PUTs a real fixture document (raw bytes, its content type) to the upload link of the asset whose id ends with `assetSuffix`. */
export async function upload(
  t: TestApp,
  submitted: Submitted,
  assetSuffix: string,
  kind: keyof typeof DOCUMENT_FIXTURES,
): Promise<void> {
  const link = submitted.uploads.find((u) => u.asset_id.endsWith(assetSuffix))
  assert.ok(link, `no upload link for …${assetSuffix}`)
  // Through Credport, or with BLOB_STORE=s3 straight to the bucket and then taken by the completion job.
  await uploadDocument(t, link, readFixture(DOCUMENT_FIXTURES[kind]))
}

/** The partner status API's view of a submission. */
export async function statusOf(
  t: TestApp,
  partner: Partner,
  id: string,
): Promise<{ status: string; opened_at: string | null; finalized_at: string | null }> {
  const response = await t.request('GET', statusPath(id), { token: await partner.token() })
  assert.equal(response.status, 200, response.text)
  return response.body
}

/**
 * One app on PGlite and one Chromium for a `describe`, holders closed after each test, and a
 * fresh hourly sign-in window per test (every holder signs in from 127.0.0.1, and the per-IP
 * code limit is 20 an hour). `blobStore: 's3'`: the app keeps its documents in an s3rver bucket
 * of the suite's own (BLOB_STORE=s3).
 */
export function browserSuite(options: { blobStore?: 'fs' | 's3'; backend?: Backend } = {}): {
  app: () => TestApp
  browser: () => Browser
  holder: (label: string, options?: Omit<Parameters<typeof Holder.create>[2], 'email'>) => Promise<Holder>
} {
  let t: TestApp | undefined
  let browser: Browser | undefined
  let s3: TestS3 | undefined
  const open: Holder[] = []
  before(async () => {
    if (options.blobStore === 's3') s3 = await startS3Server()
    ;[t, browser] = await Promise.all([startTestApp(options.backend ?? 'pglite', s3?.env), launchChromium()])
  })
  after(async () => {
    await browser?.close()
    await t?.close()
    await s3?.close()
  })
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()))
    t?.clock.advance(61 * 60 * 1000)
  })
  const app = () => t ?? assert.fail('app not started')
  return {
    app,
    browser: () => browser ?? assert.fail('browser not started'),
    async holder(label, options = {}) {
      const holder = await Holder.create(browser ?? assert.fail('browser not started'), app(), {
        email: uniqueEmail(label),
        ...options,
      })
      open.push(holder)
      return holder
    },
  }
}

/** Fails with the page's CSP violations and script errors, if any. */
export function assertCleanPage(holder: Holder): void {
  assert.deepEqual(holder.watch.cspViolations, [], `CSP violations for ${holder.email}`)
  assert.deepEqual(holder.watch.pageErrors, [], `script errors for ${holder.email}`)
}

/** axe-core's browser build, read once. */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** One axe violation, as a failing test prints it. */
export interface AxeFinding {
  rule: string
  impact: string | null | undefined
  help: string
  targets: string[]
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A/AA rules and best practices) on the page as it is now, and fails
 * on every serious or critical violation. axe's source goes in through `page.evaluate`, which
 * runs in the page's main world through the DevTools protocol: the page's own strict CSP (scripts
 * only by nonce) is not loosened, no `bypassCSP` context is needed, and the page's CSP watch
 * stays meaningful (an injected `<script>` tag would be blocked by it).
 */
export async function assertAccessible(page: Page, label: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  )
  const findings = results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
  }))
  const serious = findings.filter((finding) => finding.impact === 'serious' || finding.impact === 'critical')
  assert.deepEqual(serious, [], `${label} (${page.url()}): serious or critical axe violations`)
  return findings
}
