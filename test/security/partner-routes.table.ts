import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { holders, submissions, webhookDeliveries } from '../../src/db/schema.js'
import { uploadLogo } from '../../src/modules/admin/partner-logo.js'
import { bindHolder } from '../../src/modules/submissions/index.js'
import { describe, test } from 'node:test'
import { UploadLinkSigner } from '../../src/modules/assets/upload-link.js'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'
import { describeOnBackend, type HttpResponse, type TestApp } from '../support/app.js'
import type { Backend } from '../support/databases.js'
import { assetRow, makeSubmissionWithAssets, readFixture, uploadPath } from '../support/asset-factory.js'
import { makePartner, makePartnerWithToken } from '../support/factories.js'
import {
  freshBatch,
  requestIdOf,
  STATUS_BULK,
  statusPath,
  TYPES,
  V1_BATCH,
  V1_TYPES,
  V2_BATCH,
  v1BatchOf,
  v1Body,
  v1Path,
  v2Body,
  v2Path,
  WRITE_SCOPES,
} from '../support/intake-helpers.js'
import { acceptedBatch, revokePath, withdrawPath } from '../corrections/support.js'
import {
  assertProblem,
  type PartnerRoute,
  partnerRouteSecuritySuite,
  revokeThroughAdmin,
} from '../support/security-suite.js'

/**
 * Every route under /api/ in one table, each with the suite of its guard (spec §1, §6):
 *
 * - `bearer`: partner routes taking an access token — the shared suite of
 *   test/support/security-suite.ts (no, garbage, forged, unsigned, expired, revoked token → 401;
 *   wrong scope → 403; a valid request → its real success status; another partner's resource).
 * - `client-credentials`: the token endpoint, with the OAuth rules (invalid_client…).
 * - `upload-link`: the asset PUT, authorised by its signed link, not by a token.
 * - `admin-token`: the admin API, authorised by the operator's admin token.
 * - `none`: the catch-alls that answer an unknown credential type with a 404 whoever asks.
 *
 * The last test fails when the app registers a route under /api/ that this table does not list
 * (or the table lists one the app lacks): a new partner route must come with its row here.
 */

type Guard = 'bearer' | 'client-credentials' | 'upload-link' | 'admin-token' | 'none'

interface RouteRow {
  method: string
  /** The path as the app registers it (`:name` for a parameter). */
  route: string
  guard: Guard
}

// ------------------------------------------------------------------------------- bearer routes

/** The partner's id of a submission body (v1 `id`, v2 `credential_id`). */
const partnerIdOf = (body: any): string => body.id ?? body.credential_id

/** An add whose body carries ids: another partner sending the same ids gets a submission of its own. */
function sameIdsAreAnotherPartners(path: string): PartnerRoute['foreignResource'] {
  return {
    title: "the same ids sent by another partner make that partner's own submission (no replay, no 409)",
    async check(t, owner, stranger) {
      const body: any = routeBodies.get(path)!()
      const first = await t.request('POST', path, { json: body, token: owner })
      assert.equal(first.status, 201, first.text)
      const second = await t.request('POST', path, { json: body, token: stranger })
      assert.equal(second.status, 201, second.text)
      assert.equal(second.headers.get('idempotent-replayed'), null)
      assert.notEqual(requestIdOf(second.body.redirect_uri), requestIdOf(first.body.redirect_uri))
      const [mine, theirs] = await Promise.all([
        t.request('GET', statusPath(partnerIdOf(body)), { token: owner }),
        t.request('GET', statusPath(partnerIdOf(body)), { token: stranger }),
      ])
      assert.equal(mine.body.request_id, requestIdOf(first.body.redirect_uri))
      assert.equal(theirs.body.request_id, requestIdOf(second.body.redirect_uri))
    },
  }
}

/** A submission of the token's partner (the v2 batch sample); its partner id. */
async function submissionOf(t: TestApp, token: string): Promise<string> {
  const { id, body } = freshBatch()
  const created = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(created.status, 201, created.text)
  return id
}

