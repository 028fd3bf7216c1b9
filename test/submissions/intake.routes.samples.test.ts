import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { sql } from 'drizzle-orm'
import { OpenCertVerifier } from '../../src/modules/assets/opencerts-verifier.js'
import { type DOCUMENT_FIXTURES, uploadThroughLink } from '../support/asset-factory.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'
import {
  BATCH_SAMPLE_ID,
  EXAMPLES_DIR,
  STATUS_BULK,
  TYPES,
  V1_BATCH,
  V2_BATCH,
  assertRedirect,
  example,
  freshBatch,
  replaceId,
  requestIdOf,
  statusPath,
  v1BatchOf,
  v1Body,
  v1Path,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/**
 * Every public request sample (test/fixtures/samples, whose README lists the endpoints) is accepted
 * at its endpoint with the documented response shape (spec §2, §5.1, §8, §10). Several samples
 * share one id, so each is sent with a fresh one.
 */

const V1_SAMPLES = [
  { file: 'v1-microcredential-none.json', type: 'microcredential', path: 'microcredential', documentType: 'none' },
  {
    file: 'v1-microcredential-open-cert.json',
    type: 'microcredential',
    path: 'microcredential',
    documentType: 'open_cert',
  },
  {
    file: 'v1-microcredential-partner-chain.json',
    type: 'microcredential',
    path: 'microcredential',
    documentType: 'pdf',
  },
  { file: 'v1-microcredential-pdf.json', type: 'microcredential', path: 'microcredential', documentType: 'pdf' },
  { file: 'v1-education-open-cert.json', type: 'education', path: 'education', documentType: 'open_cert' },
  { file: 'v1-right-to-work.json', type: 'right_to_work', path: 'rightToWork', documentType: 'none' },
] as const

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  open_cert: 'application/json',
}

/** A v1 sample with a fresh id. */
function freshV1(file: string): { id: string; body: any } {
  const sample = example(file)
  const id = `${sample.id.slice(0, 8)}-${randomUUID()}`
  return { id, body: { ...sample, id } }
}

