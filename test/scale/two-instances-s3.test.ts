import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { eq, sql } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { assets, submissions } from '../../src/db/schema.js'
import type { ClientCredentials } from '../../src/modules/admin/admin.schemas.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { pdfHeadedBuffer, readFixture } from '../support/asset-factory.js'
import { browserSkipReason, Holder, launchChromium } from '../support/browser.js'
import { makePartner } from '../support/factories.js'
import { freshBatch, statusPath, V2_BATCH } from '../support/intake-helpers.js'
import { startS3Server, type TestS3 } from '../support/s3-server.js'
import { freePort, startServerProcess, type ServerProcess, callServer } from '../support/server-process.js'

/**
 * Issue 18 §4, the deployment it is for: two Credport server processes (`node bin/server.js`,
 * each with its own data folder and its own jobs) on one PostgreSQL database and one S3 bucket
 * (s3rver, in this test's process). A batch submitted to A is uploaded straight to the bucket with
 * the presigned URLs A returned, seen `received` through B's status API, reviewed and accepted by
 * a holder in Chromium on A. Another batch, with a 15 MiB document, is uploaded while both
 * processes' reads are counted (/proc/<pid>/io `rchar`: every byte a process read from any file
 * or socket), then expired by B's expiry job, and its objects are gone from the bucket.
 *
 * The shared limits of these two processes (the rate limit across both, a revoked client refused
 * by the other within 1 s) are test/scale/two-instances-limits.test.ts, whose processes run on
 * an s3rver bucket too.
 */

const SECRET_KEY = 'two instances share this webhook secret key (32+ chars)'
const MiB = 1024 * 1024
const PNG = readFixture('documents/pixel.png')
const PDF = readFixture('documents/tiny.pdf')

interface Upload {
  asset_id: string
  url: string
  content_type: string
}

const call = callServer

async function tokenFrom(server: ServerProcess, client: ClientCredentials): Promise<string> {
  const response = await call(server, 'POST', '/api/partner/v1/oauth/token.json', {
    json: { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret },
  })
  assert.equal(response.status, 200, response.text)
  return response.body.access_token
}

/** The partner's `curl -X PUT --data-binary @file -H 'content-type: …' "$url"`: straight to the bucket. */
async function putDirect(upload: Upload, bytes: Buffer): Promise<void> {
  const response = await fetch(upload.url, {
    method: 'PUT',
    headers: { 'content-type': upload.content_type },
    body: new Uint8Array(bytes),
  })
  assert.equal(response.status, 200, await response.text())
}

const bytesFor = (upload: Upload) => (upload.content_type === 'image/png' ? PNG : PDF)

/** Bytes the process has read so far, from files and sockets alike (`rchar` of /proc/<pid>/io). */
function bytesRead(server: ServerProcess): number {
  const io = fs.readFileSync(`/proc/${server.child.pid}/io`, 'utf8')
  return Number(/^rchar: (\d+)$/m.exec(io)![1])
}

interface Status {
  status: string
  items: Array<{ assets: Array<{ asset_id: string; state: string; bytes: number | null }> }>
}

/** Polls `server`'s status API every 100 ms until `done` holds (fails after `timeoutMs`); the answer and how long it took. */
async function statusUntil(
  server: ServerProcess,
  token: string,
  id: string,
  done: (status: Status) => boolean,
  timeoutMs = 20_000,
): Promise<{ status: Status; ms: number }> {
  const started = performance.now()
  for (;;) {
    const response = await call(server, 'GET', statusPath(id), { token })
    assert.equal(response.status, 200, response.text)
    if (done(response.body)) return { status: response.body, ms: performance.now() - started }
    assert.ok(performance.now() - started < timeoutMs, `status after ${timeoutMs} ms: ${response.text}`)
    await sleep(100)
  }
}

const assetStates = (status: Status) => status.items.flatMap((item) => item.assets.map((a) => a.state))