/** Valid bodies of the adds, by path (a fresh id for each call). */
const routeBodies = new Map<string, () => unknown>()

function add(path: string, json: () => unknown, neededScopes: string[]): PartnerRoute {
  routeBodies.set(path, json)
  return { method: 'POST', path, json, neededScopes, success: 201, foreignResource: sameIdsAreAnotherPartners(path) }
}

const STATUS_ROUTE = '/api/partner/v1/submissions/:id/status.json'

/** Partner routes taking a bearer token: the registered route and the suite's description of it. */
const BEARER_ROUTES: Array<{ route: string; suite: PartnerRoute }> = [
  {
    route: '/api/partner/v1/me.json',
    suite: {
      method: 'GET',
      path: '/api/partner/v1/me.json',
      neededScopes: [...ALL_SCOPES],
      anyOf: true,
      success: 200,
    },
  },
  ...V1_TYPES.map((type) => ({
    route: v1Path(type.name),
    suite: add(v1Path(type.name), () => v1Body(type.name), [type.scope]),
  })),
  {
    route: V1_BATCH,
    suite: add(V1_BATCH, () => v1BatchOf(['education', 'right_to_work']), ['write.education', 'write.right_to_work']),
  },
  ...TYPES.flatMap((type) =>
    [true, false].map((suffix) => ({
      route: v2Path(type.name, suffix),
      suite: add(v2Path(type.name, suffix), () => v2Body(type.name), [type.scope]),
    })),
  ),
  ...[V2_BATCH, V2_BATCH.replace(/\.json$/, '')].map((path) => ({
    route: path,
    // The batch sample holds every credential type: it needs every write scope.
    suite: add(path, () => freshBatch().body, [...WRITE_SCOPES]),
  })),
  {
    route: STATUS_ROUTE,
    suite: {
      method: 'GET',
      path: statusPath('REF-unknown'),
      neededScopes: [...ALL_SCOPES],
      anyOf: true,
      success: 200,
      validRequest: async (t, token) => ({ path: statusPath(await submissionOf(t, token)) }),
      foreignResource: {
        title: "another partner's submission id → 404, as an unknown id",
        async check(t, owner, stranger) {
          const id = await submissionOf(t, owner)
          assert.equal((await t.request('GET', statusPath(id), { token: owner })).status, 200)
          assertProblem(await t.request('GET', statusPath(id), { token: stranger }), 404, 'not_found')
          // The id of a credential inside it too (the status call takes either).
          assertProblem(await t.request('GET', statusPath(`${id}-0`), { token: stranger }), 404, 'not_found')
        },
      },
    },
  },
  {
    route: STATUS_BULK,
    suite: {
      method: 'POST',
      path: STATUS_BULK,
      json: { ids: ['REF-unknown'] },
      neededScopes: [...ALL_SCOPES],
      anyOf: true,
      success: 200,
      validRequest: async (t, token) => ({ json: { ids: [await submissionOf(t, token)] } }),
      foreignResource: {
        title: "another partner's submission id → not_found in the bulk answer",
        async check(t, owner, stranger) {
          const id = await submissionOf(t, owner)
          const mine = await t.request('POST', STATUS_BULK, { json: { ids: [id] }, token: owner })
          assert.equal(mine.body.credentials[0].status, 'incomplete', mine.text)
          const theirs = await t.request('POST', STATUS_BULK, { json: { ids: [id] }, token: stranger })
          assert.equal(theirs.status, 200, theirs.text)
          assert.deepEqual(theirs.body.credentials, [{ id, status: 'not_found', finalized_at: null }])
        },
      },
    },
  },
]

// ------------------------------------------------------------------------------------ webhooks

const WEBHOOKS = '/api/partner/v2/webhooks'
const HOOK_URL = 'https://hooks.example.com/credport'

/** An endpoint of the token's partner; its id. */
async function endpointOf(t: TestApp, token: string): Promise<string> {
  const created = await t.request('POST', WEBHOOKS, { json: { url: HOOK_URL }, token })
  assert.equal(created.status, 201, created.text)
  return created.body.id
}

