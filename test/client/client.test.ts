import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import {
  createClient,
  CredportAuthError,
  CredportProblemError,
  CredportTimeoutError,
  CredportValidationError,
  type ClientOptions,
  type V2BatchPayload,
} from '../../src/client/index.js'
import { holders, submissions } from '../../src/db/schema.js'
import { bindHolder } from '../../src/modules/submissions/index.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { DOCUMENT_FIXTURES, readFixture } from '../support/asset-factory.js'
import { makePartner } from '../support/factories.js'
import { freshBatch, TYPES } from '../support/intake-helpers.js'

/**
 * The SDK (src/client/) against the real server on a real port: tokens, the sample v2 batch with
 * its uploads, status, waiting, and the typed errors. The server's links name its PUBLIC_URL
 * (http://credport.test, as behind a proxy); the client's fetch sends those to the real port.
 */

interface Recorder {
  options: ClientOptions
  /** The paths of every request made, in order. */
  paths: string[]
}

async function clientOf(t: TestApp, extra: Partial<ClientOptions> = {}): Promise<Recorder> {
  const credentials = await makePartner(t)
  const paths: string[] = []
  const real = new URL(t.baseUrl)
  const options: ClientOptions = {
    baseUrl: t.baseUrl,
    clientId: credentials.client_id,
    clientSecret: credentials.client_secret,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      if (url.host === 'credport.test') {
        url.protocol = real.protocol
        url.host = real.host
      }
      paths.push(url.pathname)
      return fetch(url, init)
    },
    ...extra,
  }
  return { options, paths }
}

const TOKEN_PATH = '/api/partner/v1/oauth/token.json'
const tokenRequests = (r: Recorder) => r.paths.filter((p) => p === TOKEN_PATH).length

