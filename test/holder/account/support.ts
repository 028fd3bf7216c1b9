import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import yauzl from 'yauzl'
import { holders, shareLinkItems, shareLinks } from '../../../src/db/schema.js'
import type { TestApp } from '../../support/app.js'
import { readFixture } from '../../support/asset-factory.js'
import { storedObjects, uploadDocument } from '../../support/blob-stores.js'
import { makePartnerWithToken } from '../../support/factories.js'
import { parseRedirect, statusPath, v2Path } from '../../support/intake-helpers.js'
import { type Browser, csrfTokenIn, openLink } from '../auth/support.js'

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/** A real PDF (the tiny fixture) with a line of its own appended: bytes no other document has. */
export function uniquePdf(): { bytes: Buffer; marker: string } {
  const marker = `credport-scan-marker-${randomUUID()}`
  return { bytes: Buffer.concat([readFixture('documents/tiny.pdf'), Buffer.from(`%${marker}\n`)]), marker }
}

/** A credential the holder accepted: its personal values, its document, and how the partner asks about it. */
export interface AcceptedCredential {
  partnerRef: string
  token: string
  requestId: string
  values: { fullName: string; course: string; issuer: string }
  pdf: { bytes: Buffer; marker: string }
}

/** A v2 microcredential with personal values of its own and one PDF, submitted by a new partner. */
export async function submitWithPdf(t: TestApp) {
  const { token } = await makePartnerWithToken(t)
  const partnerRef = randomUUID()
  const tag = partnerRef.slice(0, 8)
  const values = { fullName: `Nadia Prasetyo ${tag}`, course: `Data Ethics ${tag}`, issuer: `Issuer ${tag}` }
  const created = await t.request('POST', v2Path('microcredential'), {
    token,
    json: {
      credential_id: partnerRef,
      fields: {
        full_name: values.fullName,
        issuer_name: values.issuer,
        microcredential_name: values.course,
        issue_date: '2024-04-30',
      },
      assets: [{ asset_id: `${partnerRef}-pdf`, asset_type: 'pdf' }],
    },
  })
  assert.equal(created.status, 201, created.text)
  const pdf = uniquePdf()
  await uploadDocument(t, created.body.asset_uploads[0], pdf.bytes)
  const link = parseRedirect(created.body.redirect_uri)
  return { token, partnerRef, values, pdf, link, requestId: link.params.content! }
}

/** Opens a submission's link in `browser` and answers it (accept or decline) through the pages. */
export async function decide(
  browser: Browser,
  link: ReturnType<typeof parseRedirect>,
  decision: 'accept' | 'decline',
): Promise<void> {
  const opened = await openLink(browser, link)
  assert.equal(opened.location, '/holder/review')
  const submission = link.params.content!
  const confirm = await browser.submit('/holder/review', '/holder/review/decision', { submission, decision })
  assert.equal(confirm.status, 200)
  const done = await browser.request('POST', '/holder/review/decision/confirm', {
    form: { _csrf: csrfTokenIn(confirm.text), submission, decision },
  })
  assert.equal(done.location, '/holder/done')
}

/** A submission with a PDF, accepted by the holder of `browser`. */
export async function acceptedCredential(
  t: TestApp,
  browser: Browser,
): Promise<AcceptedCredential & Pick<Awaited<ReturnType<typeof submitWithPdf>>, 'link'>> {
  const submitted = await submitWithPdf(t)
  await decide(browser, submitted.link, 'accept')
  return submitted
}

/** The partner's status API view of a submission (by its own id). */
export async function partnerStatus(t: TestApp, credential: Pick<AcceptedCredential, 'token' | 'partnerRef'>) {
  const response = await t.request('GET', statusPath(credential.partnerRef), { token: credential.token })
  assert.equal(response.status, 200, response.text)
  return response.body as { status: string; items: Array<{ status: string; credential_type: string }> }
}

/** The holder id of an address. */
export async function holderIdOf(t: TestApp, email: string): Promise<string> {
  const rows = await t.deps.db.select().from(holders)
  const row = rows.find((h) => h.email === email)
  assert.ok(row, 'holder exists')
  return row.id
}

/**
 * A share link of the holder showing `itemIds`, written straight into the tables (the sharing
 * feature builds them; this part only reads and deletes them).
 */
export async function insertShareLink(t: TestApp, holderId: string, itemIds: string[], label: string) {
  const id = randomUUID()
  const now = t.clock.now()
  await t.deps.db.insert(shareLinks).values({
    id,
    holderId,
    tokenHash: sha256(Buffer.from(randomUUID())),
    label,
    includeDocuments: true,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 7 * 86_400_000),
    openCount: 3,
    lastOpenedAt: now,
  })
  await t.deps.db
    .insert(shareLinkItems)
    .values(itemIds.map((itemId, position) => ({ shareLinkId: id, itemId, position })))
  return id
}

/** Every entry of a ZIP archive: name → bytes (yauzl, the reading half of the writer's author). */
export function unzip(archive: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(archive, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error)
      const entries = new Map<string, Buffer>()
      zip.on('error', reject)
      zip.on('end', () => resolve(entries))
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError)
          const chunks: Buffer[] = []
          stream.on('data', (chunk: Buffer) => chunks.push(chunk))
          stream.on('error', reject)
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks))
            zip.readEntry()
          })
        })
      })
      zip.readEntry()
    })
  })
}

/** Rows of a raw query, on either driver. */
async function rowsOf<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await t.deps.db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

/**
 * Scans every column of every table of the database (information_schema, so a table added later
 * is scanned too) for each needle: text-like values as text (case-insensitive), `bytea` columns
 * for the needle's bytes. Returns where each needle was found ("table.column: needle").
 */
export async function scanDatabase(t: TestApp, needles: string[]): Promise<string[]> {
  const columns = await rowsOf<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    t,
    sql`select c.table_schema, c.table_name, c.column_name, c.data_type
          from information_schema.columns c
          join information_schema.tables tb
            on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
         where c.table_schema not in ('pg_catalog', 'information_schema')
         order by 1, 2, 3`,
  )
  assert.ok(
    columns.some((c) => c.table_name === 'submission_items' && c.column_name === 'fields'),
    'the scan sees the schema',
  )
  const found: string[] = []
  for (const column of columns) {
    const table = sql`${sql.identifier(column.table_schema)}.${sql.identifier(column.table_name)}`
    const name = sql.identifier(column.column_name)
    for (const needle of needles) {
      const where =
        column.data_type === 'bytea'
          ? sql`position(convert_to(${needle}, 'UTF8') in ${name}) > 0`
          : sql`strpos(lower(${name}::text), lower(${needle})) > 0`
      const [row] = await rowsOf<{ n: number | string }>(t, sql`select count(*) as n from ${table} where ${where}`)
      if (Number(row?.n ?? 0) > 0) found.push(`${column.table_name}.${column.column_name}: ${needle}`)
    }
  }
  return found
}

/** Every object of the blob store (its files, or the bucket's objects) whose bytes contain one of the needles: "key: needle". */
export async function scanBlobStore(t: TestApp, needles: Array<string | Buffer>): Promise<string[]> {
  const found: string[] = []
  for (const { key, bytes } of await storedObjects(t)) {
    for (const needle of needles) if (bytes.includes(needle)) found.push(`${key}: ${needle.toString().slice(0, 40)}`)
  }
  return found
}