/** A webhook route on an endpoint: another partner's endpoint id is a 404, and left as it was. */
function webhookRoute(
  method: string,
  suffix: string,
  success: number,
  json?: unknown,
): { route: string; suite: PartnerRoute } {
  const pathOf = (id: string) => `${WEBHOOKS}/${id}${suffix}`
  return {
    route: `${WEBHOOKS}/:id${suffix}`,
    suite: {
      method,
      path: pathOf('00000000-0000-4000-8000-000000000000'),
      json,
      neededScopes: [...ALL_SCOPES],
      anyOf: true,
      success,
      validRequest: async (t, token) => ({ path: pathOf(await endpointOf(t, token)) }),
      foreignResource: {
        title: "another partner's endpoint → 404, as an unknown id",
        async check(t, owner, stranger) {
          const id = await endpointOf(t, owner)
          assertProblem(await t.request(method, pathOf(id), { json, token: stranger }), 404, 'not_found')
          assert.equal((await t.request('GET', `${WEBHOOKS}/${id}`, { token: owner })).body.url, HOOK_URL)
        },
      },
    },
  }
}

const WEBHOOK_ROUTES: Array<{ route: string; suite: PartnerRoute }> = [
  {
    route: WEBHOOKS,
    suite: {
      method: 'POST',
      path: WEBHOOKS,
      json: { url: HOOK_URL },
      neededScopes: [...ALL_SCOPES],
      anyOf: true,
      success: 201,
    },
  },
  {
    route: WEBHOOKS,
    suite: {
      method: 'GET',
      path: WEBHOOKS,
      neededScopes: [...ALL_SCOPES],
      anyOf: true,
      success: 200,
      foreignResource: {
        title: "another partner's endpoints are not listed",
        async check(t, owner, stranger) {
          const id = await endpointOf(t, owner)
          const theirs = await t.request('GET', WEBHOOKS, { token: stranger })
          assert.ok(!theirs.body.some((e: { id: string }) => e.id === id))
        },
      },
    },
  },
  webhookRoute('GET', '', 200),
  webhookRoute('PUT', '', 200, { name: 'renamed' }),
  webhookRoute('DELETE', '', 204),
  webhookRoute('PUT', '/secret', 200),
  webhookRoute('GET', '/deliveries', 200),
  {
    route: `${WEBHOOKS}/:id/deliveries/:deliveryId/retry`,
    suite: {
      method: 'POST',
      path: `${WEBHOOKS}/00000000-0000-4000-8000-000000000000/deliveries/00000000-0000-4000-8000-000000000000/retry`,
      neededScopes: [...ALL_SCOPES],
      anyOf: true,
      success: 202,
      validRequest: async (t, token) => ({ path: await finishedDeliveryOf(t, token) }),
      foreignResource: {
        title: "another partner's delivery → 404, and it is not queued again",
        async check(t, owner, stranger) {
          const path = await finishedDeliveryOf(t, owner)
          assertProblem(await t.request('POST', path, { token: stranger }), 404, 'not_found')
          assert.equal((await t.request('POST', path, { token: owner })).status, 202)
        },
      },
    },
  },
]

// ---------------------------------------------------------------------- the issuer's corrections

const WRITE_ONLY = ALL_SCOPES.filter((scope) => scope.startsWith('write.'))