describeEachBackend('samples of the spec are accepted', (use) => {
  const partner = (t: TestApp) => makePartnerWithToken(t)

  for (const sample of V1_SAMPLES) {
    test(`${sample.file} → 201 at ${v1Path(sample.type)} with exactly {redirect_uri}`, async () => {
      const t = use()
      const { client, token } = await partner(t)
      const { body } = freshV1(sample.file)
      const response = await t.request('POST', v1Path(sample.type), { json: body, token })
      assert.equal(response.status, 201, response.text)
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
      assert.deepEqual(Object.keys(response.body), ['redirect_uri'])
      assertRedirect(response.body.redirect_uri, {
        path: sample.path,
        clientId: client.client_id,
        documentType: sample.documentType,
      })
    })
  }

  test('the v1 samples that share one id are each accepted with a fresh id, each a new request id', async () => {
    const t = use()
    const { token } = await partner(t)
    const contents = new Set<string>()
    for (const sample of V1_SAMPLES) {
      const response = await t.request('POST', v1Path(sample.type), { json: freshV1(sample.file).body, token })
      assert.equal(response.status, 201, response.text)
      contents.add(requestIdOf(response.body.redirect_uri))
    }
    assert.equal(contents.size, V1_SAMPLES.length)
  })

  test('v2-batch.json → 201 with the holder link and the four asset uploads of v2-batch.response.json, in order', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const { id, body } = freshBatch()
    const response = await t.request('POST', V2_BATCH, { json: body, token })
    assert.equal(response.status, 201, response.text)
    assert.deepEqual(Object.keys(response.body).sort(), ['asset_uploads', 'redirect_uri'])
    assertRedirect(response.body.redirect_uri, { path: 'batch', clientId: client.client_id })

    const documented = replaceId(example('v2-batch.response.json'), BATCH_SAMPLE_ID, id)
    const uploads = response.body.asset_uploads as any[]
    assert.deepEqual(
      uploads.map((u) => u.asset_id),
      documented.asset_uploads.map((u: any) => u.asset_id),
    )
    const sections = [...body.education_items, ...body.microcredential_items, ...body.universal_credential_items]
    const declared = new Map<string, string>(
      sections.flatMap((item: any) => (item.assets ?? []).map((a: any) => [a.asset_id, a.asset_type])),
    )
    const now = t.clock.now().getTime()
    for (const upload of uploads) {
      const url = new URL(upload.url)
      assert.equal(url.origin, 'http://credport.test', upload.url)
      assert.ok(url.pathname.startsWith('/api/partner/v2/uploads/'), upload.url)
      assert.equal(upload.content_type, CONTENT_TYPES[declared.get(upload.asset_id)!], upload.asset_id)
      assert.ok(Number.isInteger(upload.max_bytes) && upload.max_bytes > 0, String(upload.max_bytes))
      assert.ok(Date.parse(upload.expires_at) > now, upload.expires_at)
    }
    assert.equal(new Set(uploads.map((u) => u.url)).size, uploads.length, 'one link per asset')
  })

  test('v2-batch.json is accepted without the .json suffix too', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const response = await t.request('POST', '/api/partner/v2/add/requests/batch', { json: freshBatch().body, token })
    assert.equal(response.status, 201, response.text)
    assertRedirect(response.body.redirect_uri, { path: 'batch', clientId: client.client_id })
    assert.equal(response.body.asset_uploads.length, 4)
  })

  test('holder links of every type: v1 with documentType, v2 without, batches at /batch', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const clientId = client.client_id
    for (const type of TYPES) {
      const v2 = await t.request('POST', v2Path(type.name), { json: v2Body(type.name), token })
      assert.equal(v2.status, 201, v2.text)
      assertRedirect(v2.body.redirect_uri, { path: type.redirectPath, clientId })
      if (type.v1NoDocument === null) continue
      const v1 = await t.request('POST', v1Path(type.name), { json: v1Body(type.name), token })
      assert.equal(v1.status, 201, v1.text)
      assert.deepEqual(Object.keys(v1.body), ['redirect_uri'])
      assertRedirect(v1.body.redirect_uri, { path: type.redirectPath, clientId, documentType: type.v1NoDocument })
    }
    const v1Batch = await t.request('POST', V1_BATCH, { json: v1BatchOf(['education', 'digital_identity']), token })
    assert.equal(v1Batch.status, 201, v1Batch.text)
    assert.deepEqual(Object.keys(v1Batch.body), ['redirect_uri'])
    assertRedirect(v1Batch.body.redirect_uri, { path: 'batch', clientId })
  })

  test('v2 single adds with documents → 201 with one upload link per asset, each taking its document', async () => {
    const t = use()
    const { token } = await partner(t)
    const cases: Array<[string, Array<keyof typeof DOCUMENT_FIXTURES>]> = [
      ['education', ['pdf']],
      ['english_proficiency', ['pdf']],
      ['microcredential', ['pdf', 'png', 'jpg']],
      ['universal_credential', ['jpg']],
    ]
    for (const [type, assetTypes] of cases) {
      const body = v2Body(type)
      const assets = assetTypes.map((asset_type, i) => ({ asset_id: `${body.credential_id}-${i}`, asset_type }))
      const created = await t.request('POST', v2Path(type), { json: { ...body, assets }, token })
      assert.equal(created.status, 201, `${type}: ${created.text}`)
      assert.deepEqual(Object.keys(created.body), ['redirect_uri', 'asset_uploads'])
      assert.deepEqual(
        created.body.asset_uploads.map((u: any) => u.asset_id),
        assets.map((a) => a.asset_id),
        type,
      )
      for (const [i, link] of (created.body.asset_uploads as any[]).entries()) {
        const uploaded = await uploadThroughLink(t, link, assetTypes[i]!)
        assert.equal(uploaded.status, 201, `${type} ${assetTypes[i]}: ${uploaded.text}`)
        assert.equal(uploaded.body.asset_id, assets[i]!.asset_id)
      }
      const status = await t.request('GET', statusPath(body.credential_id), { token })
      assert.deepEqual(
        status.body.items[0].assets.map((a: any) => [a.asset_id, a.state]),
        assets.map((a) => [a.asset_id, 'received']),
        type,
      )
    }
  })

  test('v2-career-history.json → 201 with and without the .json suffix', async () => {
    const t = use()
    const { client, token } = await partner(t)
    for (const withJson of [true, false]) {
      const body = { ...example('v2-career-history.json'), credential_id: randomUUID() }
      const response = await t.request('POST', v2Path('career_history', withJson), { json: body, token })
      assert.equal(response.status, 201, `${withJson ? 'with' : 'without'} .json: ${response.text}`)
      assert.deepEqual(response.body.asset_uploads, [])
      assertRedirect(response.body.redirect_uri, { path: 'careerHistory', clientId: client.client_id })
    }
  })

  test('status of an accepted batch: the members of v1-status.response.json plus request_id and items with asset states', async () => {
    const t = use()
    const { token } = await partner(t)
    const { id, body } = freshBatch()
    const created = await t.request('POST', V2_BATCH, { json: body, token })
    assert.equal(created.status, 201, created.text)
    const content = requestIdOf(created.body.redirect_uri)

    const sampleMembers = Object.keys(example('v1-status.response.json').credentials[0])
    const response = await t.request('GET', statusPath(id), { token })
    assert.equal(response.status, 200, response.text)
    for (const member of sampleMembers) assert.ok(member in response.body, `member ${member} missing`)
    assert.equal(response.body.id, id)
    assert.equal(response.body.status, 'incomplete')
    assert.equal(response.body.finalized_at, null)
    assert.equal(response.body.request_id, content)

    const items = response.body.items as any[]
    const itemIds = [
      ...body.education_items,
      ...body.english_proficiency_items,
      ...body.microcredential_items,
      body.digital_identity,
      ...body.right_to_work_items,
      body.career_history,
      ...body.universal_credential_items,
    ].map((item: any) => item.credential_id)
    assert.deepEqual(items.map((i) => i.id).sort(), itemIds.sort())
    const assets = items.flatMap((i) => i.assets)
    assert.deepEqual(
      assets.map((a: any) => a.asset_id).sort(),
      created.body.asset_uploads.map((u: any) => u.asset_id).sort(),
    )
    for (const asset of assets) assert.equal(asset.state, 'awaiting_upload', JSON.stringify(asset))
    const byItem = Object.fromEntries(items.map((i) => [i.id, i]))
    assert.equal(byItem[`${id}-micro-2`].assets[0].asset_type, 'png')
    assert.equal(byItem[`${id}-ch`].credential_type, 'career_history')
    assert.deepEqual(byItem[`${id}-edu-2`].assets, [])

    const bulk = await t.request('POST', STATUS_BULK, { json: { ids: [id] }, token })
    assert.equal(bulk.status, 200, bulk.text)
    assert.deepEqual(Object.keys(bulk.body), ['credentials'])
    assert.equal(bulk.body.credentials.length, 1)
    for (const member of sampleMembers) assert.ok(member in bulk.body.credentials[0], `bulk member ${member} missing`)
    assert.equal(bulk.body.credentials[0].request_id, content)
  })

  test('status of the v1 education open_cert sample reports its document as an open_cert asset', async () => {
    const t = use()
    const { token } = await partner(t)
    const { id, body } = freshV1('v1-education-open-cert.json')
    const created = await t.request('POST', v1Path('education'), { json: body, token })
    assert.equal(created.status, 201, created.text)
    const response = await t.request('GET', statusPath(id), { token })
    assert.equal(response.status, 200, response.text)
    assert.equal(response.body.request_id, requestIdOf(created.body.redirect_uri))
    assert.equal(response.body.items.length, 1)
    assert.equal(response.body.items[0].id, id)
    assert.equal(response.body.items[0].credential_type, 'education')
    const [asset, ...others] = response.body.items[0].assets
    assert.deepEqual(others, [])
    assert.equal(asset.asset_type, 'open_cert')
  })

  test('the v1 open_cert sample while the OpenCerts verifier has no room: 503 with Retry-After and nothing stored; sent again later, 201', async () => {
    const t = use()
    const { token } = await partner(t)
    const everyday = t.deps.openCerts
    // A verifier that lets nothing wait, kept busy with a large document.
    t.deps.openCerts = new OpenCertVerifier(1)
    try {
      const data = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field${i}`, `value ${i}`]))
      const busy = t.deps.openCerts.inspect(Buffer.from(JSON.stringify({ data, signature: {} })))
      const { id, body } = freshV1('v1-education-open-cert.json')
      const refused = await t.request('POST', v1Path('education'), { json: body, token })
      assertProblem(refused, 503, 'service_unavailable')
      assert.equal(refused.headers.get('retry-after'), '5')
      assert.match(refused.body.detail, /This request stored nothing/)
      assert.equal((await t.request('GET', statusPath(id), { token })).status, 404, 'no submission was stored')
      await busy
      assert.equal((await t.request('POST', v1Path('education'), { json: body, token })).status, 201)
      const status = await t.request('GET', statusPath(id), { token })
      // Stored and checked before the 201 (the sample's document is not wrapped: rejected by its verification).
      assert.equal(status.body.items[0].assets[0].state, 'rejected')
    } finally {
      await t.deps.openCerts.close()
      t.deps.openCerts = everyday
    }
  })

  test('concurrent requests with inline OpenCerts documents cannot all take the same room: it is held from the check until the document is handed over', async () => {
    const t = use()
    const { token } = await partner(t)
    const everyday = t.deps.openCerts
    // Room for one document, and two seconds between the room check and the document reaching the verifier
    // (all six requests arrive well within them, even on a loaded machine).
    t.deps.openCerts = new OpenCertVerifier(1)
    await t.deps.db.execute(
      sql.raw(
        `create function slow_insert() returns trigger language plpgsql as $$ begin perform pg_sleep(2); return new; end $$`,
      ),
    )
    await t.deps.db.execute(
      sql.raw(`create trigger slow_insert before insert on submissions for each row execute function slow_insert()`),
    )
    const dropSlowInsert = async () => {
      await t.deps.db.execute(sql.raw('drop trigger if exists slow_insert on submissions'))
      await t.deps.db.execute(sql.raw('drop function if exists slow_insert()'))
    }
    try {
      const requests = Array.from({ length: 6 }, () => freshV1('v1-education-open-cert.json'))
      const responses = await Promise.all(
        requests.map(({ body }) => t.request('POST', v1Path('education'), { json: body, token })),
      )
      assert.deepEqual(responses.map((r) => r.status).sort(), [201, 503, 503, 503, 503, 503])
      for (const [i, { id }] of requests.entries()) {
        const status = await t.request('GET', statusPath(id), { token })
        if (responses[i]!.status === 503) assert.equal(status.status, 404, 'a refused request stored nothing')
        else
          assert.equal(
            status.body.items[0].assets[0].state,
            'rejected',
            'the accepted one was stored and checked before its 201',
          )
      }
      await dropSlowInsert()
      const again = await t.request('POST', v1Path('education'), {
        json: requests[responses.findIndex((r) => r.status === 503)]!.body,
        token,
      })
      assert.equal(again.status, 201, 'the room is given back once the document is verified')
    } finally {
      await dropSlowInsert()
      await t.deps.openCerts.close()
      t.deps.openCerts = everyday
    }
  })
})

test('examples/v2-batch.json, the README’s sample batch, is the public sample unchanged (byte for byte)', () => {
  const shipped = fs.readFileSync(new URL('../../examples/v2-batch.json', import.meta.url), 'utf8')
  assert.equal(shipped, fs.readFileSync(path.join(EXAMPLES_DIR, 'v2-batch.json'), 'utf8'))
})