describe('two server processes on one PostgreSQL and one S3 bucket [postgres]', {
  skip: process.env.TEST_DATABASE_URL
    ? undefined
    : 'needs the test PostgreSQL (npm test starts one): two processes share one database',
}, () => {
  let t: TestApp
  let s3: TestS3
  let bucket: S3Client
  let a: ServerProcess
  let b: ServerProcess
  let browser: Browser | undefined
  let bEnv: Record<string, string>
  const dataDirs: string[] = []
  let aDataDir = ''

  /** The v2 sample with fresh ids, submitted to A: its id, its upload links and its redirect link. */
  async function submitToA(token: string): Promise<{ id: string; uploads: Upload[]; redirectUri: string }> {
    const { id, body } = freshBatch()
    const created = await call(a, 'POST', V2_BATCH, { token, json: body })
    assert.equal(created.status, 201, created.text)
    return { id, uploads: created.body.asset_uploads, redirectUri: created.body.redirect_uri }
  }

  /** Every key in the bucket (under S3_PREFIX). */
  async function bucketKeys(): Promise<string[]> {
    const keys: string[] = []
    let token: string | undefined
    do {
      const page = await bucket.send(
        new ListObjectsV2Command({ Bucket: s3.settings.bucket, Prefix: s3.settings.prefix, ContinuationToken: token }),
      )
      for (const object of page.Contents ?? []) keys.push(object.Key!.slice(s3.settings.prefix.length))
      token = page.NextContinuationToken
    } while (token)
    return keys
  }

  /** The bucket's keys that belong to a submission: its received documents and its awaited uploads. */
  async function keysOf(requestId: string): Promise<string[]> {
    const ids = (await t.deps.db.select({ id: assets.id }).from(assets).where(eq(assets.submissionId, requestId))).map(
      (row) => row.id,
    )
    assert.ok(ids.length > 0)
    return (await bucketKeys()).filter(
      (key) => key.startsWith(`submissions/${requestId}/`) || ids.some((id) => key === `uploads/${id}`),
    )
  }

  before(async () => {
    ;[t, s3, browser] = await Promise.all([
      startTestApp('postgres', { WEBHOOK_SECRET_KEY: SECRET_KEY }),
      startS3Server(),
      browserSkipReason() ? undefined : launchChromium(),
    ])
    bucket = new S3Client({
      endpoint: s3.settings.endpoint,
      region: s3.settings.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.settings.accessKeyId!, secretAccessKey: s3.settings.secretAccessKey! },
    })
    const databaseUrl = (t.deps.database as { url?: string }).url
    assert.ok(databaseUrl)
    // Behind one proxy both answer for one public address; here the holder talks to A directly.
    const [aPort, bPort] = [await freePort(), await freePort()]
    const env = (name: string, port: number) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `credport-s3-${name}-`))
      dataDirs.push(dataDir)
      return {
        ...s3.env,
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${aPort}`,
        WEBHOOK_SECRET_KEY: SECRET_KEY,
      }
    }
    const aEnv = env('a', aPort)
    aDataDir = aEnv.DATA_DIR
    bEnv = env('b', bPort)
    ;[a, b] = await Promise.all([startServerProcess(aEnv), startServerProcess(bEnv)])
  })
  after(async () => {
    await Promise.all([a?.stop(), b?.stop(), browser?.close()])
    bucket?.destroy()
    await s3?.close()
    await t?.close()
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
  })

  test('a batch submitted to A, uploaded straight to the bucket, is seen received through B, then accepted by a holder on A in Chromium', {
    skip: browserSkipReason(),
  }, async () => {
    const partner = await makePartner(t)
    const tokenA = await tokenFrom(a, partner)
    const tokenB = await tokenFrom(b, partner)
    const { id, uploads, redirectUri } = await submitToA(tokenA)
    assert.equal(uploads.length, 4)
    for (const upload of uploads) {
      assert.equal(new URL(upload.url).origin, s3.endpoint, 'a presigned URL of the bucket, not of Credport')
      await putDirect(upload, bytesFor(upload))
    }

    const seen = await statusUntil(b, tokenB, id, (s) => assetStates(s).every((state) => state === 'received'))
    process.stdout.write(
      `# B's status API showed all 4 documents received ${Math.round(seen.ms)} ms after the last PUT\n`,
    )
    const sizes = seen.status.items.flatMap((item) => item.assets.map((asset) => asset.bytes)).sort()
    assert.deepEqual(sizes, uploads.map((upload) => bytesFor(upload).length).sort())

    const holder = await Holder.create(
      browser!,
      { baseUrl: a.url, config: { dataDir: aDataDir } },
      { email: `two-instances.${id.slice(0, 8)}@example.com` },
    )
    try {
      await holder.openLink(redirectUri)
      await holder.signIn()
      assert.equal(new URL(holder.page.url()).pathname, '/holder/review')
      // The review shows each document with its own link; one is streamed from the bucket by A.
      const link = await holder.page.locator('a[href^="/holder/documents/"]').first().getAttribute('href')
      assert.ok(link, 'the review links the documents')
      const document = await holder.fetch(link)
      assert.equal(document.status(), 200)
      const body = await document.body()
      assert.ok(
        uploads.some((upload) => bytesFor(upload).equals(body)),
        'the document the holder sees is the one uploaded to the bucket',
      )
      await holder.decide('accept')
      assert.match(await holder.page.locator('main h1').innerText(), /Added to your wallet/)
      assert.deepEqual(holder.watch.pageErrors, [])
    } finally {
      await holder.close()
    }
    const verified = await statusUntil(b, tokenB, id, (s) => s.status === 'verified', 5_000)
    assert.equal(verified.status.status, 'verified')
  })

  test('a 15 MiB document goes to the bucket, not through Credport: the two processes read far less than 15 MiB during its upload', async () => {
    const partner = await makePartner(t)
    const token = await tokenFrom(a, partner)
    const { id, uploads } = await submitToA(token)
    const big = uploads.find((upload) => upload.content_type === 'application/pdf')!
    const document = await pdfHeadedBuffer(15 * MiB)

    const before = [bytesRead(a), bytesRead(b)]
    const started = performance.now()
    await putDirect(big, document)
    const ms = performance.now() - started
    const read = [bytesRead(a) - before[0]!, bytesRead(b) - before[1]!]
    process.stdout.write(
      `# 15 MiB PUT through the presigned URL in ${Math.round(ms)} ms; meanwhile A read ${read[0]} bytes, B read ${read[1]} bytes (rchar)\n`,
    )
    // What they read meanwhile is their jobs' and pools' own traffic (a few kB), not the document.
    for (const bytes of read) assert.ok(bytes < MiB, `a Credport process read ${bytes} bytes during the upload`)

    // Then the completion job (of either) reads it once from the bucket, to hash and record it.
    const seen = await statusUntil(b, token, id, (s) =>
      s.items.some((item) =>
        item.assets.some((asset) => asset.asset_id === big.asset_id && asset.state === 'received'),
      ),
    )
    const recorded = seen.status.items.flatMap((item) => item.assets).find((asset) => asset.asset_id === big.asset_id)
    assert.equal(recorded?.bytes, document.length)
    // The measure sees such reads: that one (a GET from the bucket) shows in rchar.
    const since = [bytesRead(a) - before[0]!, bytesRead(b) - before[1]!]
    const completion = since[0]! + since[1]!
    process.stdout.write(
      `# then the completion job's read of it from the bucket: since the PUT began A read ${since[0]} bytes, B ${since[1]}\n`,
    )
    assert.ok(completion >= document.length, `rchar grew by ${completion} bytes only`)
  })

  test("a submission expired by B's job loses its objects in the bucket (A paused meanwhile, so it is B's)", async () => {
    const partner = await makePartner(t)
    const token = await tokenFrom(a, partner)
    const { id, uploads } = await submitToA(token)
    // Three arrive and are recorded; the fourth arrives only after the job's last look.
    for (const upload of uploads.slice(0, 3)) await putDirect(upload, bytesFor(upload))
    await statusUntil(b, token, id, (s) => assetStates(s).filter((state) => state === 'received').length === 3)
    const [row] = await t.deps.db.select().from(submissions).where(eq(submissions.partnerRef, id))
    assert.ok(row)
    const requestId = row.id

    // A stops running (SIGSTOP) and B is stopped, so that what follows is B's doing, with nothing
    // recorded before. SUBMISSION_TTL (48 h) passes at once: the expiry is moved to the past in the
    // database, as the clock would. The fourth document arrives meanwhile, unseen.
    assert.ok(a.child.kill('SIGSTOP'))
    try {
      await b.stop()
      await putDirect(uploads[3]!, bytesFor(uploads[3]!))
      const stored = await keysOf(requestId)
      assert.equal(stored.filter((key) => key.startsWith('submissions/')).length, 3, stored.join(', '))
      assert.equal(stored.filter((key) => key.startsWith('uploads/')).length, 1, stored.join(', '))
      await t.deps.db
        .update(submissions)
        .set({ expiresAt: sql`now() - interval '1 second'` })
        .where(eq(submissions.id, requestId))
      // The expiry job runs once at start, then every minute: B starts again (as in a rolling upgrade).
      b = await startServerProcess(bEnv)
      const expired = await statusUntil(b, token, id, (s) => s.status === 'canceled', 10_000)
      assert.equal(expired.status.status, 'canceled')
      // The job marks the submission, then purges its data and documents.
      for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
        const [purged] = await t.deps.db.select().from(submissions).where(eq(submissions.id, requestId))
        if (purged?.dataDeletedAt) break
        assert.ok(Date.now() < deadline, 'purged by B')
      }
      // (Its log line comes after the pass's commit.)
      for (const deadline = Date.now() + 5_000; !/"msg":"submissions expired"/.test(b.stdout()); await sleep(50))
        assert.ok(Date.now() < deadline, "B's expiry job logged the expiry")
      // The late upload is swept by B's completion job (every 2 s).
      for (const deadline = Date.now() + 10_000; ; await sleep(200)) {
        const left = await keysOf(requestId)
        if (left.length === 0) break
        assert.ok(Date.now() < deadline, `objects left in the bucket: ${left.join(', ')}`)
      }
    } finally {
      a.child.kill('SIGCONT')
    }
    // A carries on as before.
    assert.equal((await call(a, 'GET', statusPath(id), { token })).body.status, 'canceled')
  })
})