/** Withdraw and revoke: any write scope to be heard, then those of the credentials concerned (the sample has all). */
const CORRECTION_ROUTES: Array<{ route: string; suite: PartnerRoute }> = [
  {
    route: '/api/partner/v2/add/requests/:id',
    suite: {
      method: 'DELETE',
      path: withdrawPath('REF-unknown'),
      neededScopes: [...WRITE_ONLY],
      anyOf: true,
      success: 200,
      validRequest: async (t, token) => ({ path: withdrawPath(await submissionOf(t, token)) }),
      foreignResource: {
        title: "another partner's submission → 404, and it stays incomplete",
        async check(t, owner, stranger) {
          const id = await submissionOf(t, owner)
          assertProblem(await t.request('DELETE', withdrawPath(id), { token: stranger }), 404, 'not_found')
          assert.equal((await t.request('GET', statusPath(id), { token: owner })).body.status, 'incomplete')
        },
      },
    },
  },
  ...['', '.json'].map((suffix) => ({
    route: `/api/partner/v2/credentials/:credential_id/revoke${suffix}`,
    suite: {
      method: 'POST',
      path: `${revokePath('REF-unknown')}${suffix}`,
      json: { reason: 'Issued in error' },
      neededScopes: [...WRITE_ONLY],
      anyOf: true,
      success: 200,
      validRequest: async (t: TestApp, token: string) => ({
        path: `${revokePath((await acceptedBatch(t, token)).credentialId)}${suffix}`,
      }),
      foreignResource: {
        title: "another partner's credential → 404, and it is not revoked",
        async check(t: TestApp, owner: string, stranger: string) {
          const { id, credentialId } = await acceptedBatch(t, owner)
          const json = { reason: 'Issued in error' }
          assertProblem(await t.request('POST', revokePath(credentialId), { json, token: stranger }), 404, 'not_found')
          const status = await t.request('GET', statusPath(id), { token: owner })
          assert.equal(status.body.items.find((i: { id: string }) => i.id === credentialId).status, 'accepted')
        },
      },
    } satisfies PartnerRoute,
  })),
]

/** The retry path of a finished delivery of a new endpoint of the token's partner. */
async function finishedDeliveryOf(t: TestApp, token: string): Promise<string> {
  const endpointId = await endpointOf(t, token)
  const reference = await submissionOf(t, token)
  const [submission] = await t.deps.db.select().from(submissions).where(eq(submissions.partnerRef, reference))
  const holderId = randomUUID()
  await t.deps.db.insert(holders).values({ id: holderId, email: `${holderId}@example.test` })
  await bindHolder(t.deps, { submissionId: submission!.id, holderId })
  const [delivery] = await t.deps.db
    .update(webhookDeliveries)
    .set({ status: 'failed', nextAttemptAt: null })
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .returning()
  return `${WEBHOOKS}/${endpointId}/deliveries/${delivery!.id}/retry`
}

// ------------------------------------------------------------------------------ the other guards

/** The token endpoint, as the contract names it and as a public page prints it (spec §1). */
const TOKEN_ROUTES = ['/api/partner/v1/oauth/token.json', '/api/partner/v1/oauth/token']
const UPLOAD_ROUTE = '/api/partner/v2/uploads/:assetId'
const UNKNOWN_TYPE_ROUTES = ['/api/partner/v1/add/:id', '/api/partner/v2/add/requests/:id']

interface AdminRoute {
  method: string
  route: string
  success: number
  /** A request of this route on existing resources (made by the call); `raw`: a body of bytes instead of JSON. */
  request: (t: TestApp) => Promise<{ path: string; json?: unknown; raw?: { body: Buffer; contentType: string } }>
  /** The route on a resource that does not exist (routes that address one). */
  missing?: string
  /** The body sent to `missing` (default: `{}` for a POST, none otherwise). */
  missingJson?: unknown
  missingRaw?: { body: Buffer; contentType: string }
}

/** A logo for the admin routes of logos. */
const ADMIN_SUITE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
const svgBody = () => ({ body: Buffer.from(ADMIN_SUITE_SVG), contentType: 'image/svg+xml' })