describeEachBackend('client SDK against the server', (use) => {
  test('token → sample v2 batch → every upload (with progress) → status shows every document received', async () => {
    const t = use()
    const recorder = await clientOf(t)
    const client = createClient(recorder.options)
    const { id, body } = freshBatch()
    const batch: V2BatchPayload = body
    const created = await client.submitBatch(batch)
    assert.match(created.redirect_uri, /^http:\/\/credport\.test\/partner\/add\/batch#clientId=cpc_/)
    assert.equal(created.asset_uploads.length, 4)

    const types = new Map<string, string>()
    for (const section of Object.values(body)) {
      for (const item of Array.isArray(section) ? section : [section]) {
        for (const asset of (item as any)?.assets ?? []) types.set(asset.asset_id, asset.asset_type)
      }
    }
    for (const upload of created.asset_uploads) {
      const kind = types.get(upload.asset_id) as keyof typeof DOCUMENT_FIXTURES
      const bytes = readFixture(DOCUMENT_FIXTURES[kind])
      const progress: number[] = []
      await client.uploadAsset(upload, new Uint8Array(bytes), { onProgress: (sent) => progress.push(sent) })
      assert.equal(progress.at(-1), bytes.length, 'progress ends at the document size')
    }

    const status = await client.status(id)
    assert.equal(status.status, 'incomplete')
    const states = status.items.flatMap((item) => item.assets.map((a) => [a.asset_id, a.state]))
    assert.equal(states.length, 4)
    for (const [assetId, state] of states) assert.equal(state, 'received', `${assetId} received`)
    assert.equal(tokenRequests(recorder), 1, 'one token for the whole flow')
  })

  test('concurrent callers share one token request; a token is reused until shortly before it expires', async () => {
    const t = use()
    const recorder = await clientOf(t)
    const client = createClient(recorder.options)
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()]
    const answers = await Promise.all(ids.map((id) => client.statusMany([id])))
    assert.deepEqual(
      answers.map((a) => a[0]?.status),
      ids.map(() => 'not_found'),
    )
    assert.equal(tokenRequests(recorder), 1)
    const token = await client.token()
    assert.ok(token.expiresAt.getTime() > Date.now() + 60 * 60_000, 'the default lifetime is 2 hours')
    assert.ok(token.scopes.includes('write.education'))

    // A lifetime shorter than twice the margin: renewed half-way.
    const short = createClient({ ...recorder.options, refreshMarginMs: 10 * 60 * 60_000 })
    await short.statusMany([ids[0]!])
    await short.statusMany([ids[0]!])
    assert.equal(tokenRequests(recorder), 2, 'a margin above half the lifetime is capped at half: still cached')
  })

  test('a request answered 401 because the token expired is retried once with a new token', async () => {
    const t = use()
    const recorder = await clientOf(t)
    const client = createClient(recorder.options)
    await client.statusMany(['x'])
    t.clock.advance(3 * 60 * 60_000) // the server's clock: the cached token is now expired there
    const answer = await client.statusMany(['x'])
    assert.equal(answer[0]?.status, 'not_found')
    assert.equal(tokenRequests(recorder), 2)
    assert.deepEqual(recorder.paths.slice(-3), [
      '/api/partner/v1/submissions/status.json',
      TOKEN_PATH,
      '/api/partner/v1/submissions/status.json',
    ])
  })

  test('statusMany asks 30 ids per request, answers in the order asked', async () => {
    const t = use()
    const recorder = await clientOf(t)
    const client = createClient(recorder.options)
    const { id, body } = freshBatch()
    await client.submitBatch(body)
    const ids = Array.from({ length: 65 }, (_, i) => (i === 40 ? id : `missing-${i}`))
    const answers = await client.statusMany(ids)
    assert.deepEqual(
      answers.map((a) => a.id),
      ids,
    )
    assert.equal(answers[40]?.status, 'incomplete')
    assert.equal(recorder.paths.filter((p) => p === '/api/partner/v1/submissions/status.json').length, 3)
  })

  test('submit on v1 and v2; an invalid body is a CredportValidationError with every pointer', async () => {
    const t = use()
    const client = createClient((await clientOf(t)).options)
    const education = TYPES.find((type) => type.name === 'education')!
    const v2 = await client.submit('education', { credential_id: randomUUID(), fields: education.fields() as any })
    assert.match(v2.redirect_uri, /\/partner\/add\/education#clientId=/)
    assert.deepEqual(v2.asset_uploads, [])
    const v1 = await client.submit(
      'education',
      {
        id: randomUUID(),
        credential_type: 'education',
        document_type: 'none',
        data: { credential: education.fields() as any },
      },
      { version: 1 },
    )
    assert.match(v1.redirect_uri, /documentType=none/)

    const error = await client.submit('education', { credential_id: ' ', fields: { full_name: 'A' } } as any).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    )
    assert.ok(error instanceof CredportValidationError)
    assert.ok(error instanceof CredportProblemError)
    assert.equal(error.status, 400)
    assert.equal(error.type, '/problems/validation')
    const pointers = error.errors.map((e) => e.pointer).sort()
    assert.deepEqual(pointers, [
      '/credential_id',
      '/fields/conferral_year',
      '/fields/course_name',
      '/fields/education_provider',
    ])

    const missing = await client.status('no-such-id').catch((e: unknown) => e)
    assert.ok(missing instanceof CredportProblemError)
    assert.equal(missing.status, 404)
  })

  test('waitFor: opened once a holder opens the link; a timeout otherwise', async () => {
    const t = use()
    const client = createClient((await clientOf(t)).options)
    const { id, body } = freshBatch()
    await client.submitBatch(body)
    const late = await client.waitFor(id, { until: 'opened', timeoutMs: 150, intervalMs: 50 }).catch((e: unknown) => e)
    assert.ok(late instanceof CredportTimeoutError)
    assert.equal((late.lastStatus as any).status, 'incomplete')

    const waiting = client.waitFor(id, { until: 'opened', timeoutMs: 10_000, intervalMs: 50 })
    const [row] = await t.deps.db.select().from(submissions).where(eq(submissions.partnerRef, id))
    const holderId = randomUUID()
    await t.deps.db.insert(holders).values({ id: holderId, email: `${holderId}@example.test` })
    await bindHolder(t.deps, { submissionId: row!.id, holderId })
    const opened = await waiting
    assert.ok(opened.opened_at)
    assert.equal(opened.status, 'incomplete')
  })

  test('wrong client credentials: CredportAuthError in the OAuth format', async () => {
    const t = use()
    const recorder = await clientOf(t)
    const client = createClient({ ...recorder.options, clientSecret: 'cps_wrong' })
    const error = await client.status('x').catch((e: unknown) => e)
    assert.ok(error instanceof CredportAuthError)
    assert.equal(error.status, 401)
    assert.equal(error.error, 'invalid_client')
  })

  test('webhooks: create (secret once), list and get (never the secret), update, rotate, deliveries, delete; another partner sees 404', async () => {
    const t = use()
    const client = createClient((await clientOf(t)).options)
    const created = await client.webhooks.create({
      url: 'https://hooks.example.com/credport',
      name: 'Admissions',
      event_types: ['submission.verified'],
    })
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/)
    assert.equal(created.enabled, true)
    assert.deepEqual(created.event_types, ['submission.verified'])

    const listed = await client.webhooks.list()
    assert.deepEqual(
      listed.map((e) => e.id),
      [created.id],
    )
    assert.equal('secret' in listed[0]!, false)
    const got = await client.webhooks.get(created.id)
    assert.equal(got.name, 'Admissions')
    assert.equal('secret' in got, false)

    const updated = await client.webhooks.update(created.id, { name: 'Admissions office', event_types: null })
    assert.equal(updated.name, 'Admissions office')
    assert.equal(updated.event_types, null)
    const rotated = await client.webhooks.rotateSecret(created.id)
    assert.match(rotated.secret, /^whsec_/)
    assert.notEqual(rotated.secret, created.secret)

    assert.deepEqual(await client.webhooks.deliveries(created.id, { limit: 10 }), { deliveries: [], next_offset: null })
    const retry = await client.webhooks.retry(created.id, randomUUID()).catch((e: unknown) => e)
    assert.ok(retry instanceof CredportProblemError)
    assert.equal(retry.status, 404)

    const other = createClient((await clientOf(t)).options)
    const foreign = await other.webhooks.get(created.id).catch((e: unknown) => e)
    assert.ok(foreign instanceof CredportProblemError)
    assert.equal(foreign.status, 404)
    assert.equal(foreign.type, '/problems/not_found')

    assert.equal(await client.webhooks.delete(created.id), undefined)
    const gone = await client.webhooks.get(created.id).catch((e: unknown) => e)
    assert.ok(gone instanceof CredportProblemError)
    assert.equal(gone.status, 404)
    assert.deepEqual(await client.webhooks.list(), [])
  })
})
