import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { it } from 'node:test'
import { eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { partners } from '../../src/db/schema.js'
import { hashSecret } from '../../src/lib/crypto.js'
import type { ClientCredentials } from '../../src/modules/admin/admin.schemas.js'
import { markClientRevoked, replaceClientSecret } from '../../src/modules/oauth/clients.repo.js'
import { FAILED_AUTHENTICATIONS_PER_MINUTE } from '../../src/modules/oauth/oauth.routes.js'
import { describeEachBackend, type HttpResponse, type TestApp } from '../support/app.js'
import { makePartner } from '../support/factories.js'
import { revokeThroughAdmin } from '../support/security-suite.js'

const TOKEN = '/api/partner/v1/oauth/token.json'

/** A token request with the credentials in a JSON body. */
const inBody = (t: TestApp, clientId: string, secret: string) =>
  t.request('POST', TOKEN, { json: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } })

/** A token request with the credentials in HTTP Basic (RFC 6749 §2.3.1) and a form body. */
const byBasic = (t: TestApp, clientId: string, secret: string) =>
  t.request('POST', TOKEN, {
    body: 'grant_type=client_credentials',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
  })

/** Lets every earlier failure of this suite's address age out of the sliding window (which spans two windows). */
const forgetEarlierFailures = (t: TestApp) => t.clock.advance(3 * 60_000)

/** Puts the test address over its limit with failed authentications of an id that does not exist. */
async function limitAddress(t: TestApp): Promise<void> {
  const unknown = `cpc_unknown_${randomUUID()}`
  for (let i = 0; i < FAILED_AUTHENTICATIONS_PER_MINUTE; i++) {
    const response = await inBody(t, unknown, 'wrong')
    // Failures the test made before count too: the limit may come sooner.
    if (response.status === 429) break
    assertInvalidClient(response)
  }
  assertLimited(await inBody(t, unknown, 'wrong'))
}

function assertIssued(response: HttpResponse, client: ClientCredentials): void {
  assert.equal(response.status, 200, response.text)
  assert.equal(decodeJwt(response.body.access_token).sub, client.client_id)
  assert.equal(response.headers.get('cache-control'), 'no-store')
}

function assertInvalidClient(response: HttpResponse): void {
  assert.equal(response.status, 401, response.text)
  assert.equal(response.body.error, 'invalid_client')
  assert.equal(response.body.access_token, undefined)
}