const ADMIN_ROUTES: AdminRoute[] = [
  {
    method: 'POST',
    route: '/api/admin/signing-keys/rotate',
    success: 200,
    request: async () => ({ path: '/api/admin/signing-keys/rotate' }),
  },
  {
    method: 'POST',
    route: '/api/admin/partners',
    success: 201,
    request: async () => ({
      path: '/api/admin/partners',
      json: { name: 'Admin Suite Uni', display_name: 'Admin Suite University', scopes: ['write.education'] },
    }),
  },
  { method: 'GET', route: '/api/admin/partners', success: 200, request: async () => ({ path: '/api/admin/partners' }) },
  {
    method: 'GET',
    route: '/api/admin/partners/:partnerId',
    success: 200,
    request: async (t) => ({
      path: `/api/admin/partners/${(await makePartner(t)).partner_id}`,
    }),
    missing: '/api/admin/partners/00000000-0000-4000-8000-000000000000',
  },
  {
    method: 'PATCH',
    route: '/api/admin/partners/:partnerId',
    success: 200,
    request: async (t) => ({
      path: `/api/admin/partners/${(await makePartner(t)).partner_id}`,
      json: { display_name: 'Admin Suite University' },
    }),
    missing: '/api/admin/partners/00000000-0000-4000-8000-000000000000',
    missingJson: { display_name: 'Nobody' },
  },
  {
    method: 'PUT',
    route: '/api/admin/partners/:partnerId/logo',
    success: 200,
    request: async (t) => ({ path: `/api/admin/partners/${(await makePartner(t)).partner_id}/logo`, raw: svgBody() }),
    missing: '/api/admin/partners/00000000-0000-4000-8000-000000000000/logo',
    missingRaw: svgBody(),
  },
  {
    method: 'DELETE',
    route: '/api/admin/partners/:partnerId/logo',
    success: 204,
    request: async (t) => {
      const { partner_id } = await makePartner(t)
      await uploadLogo(t.deps, partner_id, 'image/svg+xml', Buffer.from(ADMIN_SUITE_SVG))
      return { path: `/api/admin/partners/${partner_id}/logo` }
    },
    missing: '/api/admin/partners/00000000-0000-4000-8000-000000000000/logo',
  },
  {
    method: 'POST',
    route: '/api/admin/partners/:partnerId/clients',
    success: 201,
    request: async (t) => ({
      path: `/api/admin/partners/${(await makePartner(t)).partner_id}/clients`,
      json: {},
    }),
    missing: '/api/admin/partners/00000000-0000-4000-8000-000000000000/clients',
  },
  {
    method: 'POST',
    route: '/api/admin/clients/:clientId/rotate-secret',
    success: 200,
    request: async (t) => ({
      path: `/api/admin/clients/${(await makePartner(t)).client_id}/rotate-secret`,
    }),
    missing: '/api/admin/clients/cpc_does_not_exist/rotate-secret',
  },
  {
    method: 'POST',
    route: '/api/admin/clients/:clientId/revoke',
    success: 200,
    request: async (t) => ({
      path: `/api/admin/clients/${(await makePartner(t)).client_id}/revoke`,
    }),
    missing: '/api/admin/clients/cpc_does_not_exist/revoke',
  },
]

/** The whole table: every route under /api/ and its guard. */
const TABLE: RouteRow[] = [
  ...[...BEARER_ROUTES, ...WEBHOOK_ROUTES, ...CORRECTION_ROUTES].map(({ route, suite }) => ({
    method: suite.method,
    route,
    guard: 'bearer' as const,
  })),
  ...TOKEN_ROUTES.map((route) => ({ method: 'POST', route, guard: 'client-credentials' as const })),
  { method: 'PUT', route: UPLOAD_ROUTE, guard: 'upload-link' },
  ...ADMIN_ROUTES.map(({ method, route }) => ({ method, route, guard: 'admin-token' as const })),
  ...UNKNOWN_TYPE_ROUTES.map((route) => ({ method: 'POST', route, guard: 'none' as const })),
]

// ------------------------------------------------------------------------------------ the suites

/** An RFC 6749 §5.2 error of the token endpoint. */
function assertOAuthError(response: HttpResponse, status: number, error: string): void {
  assert.equal(response.status, status, response.text)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
  assert.equal(response.body.error, error, response.text)
}

