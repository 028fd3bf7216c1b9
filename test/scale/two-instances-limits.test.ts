import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { ClientCredentials } from '../../src/modules/admin/admin.schemas.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { FAILED_AUTHENTICATIONS_PER_MINUTE } from '../../src/modules/oauth/oauth.routes.js'
import { makePartner } from '../support/factories.js'
import { startS3Server, type TestS3 } from '../support/s3-server.js'
import { startServerProcess, type ServerProcess, callServer } from '../support/server-process.js'

/**
 * Two real server processes on one PostgreSQL hold the limits together: a client's request rate
 * counts on both (the N+1st request in the minute is refused by whichever instance gets it), and a
 * client revoked or rotated through the admin API of one is refused by the other within a second.
 * Both keep their documents in one S3 bucket (s3rver), as such a deployment does
 * (test/scale/two-instances-s3.test.ts has the documents' side of it).
 */

const LIMIT = 12
const ADMIN_TOKEN = 'two-instances-share-this-admin-token-of-32-chars-or-more'
const SECRET_KEY = 'two instances share this webhook secret key (32+ chars)'
const ME = '/api/partner/v1/me.json'
const TOKEN = '/api/partner/v1/oauth/token.json'

const call = callServer

const tokenRequest = (server: ServerProcess, client: { client_id: string; client_secret: string }) =>
  call(server, 'POST', TOKEN, {
    json: { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret },
  })

async function tokenFrom(server: ServerProcess, client: ClientCredentials): Promise<string> {
  const response = await tokenRequest(server, client)
  assert.equal(response.status, 200, response.text)
  return response.body.access_token
}

/** Calls `probe` every 20 ms until it returns true; the milliseconds that took (fails after `limitMs` × 3). */
async function msUntil(probe: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await probe()) return performance.now() - started
    assert.ok(performance.now() - started < 3 * limitMs, `still not refused after ${3 * limitMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('two server processes on one PostgreSQL share the limits [postgres]', {
  skip: process.env.TEST_DATABASE_URL ? undefined : 'needs the test PostgreSQL (npm test starts one)',
}, () => {
  let t: TestApp
  let s3: TestS3
  let a: ServerProcess
  let b: ServerProcess
  const dataDirs: string[] = []
  before(async () => {
    ;[t, s3] = await Promise.all([startTestApp('postgres', { WEBHOOK_SECRET_KEY: SECRET_KEY }), startS3Server()])
    const databaseUrl = (t.deps.database as { url?: string }).url
    assert.ok(databaseUrl)
    const env = (name: string) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `credport-${name}-`))
      dataDirs.push(dataDir)
      return {
        ...s3.env,
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        WEBHOOK_SECRET_KEY: SECRET_KEY,
        ADMIN_TOKEN,
        PARTNER_RATE_LIMIT: String(LIMIT),
      }
    }
    ;[a, b] = await Promise.all([startServerProcess(env('a')), startServerProcess(env('b'))])
  })
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await s3?.close()
    await t?.close()
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
  })

  test(`PARTNER_RATE_LIMIT=${LIMIT}: ${LIMIT} requests spread over both pass, the next is refused by either (429 problem, Retry-After)`, async () => {
    const token = await tokenFrom(a, await makePartner(t))
    const other = await tokenFrom(b, await makePartner(t))
    for (let i = 0; i < LIMIT; i++) {
      const response = await call(i % 2 ? a : b, 'GET', ME, { token })
      assert.equal(response.status, 200, `request ${i + 1}: ${response.text}`)
    }
    for (const server of [a, b, a]) {
      const refused = await call(server, 'GET', ME, { token })
      assert.equal(refused.status, 429, refused.text)
      assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/)
      assert.equal(refused.body.type, '/problems/rate_limited')
      assert.equal(refused.body.limit_per_minute, LIMIT)
      const retryAfter = Number(refused.headers.get('retry-after'))
      // All came within a few seconds: the first frees about a minute after it was counted.
      assert.ok(retryAfter > 50 && retryAfter <= 61, `Retry-After ${retryAfter}`)
    }
    // Another client of either instance is not held back.
    assert.equal((await call(a, 'GET', ME, { token: other })).status, 200)
    assert.equal((await call(b, 'GET', ME, { token: other })).status, 200)
  })

  test('a client revoked through instance A is refused by instance B within 1 s (its token and its secret)', async () => {
    const client = await makePartner(t)
    const token = await tokenFrom(a, client)
    // B has just checked this client: it knows it as active, and verified its secret.
    assert.equal((await call(b, 'GET', ME, { token })).status, 200)
    assert.equal((await tokenRequest(b, client)).status, 200)

    const revoke = await call(a, 'POST', `/api/admin/clients/${client.client_id}/revoke`, { token: ADMIN_TOKEN })
    assert.equal(revoke.status, 200, revoke.text)
    // 200 as long as B trusts what it knew; 429 once this poll went over the rate limit (still trusted).
    const ms = await msUntil(async () => (await call(b, 'GET', ME, { token })).status === 401, 1_000)
    assert.ok(ms < 1_000, `B refused the revoked client's token after ${Math.round(ms)} ms`)
    const secret = await tokenRequest(b, client)
    assert.equal(secret.status, 401, secret.text)
    assert.equal(secret.body.error, 'invalid_client')
    process.stdout.write(`# revoked through A: B refused its token after ${Math.round(ms)} ms\n`)
  })

  test('a secret rotated through instance A stops working on instance B within 1 s; the new one works there', async () => {
    const client = await makePartner(t)
    assert.equal((await tokenRequest(b, client)).status, 200)
    const rotate = await call(a, 'POST', `/api/admin/clients/${client.client_id}/rotate-secret`, { token: ADMIN_TOKEN })
    assert.equal(rotate.status, 200, rotate.text)
    const ms = await msUntil(async () => (await tokenRequest(b, client)).status === 401, 1_000)
    assert.ok(ms < 1_000, `B refused the old secret after ${Math.round(ms)} ms`)
    assert.equal((await tokenRequest(b, rotate.body)).status, 200)
  })

  test(`the token endpoint's failure limit (${FAILED_AUTHENTICATIONS_PER_MINUTE} a minute per address) counts failures on both instances`, async () => {
    const unknown = { client_id: 'cpc_does_not_exist', client_secret: 'wrong' }
    let failed = 0
    for (;;) {
      const response = await tokenRequest(failed % 2 ? a : b, unknown)
      if (response.status === 429) break
      assert.equal(response.status, 401, response.text)
      failed++
      assert.ok(failed <= FAILED_AUTHENTICATIONS_PER_MINUTE, 'more failures let through than the limit')
    }
    // The tests before made a few failures from this address too: the limit may come a little sooner.
    assert.ok(failed > FAILED_AUTHENTICATIONS_PER_MINUTE - 5, `limited after ${failed} failures`)
    for (const server of [a, b]) {
      const limited = await tokenRequest(server, unknown)
      assert.equal(limited.status, 429, limited.text)
      assert.equal(limited.body.error, 'temporarily_unavailable')
      assert.ok(Number(limited.headers.get('retry-after')) > 0)
    }
  })
})
