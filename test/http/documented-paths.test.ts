import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { describeEachBackend, type HttpResponse, type RequestOptions, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { TYPES, V1_TYPES, freshBatch, v1BatchOf, v1Body, v2Body } from '../support/intake-helpers.js'

/**
 * Every path the public documentation prints (the partner pages and spec §1–§2, §8) answers, in
 * the form printed there, exactly as the canonical path does: the token endpoint also without
 * `.json` (one public page prints `POST /api/partner/v1/oauth/token`), every v2 add path also
 * without `.json` (the career history page prints it so; spec §2: optional on every v2 path).
 * "Exactly" is checked on the whole answer — status, the headers that describe it, and the body
 * with what differs from one request to the next (ids, tokens, signatures, the path itself)
 * masked — for a success, a client error and a wrong method. Forms the documentation never prints
 * are not answered: Credport adds no undocumented aliases. (The upload URL is a returned link, not
 * a printed path.) The webhook paths of spec §9, a Credport extension, are printed without `.json`
 * and served only so.
 */

interface Context {
  t: TestApp
  client: { client_id: string; client_secret: string }
  token: string
  /** The partner id of an existing v1 submission (for the status paths). */
  submitted: string
}

interface Row {
  method: 'GET' | 'POST'
  /** The path as the documentation prints it. */
  printed: string
  /** Where it is printed. */
  source: string
  /** The path Credport registers first (in the OpenAPI document). */
  canonical: string
  /** The status of the first request: a success. */
  success: number
  /** The requests to send to both paths, each call building a fresh one (new ids). */
  requests: (c: Context) => RequestOptions[]
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const TOKEN = '/api/partner/v1/oauth/token.json'

/** A success, then a body that fails validation, then no token. */
const intake = (body: () => unknown) => (c: Context) => [
  { json: body(), token: c.token },
  { json: {}, token: c.token },
  { json: body() },
]

const ROWS: Row[] = [
  {
    method: 'POST',
    printed: TOKEN,
    source: 'spec §1, §2',
    canonical: TOKEN,
    success: 200,
    requests: tokenRequests,
  },
  {
    method: 'POST',
    printed: '/api/partner/v1/oauth/token',
    source: 'a public documentation page (spec §1)',
    canonical: TOKEN,
    success: 200,
    requests: tokenRequests,
  },
  ...V1_TYPES.map(
    (type): Row => ({
      method: 'POST',
      printed: `/api/partner/v1/add/${type.name}.json`,
      source: 'spec §2; the v1 credential pages',
      canonical: `/api/partner/v1/add/${type.name}.json`,
      success: 201,
      requests: intake(() => v1Body(type.name)),
    }),
  ),
  {
    method: 'POST',
    printed: '/api/partner/v1/add/batch.json',
    source: 'spec §2, §5.2',
    canonical: '/api/partner/v1/add/batch.json',
    success: 201,
    requests: intake(() => v1BatchOf(['education', 'right_to_work'])),
  },
  ...TYPES.flatMap((type): Row[] =>
    [`/api/partner/v2/add/requests/${type.name}.json`, `/api/partner/v2/add/requests/${type.name}`].map((printed) => ({
      method: 'POST',
      printed,
      source:
        type.name === 'career_history' && !printed.endsWith('.json')
          ? 'the v2 career history page'
          : 'spec §2 (".json" optional on every v2 path)',
      canonical: `/api/partner/v2/add/requests/${type.name}.json`,
      success: 201,
      requests: intake(() => v2Body(type.name)),
    })),
  ),
  ...['/api/partner/v2/add/requests/batch.json', '/api/partner/v2/add/requests/batch'].map(
    (printed): Row => ({
      method: 'POST',
      printed,
      source: printed.endsWith('.json')
        ? 'the v2 batch page; spec §2, §5.1'
        : 'spec §2 (".json" optional on every v2 path)',
      canonical: '/api/partner/v2/add/requests/batch.json',
      success: 201,
      requests: intake(() => freshBatch().body),
    }),
  ),
  {
    method: 'GET',
    printed: '/api/partner/v1/submissions/{id}/status.json',
    source: 'spec §2, §8',
    canonical: '/api/partner/v1/submissions/{id}/status.json',
    success: 200,
    requests: (c) => [{ token: c.token }, {}],
  },
  {
    method: 'POST',
    printed: '/api/partner/v1/submissions/status.json',
    source: 'spec §2, §8',
    canonical: '/api/partner/v1/submissions/status.json',
    success: 200,
    requests: (c) => [
      { json: { ids: [c.submitted, randomUUID()] }, token: c.token },
      { json: { ids: [] }, token: c.token },
      { json: { ids: [c.submitted] } },
    ],
  },
  {
    method: 'POST',
    printed: '/api/partner/v2/webhooks',
    source: 'spec §9',
    canonical: '/api/partner/v2/webhooks',
    success: 201,
    requests: (c) => [
      { json: { url: 'https://hooks.example.com/documented' }, token: c.token },
      { json: {}, token: c.token },
      { json: { url: 'https://hooks.example.com/documented' } },
    ],
  },
  {
    method: 'GET',
    printed: '/api/partner/v2/webhooks',
    source: 'spec §9',
    canonical: '/api/partner/v2/webhooks',
    success: 200,
    requests: (c) => [{ token: c.token }, {}],
  },
]

function tokenRequests(c: Context): RequestOptions[] {
  const grant = {
    grant_type: 'client_credentials',
    client_id: c.client.client_id,
    client_secret: c.client.client_secret,
  }
  return [
    { body: new URLSearchParams(grant).toString(), headers: FORM },
    { json: { ...grant, scope: 'write.education' } },
    { body: new URLSearchParams({ ...grant, grant_type: 'password' }).toString(), headers: FORM },
    { body: new URLSearchParams({ ...grant, client_secret: 'wrong' }).toString(), headers: FORM },
  ]
}

/** The parts of an answer that must not depend on which of the paths was asked. */
function comparable(response: HttpResponse, path: string) {
  const headers: Record<string, string | null> = {}
  for (const name of ['content-type', 'cache-control', 'pragma', 'www-authenticate', 'allow']) {
    headers[name] = response.headers.get(name)
  }
  const pathPattern = new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.])`, 'g')
  const body = response.text
    .replace(pathPattern, '<path>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<jwt>')
    .replace(/sig=[\w-]+/g, 'sig=<sig>')
    .replace(/whsec_[A-Za-z0-9+/=]+/g, 'whsec_<secret>')
    .replace(/"request_id":"[^"]*"/g, '"request_id":"<request id>"')
  return { status: response.status, headers, body }
}

describeEachBackend('every documented path answers as printed, like its canonical path', (use) => {
  let context: Context | undefined
  const contextFor = async (t: TestApp): Promise<Context> => {
    if (context) return context
    const { client, token } = await makePartnerWithToken(t)
    const submitted = randomUUID()
    const created = await t.request('POST', '/api/partner/v1/add/education.json', {
      json: v1Body('education', submitted),
      token,
    })
    assert.equal(created.status, 201, created.text)
    context = { t, client, token, submitted }
    return context
  }

  for (const row of ROWS) {
    test(`${row.method} ${row.printed} (${row.source}) answers like ${row.canonical}`, async () => {
      const c = await contextFor(use())
      const concrete = (path: string) => path.replace('{id}', encodeURIComponent(c.submitted))
      const printed = concrete(row.printed)
      const canonical = concrete(row.canonical)
      // Each request is built twice (fresh ids for each path), then sent to either path.
      const requests = row.requests(c)
      const again = row.requests(c)
      for (const [index, options] of requests.entries()) {
        const atCanonical = await c.t.request(row.method, canonical, options)
        const atPrinted = await c.t.request(row.method, printed, again[index])
        if (index === 0) assert.equal(atPrinted.status, row.success, `${printed}: ${atPrinted.text}`)
        assert.deepEqual(
          comparable(atPrinted, printed),
          comparable(atCanonical, canonical),
          `request ${index} at ${printed}`,
        )
      }
      // A wrong method: the same 405, its Allow included.
      const wrong = row.method === 'GET' ? 'POST' : 'GET'
      assert.deepEqual(
        comparable(await c.t.request(wrong, printed), printed),
        comparable(await c.t.request(wrong, canonical), canonical),
        `${wrong} ${printed}`,
      )
    })
  }

  test('the holder link paths the documentation prints (spec §10, /partner/add/{path}) open the landing page', async () => {
    const c = await contextFor(use())
    for (const path of [...TYPES.map((type) => type.redirectPath), 'batch']) {
      const response = await c.t.request('GET', `/partner/add/${path}`)
      assert.equal(response.status, 200, `/partner/add/${path}: ${response.status}`)
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
    }
    assert.equal((await c.t.request('GET', '/partner/add/batch.json')).status, 404)
  })

  test('forms the documentation never prints are not answered (no undocumented aliases)', async () => {
    const c = await contextFor(use())
    const undocumented: Array<[string, string]> = [
      ['POST', '/api/partner/v1/add/education'],
      ['POST', '/api/partner/v1/add/batch'],
      ['POST', '/api/partner/v1/submissions/status'],
      ['GET', `/api/partner/v1/submissions/${c.submitted}/status`],
      ['POST', '/api/partner/v1/oauth/token.js'],
      ['POST', '/api/partner/v1/oauth/tokens'],
      ['GET', '/api/partner/v2/webhooks.json'],
      ['POST', '/api/partner/v2/webhooks.json'],
    ]
    for (const [method, path] of undocumented) {
      const response = await c.t.request(method, path, { json: method === 'GET' ? undefined : {}, token: c.token })
      assert.equal(response.status, 404, `${method} ${path}: ${response.status} ${response.text}`)
    }
  })
})