function tokenEndpointSuite(use: () => TestApp, tokenRoute: string): void {
  const post = (json: Record<string, string>, headers: Record<string, string> = {}) =>
    use().request('POST', tokenRoute, { json: { grant_type: 'client_credentials', ...json }, headers })
  const credentials = (c: { client_id: string; client_secret: string }) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
  })

  describe(`security of POST ${tokenRoute} (client credentials, OAuth errors)`, () => {
    test('valid client credentials → 200 with a bearer token that works', async () => {
      const t = use()
      const client = await makePartner(t, { scopes: ['write.education'] })
      const response = await post(credentials(client))
      assert.equal(response.status, 200, response.text)
      assert.equal(response.body.token_type, 'Bearer')
      const me = await t.request('GET', '/api/partner/v1/me.json', { token: response.body.access_token })
      assert.equal(me.status, 200, me.text)
    })

    test('no client credentials → 401 invalid_client', async () => {
      assertOAuthError(await post({}), 401, 'invalid_client')
    })

    test('a wrong secret and an unknown client id → the same 401 invalid_client', async () => {
      const client = await makePartner(use(), { scopes: ['write.education'] })
      const wrong = await post({ ...credentials(client), client_secret: `${client.client_secret}x` })
      const unknown = await post({ client_id: 'cpc_does_not_exist', client_secret: client.client_secret })
      assertOAuthError(wrong, 401, 'invalid_client')
      assertOAuthError(unknown, 401, 'invalid_client')
      assert.equal(wrong.text, unknown.text, 'never reveals whether a client id exists')
    })

    test("another partner's secret for this client id → 401 invalid_client", async () => {
      const [mine, theirs] = [await makePartner(use()), await makePartner(use())]
      assertOAuthError(
        await post({ client_id: mine.client_id, client_secret: theirs.client_secret }),
        401,
        'invalid_client',
      )
    })

    test('a revoked client → 401 invalid_client', async () => {
      const client = await makePartner(use(), { scopes: ['write.education'] })
      await revokeThroughAdmin(use(), client.client_id)
      assertOAuthError(await post(credentials(client)), 401, 'invalid_client')
    })

    test('an access token instead of client credentials → 401 invalid_client', async () => {
      const { token } = await makePartnerWithToken(use())
      assertOAuthError(await post({}, { authorization: `Bearer ${token}` }), 401, 'invalid_client')
    })

    test('a scope the client does not hold → 400 invalid_scope', async () => {
      const client = await makePartner(use(), { scopes: ['write.education'] })
      assertOAuthError(await post({ ...credentials(client), scope: 'write.universal' }), 400, 'invalid_scope')
    })
  })
}

