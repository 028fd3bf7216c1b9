import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import { submissionItems } from '../../src/db/schema.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'
import {
  V1_BATCH,
  V2_BATCH,
  assertClientProblem,
  assertValidation,
  countSubmissions,
  freshBatch,
  postRaw,
  v1BatchOf,
  v2BatchOf,
  v1Body,
  v1Path,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/**
 * Bodies no partner should send (spec §3.3, §7): each is a 4xx problem with a clear detail, never
 * a 500, and nothing is stored.
 */

const ENDPOINTS = [v1Path('education'), v2Path('education'), v2Path('career_history', false), V2_BATCH, V1_BATCH]

/** A valid body for each of ENDPOINTS. */
const validBodyFor = (url: string): any =>
  url === V2_BATCH
    ? freshBatch().body
    : url === V1_BATCH
      ? v1BatchOf(['education'])
      : url.includes('/v1/')
        ? v1Body('education')
        : v2Body(url.includes('career') ? 'career_history' : 'education')

function tokenCache(use: () => TestApp) {
  let token: string | undefined
  return async () => (token ??= (await makePartnerWithToken(use())).token)
}

describeEachBackend('validation of hostile and malformed bodies', (use) => {
  const auth = tokenCache(use)
  const raw = async (url: string, text: string) => postRaw(use(), url, text, await auth())
  const post = async (url: string, json: unknown) => use().request('POST', url, { json, token: await auth() })

  test('malformed JSON → 400 /problems/malformed_json at every intake endpoint, nothing stored', async () => {
    const t = use()
    const before = await countSubmissions(t)
    for (const url of ENDPOINTS) {
      for (const text of ['{"id": "x",', '{id: 1}', "{'id': 'x'}", '{"id": "x"} trailing', '']) {
        const response = await raw(url, text)
        assertProblem(response, 400, 'malformed_json')
        assert.ok(response.body.detail.length > 0)
      }
    }
    assert.equal(await countSubmissions(t), before)
  })

  test('a body that is not an object (array, string, number, boolean, null) → 400 "must be an object" at the root', async () => {
    for (const url of ENDPOINTS) {
      for (const text of ['[]', '[{"id":"x"}]', '"a string"', '42', 'true', 'null']) {
        assertValidation(await raw(url, text), [{ pointer: '', message: 'must be an object' }])
      }
    }
  })

  test('ids that are not strings (number, object, array, null) → 400 naming the id', async () => {
    for (const bad of [42, { id: 'x' }, ['x'], null]) {
      assertValidation(await post(v1Path('education'), { ...v1Body('education'), id: bad }), [
        { pointer: '/id', message: 'must be a string' },
      ])
      assertValidation(await post(v2Path('education'), { ...v2Body('education'), credential_id: bad }), [
        { pointer: '/credential_id', message: 'must be a string' },
      ])
      const { body } = freshBatch()
      body.education_items[0].credential_id = bad
      body.microcredential_items[0].assets[0].asset_id = bad
      assertValidation(await post(V2_BATCH, body), [
        { pointer: '/education_items/0/credential_id', message: 'must be a string' },
        { pointer: '/microcredential_items/0/assets/0/asset_id', message: 'must be a string' },
      ])
    }
  })

  test('blank and over-long ids, over-long strings → 400 naming each limit', async () => {
    assertValidation(await post(v2Path('education'), { ...v2Body('education'), credential_id: '  ' }), [
      { pointer: '/credential_id', message: 'must not be empty or blank' },
    ])
    const v1 = v1Body('education', 'i'.repeat(256))
    v1.data.credential.full_name = 'N'.repeat(100_000)
    v1.data.credential.course_name = 'C'.repeat(1001)
    assertValidation(await post(v1Path('education'), v1), [
      { pointer: '/id', message: 'must be at most 255 characters long' },
      { pointer: '/data/credential/full_name', message: 'must be at most 1000 characters long' },
      { pointer: '/data/credential/course_name', message: 'must be at most 1000 characters long' },
    ])
    assert.equal(
      (await post(v1Path('education'), v1Body('education', 'i'.repeat(255)))).status,
      201,
      'an id of 255 characters is fine',
    )
    const { body } = freshBatch()
    body.credential_id = 'b'.repeat(300)
    assertValidation(await post(V2_BATCH, body), [
      { pointer: '/credential_id', message: 'must be at most 255 characters long' },
    ])
  })

  test('strings with \\u0000 or a lone surrogate (raw JSON escapes) → 400 at their pointer, in values and in keys', async () => {
    const t = use()
    const before = await countSubmissions(t)
    const v2 = JSON.stringify(v2Body('education'))
    const nul = v2.replace('"Jo Citizen"', '"Jo\\u0000Citizen"')
    assertValidation(await raw(v2Path('education'), nul), [
      { pointer: '/fields/full_name', message: 'must not contain the NUL character (\\u0000)' },
    ])
    const surrogate = v2.replace('"Jo Citizen"', '"Jo \\ud800 Citizen"')
    assertValidation(await raw(v2Path('education'), surrogate), [
      { pointer: '/fields/full_name', message: 'must be valid Unicode (it contains an unpaired surrogate)' },
    ])
    const lowAlone = JSON.stringify(v1Body('education')).replace('"Uni"', '"Uni\\udc00"')
    assertValidation(await raw(v1Path('education'), lowAlone), [
      {
        pointer: '/data/credential/education_provider',
        message: 'must be valid Unicode (it contains an unpaired surrogate)',
      },
    ])
    const batchId = JSON.stringify(freshBatch().body).replace(
      /^\{"credential_id":"[^"]+"/,
      '{"credential_id":"\\u0000"',
    )
    assertValidation(await raw(V2_BATCH, batchId), [
      { pointer: '/credential_id', message: 'must not contain the NUL character (\\u0000)' },
    ])
    const badKey = v2.replace('"fields":{', '"fields":{"k\\u0000":1,')
    const response = await raw(v2Path('education'), badKey)
    assert.equal(response.status, 400, response.text)
    assert.ok(
      response.body.errors.some((e: any) => e.message.includes('property name')),
      response.text,
    )
    // A valid surrogate pair (an emoji) is fine.
    const emoji = v2.replace('"Jo Citizen"', '"Jo \\ud83d\\ude00 Citizen"')
    assert.equal((await raw(v2Path('education'), emoji)).status, 201)
    assert.equal(await countSubmissions(t), before + 1)
  })

  test('a body that is not UTF-8 (Latin-1 "é", a truncated sequence) → 400 malformed_json at every endpoint, never stored as U+FFFD', async () => {
    const t = use()
    const before = await countSubmissions(t)
    for (const url of ENDPOINTS) {
      // A member first, so the answer would be a validation error (unknown property) if the bytes were read at all.
      const withNote = (note: Buffer) =>
        Buffer.concat([
          Buffer.from('{"note":"'),
          note,
          Buffer.from('",'),
          Buffer.from(JSON.stringify(validBodyFor(url)).slice(1)),
        ])
      const latin1 = withNote(Buffer.from('Andr\u00e9', 'latin1'))
      const truncated = withNote(Buffer.from([0xe6, 0x9d]))
      for (const body of [latin1, truncated]) {
        const response = await postRaw(t, url, body, await auth())
        assertProblem(response, 400, 'malformed_json')
        assert.match(response.body.detail, /not valid UTF-8/)
      }
    }
    assert.equal(await countSubmissions(t), before)
    // Real UTF-8, with or without a byte order mark, is read and stored as sent.
    for (const bom of [[], [0xef, 0xbb, 0xbf]]) {
      const sent = v2Body('education')
      const utf8 = JSON.stringify(sent).replace('"Jo Citizen"', '"Zoë Müller 李"')
      const response = await postRaw(
        t,
        v2Path('education'),
        Buffer.concat([Buffer.from(bom), Buffer.from(utf8)]),
        await auth(),
      )
      assert.equal(response.status, 201, response.text)
      const [item] = await t.deps.db
        .select({ fields: submissionItems.fields })
        .from(submissionItems)
        .where(eq(submissionItems.partnerItemId, sent.credential_id))
      assert.equal(item?.fields?.full_name, 'Zoë Müller 李')
    }
    assert.equal(await countSubmissions(t), before + 2)
  })

  test('64 levels of nesting → 400 naming the depth, at every endpoint', async () => {
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`
    for (const url of ENDPOINTS) {
      const body = JSON.stringify(validBodyFor(url)).replace(/^\{/, `{"deep":${deep(64)},`)
      const response = await raw(url, body)
      assertClientProblem(response, url)
      assert.equal(response.status, 400)
      assert.equal(response.body.type, '/problems/validation')
      assert.ok(
        response.body.errors.some((e: any) => /nested too deeply/.test(e.message) && e.pointer.startsWith('/deep/a/a')),
        response.text,
      )
      const arrays = await raw(url, '['.repeat(64) + ']'.repeat(64))
      assertClientProblem(arrays, url)
    }
  })

  test('a JSON body sent as another media type (text, form, multipart, XML, octet-stream) → 415 at every endpoint, nothing stored', async () => {
    const t = use()
    const before = await countSubmissions(t)
    const types = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/octet-stream',
      'application/jsonx',
    ]
    for (const url of ENDPOINTS) {
      for (const contentType of types) {
        const response = await t.request('POST', url, {
          body: JSON.stringify(validBodyFor(url)),
          token: await auth(),
          headers: { 'content-type': contentType },
        })
        assertProblem(response, 415, 'unsupported_media_type')
        assert.match(response.body.detail, /application\/json/, `${url} ${contentType}`)
      }
    }
    assert.equal(await countSubmissions(t), before)
  })
})

describeEachBackend(
  'validation: BODY_LIMIT=4kb',
  (use) => {
    const auth = tokenCache(use)

    test('a body over the limit → 413 /problems/body_too_large at every intake endpoint, nothing stored; under the limit → 201', async () => {
      const t = use()
      const token = await auth()
      const before = await countSubmissions(t)
      for (const url of ENDPOINTS) {
        const padded = JSON.stringify(validBodyFor(url)).replace(/^\{/, `{"padding":"${'x'.repeat(5000)}",`)
        assert.ok(Buffer.byteLength(padded) > 4096)
        assertProblem(await postRaw(t, url, padded, token), 413, 'body_too_large')
      }
      assert.equal(await countSubmissions(t), before)
      const small = await t.request('POST', v2Path('education'), { json: v2Body('education'), token })
      assert.equal(small.status, 201, small.text)
    })

    test('the 413 detail names the limit the body went over', async () => {
      const padded = JSON.stringify(v2Body('education')).replace(/^\{/, `{"padding":"${'x'.repeat(5000)}",`)
      const response = await postRaw(use(), v2Path('education'), padded, await auth())
      assertProblem(response, 413, 'body_too_large')
      assert.match(String(response.body.detail), /4096|4 ?ki?b/i, response.text)
    })
  },
  { BODY_LIMIT: '4kb' },
)

describeEachBackend('validation of bodies with a great many problems', (use) => {
  const auth = tokenCache(use)

  test('a body of more than 4,000 values with hundreds of thousands of problems → its first problem, said to be the first, nothing stored', async () => {
    // Each of these held the server for seconds when every problem was made and worded.
    const t = use()
    const before = await countSubmissions(t)
    const manyMajors = v2Body('education')
    manyMajors.fields.majors = new Array(250_000).fill(0)
    const unknownKeys = v1Body('education')
    for (let i = 0; i < 60_000; i++) unknownKeys.data.credential[`u${i}`] = 1
    const manyRoles = v2Body('career_history')
    manyRoles.fields.employment = new Array(200_000).fill({})
    for (const [url, body, pointer] of [
      [v2Path('education'), manyMajors, '/fields/majors'],
      [v1Path('education'), unknownKeys, '/data/credential/u0'],
      [v2Path('career_history'), manyRoles, '/fields/employment'],
    ] as const) {
      const response = await postRaw(t, url, JSON.stringify(body), await auth())
      assertProblem(response, 400, 'validation')
      assert.equal(response.body.errors.length, 1, response.text.slice(0, 500))
      assert.equal(response.body.errors[0].pointer, pointer)
      assert.match(
        response.body.detail,
        /^1 problem in the request body, where checking stopped: a body of more than 4,000 values is checked up to its first problem/,
      )
    }
    assert.equal(await countSubmissions(t), before)
  })

  test('up to 4,000 values every problem is counted, the first 1000 listed; a valid larger body is stored', async () => {
    const t = use()
    const before = await countSubmissions(t)
    // 2,000 unknown members of a credential, one problem each.
    const unknownKeys = v2Body('education')
    for (let i = 0; i < 2000; i++) unknownKeys.fields[`u${i}`] = 1
    const response = await postRaw(t, v2Path('education'), JSON.stringify(unknownKeys), await auth())
    assertProblem(response, 400, 'validation')
    assert.equal(response.body.errors.length, 1000)
    assert.equal(response.body.detail, '2000 problems in the request body; the first 1000 are listed')
    assert.equal(await countSubmissions(t), before)

    // Five education credentials with transcripts of 200 subjects each: about 5,000 values, all valid.
    const large = v2BatchOf(['education'])
    const [item] = large.education_items as Array<{ credential_id: string; fields: Record<string, unknown> }>
    const subjects = Array.from({ length: 200 }, (_, i) => ({
      name: `Subject ${i}`,
      code: `S${i}`,
      grade: 'A',
      completion_date: '2020',
    }))
    large.education_items = Array.from({ length: 5 }, (_, i) => ({
      credential_id: `${item!.credential_id}-${i}`,
      fields: { ...item!.fields, transcript: { overall: { issuance_date: '2020-12-01' }, subjects } },
    }))
    const stored = await postRaw(t, V2_BATCH, JSON.stringify(large), await auth())
    assert.equal(stored.status, 201, stored.text.slice(0, 500))
  })
})