/** The 429 in the OAuth error format of spec §1 (RFC 6749 §5.2), not an RFC 9457 problem. */
function assertLimited(response: HttpResponse): number {
  assert.equal(response.status, 429, response.text)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json(;|$)/)
  assert.deepEqual(Object.keys(response.body).sort(), ['error', 'error_description'])
  assert.equal(response.body.error, 'temporarily_unavailable')
  assert.equal(typeof response.body.error_description, 'string')
  assert.equal(response.headers.get('cache-control'), 'no-store')
  const retryAfter = Number(response.headers.get('retry-after'))
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${response.headers.get('retry-after')}`)
  return retryAfter
}

describeEachBackend('token endpoint: failed authentications are rate limited per address', (use) => {
  it(`after ${FAILED_AUTHENTICATIONS_PER_MINUTE} failures in a minute, a secret never verified here gets a 429 in the OAuth format with Retry-After; fine after the window`, async () => {
    const t = use()
    forgetEarlierFailures(t)
    const client = await makePartner(t)
    for (let i = 0; i < FAILED_AUTHENTICATIONS_PER_MINUTE; i++)
      assertInvalidClient(await inBody(t, client.client_id, 'wrong'))
    // The right secret, but never checked on this instance: it would cost a scrypt hash.
    const limited = await inBody(t, client.client_id, client.client_secret)
    // Every request came at one moment: the first frees a moment after a whole minute.
    assert.equal(assertLimited(limited), 61)
    assert.match(limited.body.error_description, /61 s/)
    t.clock.advance(61_000)
    assertIssued(await inBody(t, client.client_id, client.client_secret), client)
  })

  it('while the address is limited, a client that got a token before still gets one (body or Basic); a client never verified here gets 429 until the window passes', async () => {
    const t = use()
    forgetEarlierFailures(t)
    const good = await makePartner(t)
    const other = await makePartner(t)
    assertIssued(await inBody(t, good.client_id, good.client_secret), good)

    await limitAddress(t)
    assertIssued(await inBody(t, good.client_id, good.client_secret), good)
    assertIssued(await byBasic(t, good.client_id, good.client_secret), good)
    // Known-good means this id with this secret, not this id: a wrong secret is not checked.
    assertLimited(await inBody(t, good.client_id, `${good.client_secret}x`))
    assertLimited(await byBasic(t, good.client_id, 'wrong'))
    // A client whose (right) secret was never verified on this instance: refused, however sent.
    assertLimited(await inBody(t, other.client_id, other.client_secret))
    assertLimited(await byBasic(t, other.client_id, other.client_secret))
    // An id that does not exist gets the same answer.
    assertLimited(await inBody(t, `cpc_unknown_${randomUUID()}`, other.client_secret))
    // Successes add no failures: the good client goes on getting tokens.
    for (let i = 0; i < 3; i++) assertIssued(await inBody(t, good.client_id, good.client_secret), good)

    t.clock.advance(61_000)
    assertIssued(await byBasic(t, other.client_id, other.client_secret), other)
    assertIssued(await inBody(t, good.client_id, good.client_secret), good)
    assertInvalidClient(await inBody(t, other.client_id, 'wrong'))
  })

  it('a known-good client revoked through this instance: 401 invalid_client when not limited, and no token while limited', async () => {
    const t = use()
    forgetEarlierFailures(t)
    const client = await makePartner(t)
    assertIssued(await inBody(t, client.client_id, client.client_secret), client)
    await revokeThroughAdmin(t, client.client_id)
    assertInvalidClient(await inBody(t, client.client_id, client.client_secret))

    await limitAddress(t)
    // Revocation made this instance forget the secret: it is an unknown pair like any other.
    assertLimited(await inBody(t, client.client_id, client.client_secret))
    assertLimited(await byBasic(t, client.client_id, client.client_secret))

    // 31 failures were counted: the sliding window needs a little more than a minute to pass.
    forgetEarlierFailures(t)
    assertInvalidClient(await inBody(t, client.client_id, client.client_secret))
  })

  it('a known-good client revoked, or its partner suspended, through another instance: 401 invalid_client whether or not the address is limited', async () => {
    const t = use()
    forgetEarlierFailures(t)
    const revoked = await makePartner(t)
    const suspended = await makePartner(t)
    for (const client of [revoked, suspended])
      assertIssued(await inBody(t, client.client_id, client.client_secret), client)
    // Changed in the database only, as another instance would: this one's cache is not told.
    await markClientRevoked(t.deps.db, revoked.client_id, t.clock.now())
    await t.deps.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, suspended.partner_id))

    for (const client of [revoked, suspended]) {
      assertInvalidClient(await inBody(t, client.client_id, client.client_secret))
      assertInvalidClient(await byBasic(t, client.client_id, client.client_secret))
    }
    await limitAddress(t)
    for (const client of [revoked, suspended]) {
      assertInvalidClient(await inBody(t, client.client_id, client.client_secret))
      assertInvalidClient(await byBasic(t, client.client_id, client.client_secret))
    }
    forgetEarlierFailures(t)
    for (const client of [revoked, suspended])
      assertInvalidClient(await inBody(t, client.client_id, client.client_secret))

    // Reinstated: the partner's secret, still remembered, works again.
    await t.deps.db.update(partners).set({ status: 'active' }).where(eq(partners.id, suspended.partner_id))
    assertIssued(await inBody(t, suspended.client_id, suspended.client_secret), suspended)
  })

  it('a known-good secret rotated through another instance: refused once with 401, then no longer known-good (429 while limited)', async () => {
    const t = use()
    forgetEarlierFailures(t)
    const client = await makePartner(t)
    assertIssued(await inBody(t, client.client_id, client.client_secret), client)
    const newSecret = `cps_${randomUUID()}`
    await replaceClientSecret(t.deps.db, client.client_id, await hashSecret(newSecret), t.clock.now())

    await limitAddress(t)
    assertInvalidClient(await inBody(t, client.client_id, client.client_secret))
    // Forgotten after that check: no more scrypt hashes for the old secret while limited.
    assert.equal(t.deps.clients.isKnownGood(client.client_id, client.client_secret), false)
    assertLimited(await inBody(t, client.client_id, client.client_secret))
    // The new secret was never verified here.
    assertLimited(await inBody(t, client.client_id, newSecret))

    forgetEarlierFailures(t)
    assertIssued(await inBody(t, client.client_id, newSecret), client)
    assertInvalidClient(await inBody(t, client.client_id, client.client_secret))
  })
})