function uploadLinkSuite(use: () => TestApp): void {
  const PDF = readFixture('documents/tiny.pdf')
  const put = (url: string, headers: Record<string, string> = {}) =>
    use().request('PUT', url, { body: PDF, headers: { 'content-type': 'application/pdf', ...headers } })
  /** A PDF asset awaiting its upload, and its signed link. */
  const awaiting = async () => {
    const t = use()
    const { assets } = await makeSubmissionWithAssets(t, { assets: [{ assetType: 'pdf' }] })
    return { asset: assets[0]!, url: await uploadPath(t, assets[0]!) }
  }
  /** Asserts a 403 and that the asset still awaits its upload. */
  const refused = async (response: HttpResponse, assetId: string) => {
    assertProblem(response, 403, 'forbidden')
    assert.doesNotMatch(response.body.instance, /sig=/, 'the problem never echoes the signature')
    assert.equal((await assetRow(use(), assetId)).state, 'awaiting_upload')
  }

  describe(`security of PUT ${UPLOAD_ROUTE} (signed upload link, no bearer token)`, () => {
    test('the signed link → 201', async () => {
      const { asset, url } = await awaiting()
      const response = await put(url)
      assert.equal(response.status, 201, response.text)
      assert.equal((await assetRow(use(), asset.id)).state, 'received')
    })

    test('no signature (no query at all, or no sig) → 403', async () => {
      const { asset, url } = await awaiting()
      await refused(await put(url.split('?')[0]!), asset.id)
      await refused(await put(url.replace(/&sig=[^&]*/, '')), asset.id)
    })

    test('a partner access token instead of a signature → 403', async () => {
      const { asset, url } = await awaiting()
      const { token } = await makePartnerWithToken(use())
      await refused(await put(url.split('?')[0]!, { authorization: `Bearer ${token}` }), asset.id)
    })

    test('an expired link → 403 saying it expired', async () => {
      const t = use()
      const { asset, url } = await awaiting()
      const start = t.clock.now()
      try {
        t.clock.advance(t.config.uploadLinkTtlSeconds * 1000 + 1000)
        const response = await put(url)
        await refused(response, asset.id)
        assert.match(response.body.detail, /expired/)
      } finally {
        t.clock.set(start)
      }
    })

    test('a link signed with another key → 403', async () => {
      const t = use()
      const { asset } = await awaiting()
      const forger = new UploadLinkSigner({
        secret: 'not the server secret, but long enough for a key',
        clock: t.clock,
        publicUrl: t.config.publicUrl,
        ttlSeconds: t.config.uploadLinkTtlSeconds,
        maxBytes: t.config.uploadMaxBytes,
      })
      const forged = new URL((await forger.issue(asset)).url)
      await refused(await put(`${forged.pathname}${forged.search}`), asset.id)
    })

    test("another asset's signature (of another partner's submission) → 403", async () => {
      const mine = await awaiting()
      const theirs = await awaiting()
      const borrowed = `${mine.url.split('?')[0]}?${theirs.url.split('?')[1]}`
      await refused(await put(borrowed), mine.asset.id)
      assert.equal((await assetRow(use(), theirs.asset.id)).state, 'awaiting_upload')
    })
  })
}

function adminTokenSuite(use: () => TestApp, route: AdminRoute): void {
  /**
   * The refused requests share one valid request (a refusal changes nothing, so its partner can
   * serve them all: a partner costs a scrypt hash); the admin token's request is a new one.
   */
  let refusedRequest: ReturnType<AdminRoute['request']> | undefined
  const send = async (headers: Record<string, string>, method = route.method) => {
    const admitted = headers.authorization === `Bearer ${use().deps.adminToken}`
    const { path, json, raw } = await (admitted ? route.request(use()) : (refusedRequest ??= route.request(use())))
    if (raw)
      return use().request(method, path, { body: raw.body, headers: { 'content-type': raw.contentType, ...headers } })
    return use().request(method, path, { json: method === 'HEAD' ? undefined : json, headers })
  }
  const bearer = (token: string) => send({ authorization: `Bearer ${token}` })
  const assertRefused = (response: HttpResponse) => {
    assertProblem(response, 401, 'unauthorized')
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="credport-admin"')
  }

  describe(`security of ${route.method} ${route.route} (admin token)`, () => {
    test(`the admin token → ${route.success}`, async () => {
      const response = await bearer(use().deps.adminToken)
      assert.equal(response.status, route.success, response.text)
    })

    test('no Authorization header → 401', async () => {
      assertRefused(await send({}))
    })

    test('a wrong admin token (another, a prefix, the token with more) → 401', async () => {
      const admin = use().deps.adminToken
      for (const token of ['not-the-admin-token', admin.slice(0, -1), `${admin}x`]) assertRefused(await bearer(token))
    })

    test('the admin token over HTTP Basic → 401', async () => {
      const basic = Buffer.from(`admin:${use().deps.adminToken}`).toString('base64')
      assertRefused(await send({ authorization: `Basic ${basic}` }))
    })

    test('a partner access token holding every scope → 401', async () => {
      assertRefused(await bearer((await makePartnerWithToken(use())).token))
    })

    if (route.method === 'GET') {
      test('HEAD without the admin token → 401', async () => {
        const response = await send({}, 'HEAD')
        assert.equal(response.status, 401)
        assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="credport-admin"')
      })
    }

    const missing = route.missing
    if (missing) {
      test('an unknown resource → 404 with the admin token, 401 without it', async () => {
        const t = use()
        const json = route.missingJson ?? (route.method === 'POST' ? {} : undefined)
        const raw = route.missingRaw
        const body = raw ? { body: raw.body, headers: { 'content-type': raw.contentType } } : { json }
        assertProblem(await t.request(route.method, missing, { ...body, token: t.deps.adminToken }), 404, 'not_found')
        assertRefused(await t.request(route.method, missing, body))
      })
    }
  })
}

function unknownTypeSuite(use: () => TestApp): void {
  describe('POST of an unknown credential type (no endpoint: 404 whoever asks, nothing stored)', () => {
    const paths = [
      '/api/partner/v1/add/diploma.json',
      '/api/partner/v1/add/universal_credential.json',
      '/api/partner/v1/add/education',
      '/api/partner/v2/add/requests/diploma',
      '/api/partner/v2/add/requests/diploma.json',
    ]
    for (const path of paths) {
      test(`${path} → 404 with or without a token`, async () => {
        const t = use()
        const { token } = await makePartnerWithToken(t)
        for (const response of [
          await t.request('POST', path, { json: v2Body('education') }),
          await t.request('POST', path, { json: v2Body('education'), token }),
        ]) {
          assertProblem(response, 404, 'not_found')
          assert.equal(response.headers.get('www-authenticate'), null)
        }
      })
    }
  })
}

// --------------------------------------------------------------------------- the registered routes

/**
 * Every method and path the app registers, from `printRoutes` (find-my-way's tree: one node a
 * line, four columns of indentation a level, a child's path continuing its parent's).
 */
function registeredRoutes(t: TestApp): Array<{ method: string; route: string }> {
  const found: Array<{ method: string; route: string }> = []
  const stack: string[] = []
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    stack.length = depth
    const path = (stack[depth - 1] ?? '') + match[2]!
    stack.push(path)
    for (const method of match[3]?.split(', ') ?? []) found.push({ method, route: path })
  }
  return found
}

const key = (row: { method: string; route: string }) => `${row.method} ${row.route}`

/**
 * The table's suites on one backend. The table runs on each: partner-routes.pglite.test.ts and
 * partner-routes.postgres.test.ts, two files so that the two halves (about a minute each) run at
 * the same time.
 */
export function securityOfEveryRoute(backend: Backend): void {
  describeOnBackend(
    backend,
    'security of every route under /api/ (one table)',
    (use) => {
      for (const { suite } of [...BEARER_ROUTES, ...WEBHOOK_ROUTES, ...CORRECTION_ROUTES])
        partnerRouteSecuritySuite(use, suite)
      for (const route of TOKEN_ROUTES) tokenEndpointSuite(use, route)
      uploadLinkSuite(use)
      for (const route of ADMIN_ROUTES) adminTokenSuite(use, route)
      unknownTypeSuite(use)

      test('the table lists every route the app registers under /api/, and no other', () => {
        const registered = registeredRoutes(use())
        assert.ok(
          registered.some((r) => key(r) === 'GET /healthz'),
          'the route listing is parsed',
        )
        // HEAD is served wherever GET is, with the same guard: the GET row (and its suite) covers it.
        const api = registered.filter((r) => r.route.startsWith('/api/') && r.method !== 'HEAD').map(key)
        const listed = TABLE.map(key)
        assert.deepEqual(
          api.filter((r) => !listed.includes(r)),
          [],
          'routes without a row in test/security/partner-routes.table.ts: add each with its guard and a valid request',
        )
        assert.deepEqual(
          listed.filter((r) => !api.includes(r)),
          [],
          'rows for routes the app does not register',
        )
        assert.deepEqual(
          registered.filter(
            (r) => r.method === 'HEAD' && r.route.startsWith('/api/') && !api.includes(`GET ${r.route}`),
          ),
          [],
          'a HEAD route without its GET',
        )
        assert.equal(new Set(listed).size, listed.length, 'each route is listed once')
      })
    },
    {},
    // Every answer above (each route's success and its errors) is checked against /openapi.json.
    { contract: true },
  )
}
