import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'
import {
  TYPES,
  V1_BATCH,
  V2_BATCH,
  assertValidation,
  countSubmissions,
  freshBatch,
  typeInfo,
  v1BatchOf,
  v1Body,
  v1Path,
  v2BatchOf,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/**
 * Batches and v2 assets through the API (spec §3.2, §4 documents, §5): pointers into the body as
 * sent, asset rules per type, unique ids, the empty batch, size limits (413, configurable) and
 * unknown credential types (404).
 */

const oneOf = (values: string[]) => `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`
const asset = (asset_id: string, asset_type: string) => ({ asset_id, asset_type })

/** `n` valid education items of a batch `id`, every one with `assetsEach` pdf assets. */
function educationItems(id: string, n: number, assetsEach = 0) {
  return Array.from({ length: n }, (_, i) => ({
    credential_id: `${id}-edu-${i}`,
    fields: typeInfo('education').fields(),
    ...(assetsEach
      ? { assets: Array.from({ length: assetsEach }, (_a, j) => asset(`${id}-edu-${i}-${j}`, 'pdf')) }
      : {}),
  }))
}

function tokenCache(use: () => TestApp) {
  let token: string | undefined
  return async () => (token ??= (await makePartnerWithToken(use())).token)
}

describeEachBackend('validation of batches and assets through the API', (use) => {
  const auth = tokenCache(use)
  const post = async (url: string, json: unknown) => use().request('POST', url, { json, token: await auth() })

  test('v2 batch: pointers name the section, the item index and the field', async () => {
    const { id, body } = freshBatch()
    body.education_items[1].fields.conferral_year = '24'
    body.english_proficiency_items[0].fields.test_scores.cefr_scores.writing = 'Z9'
    delete body.career_history.fields.employment[0].organisation
    body.digital_identity.fields.identity_document_liveness = 'maybe'
    body.universal_credential_items[0].fields.expiry_date = '2024-01-01'
    assertValidation(await post(V2_BATCH, body), [
      { pointer: '/education_items/1/fields/conferral_year', message: 'must be a year in the form YYYY' },
      {
        pointer: '/english_proficiency_items/0/fields/test_scores/cefr_scores/writing',
        message: 'must be a CEFR level: Pre-A1, A1, A2, B1, B2, C1 or C2',
      },
      { pointer: '/career_history/fields/employment/0/organisation', message: 'is required' },
      {
        pointer: '/digital_identity/fields/identity_document_liveness',
        message: 'must be one of: "automated", "in_person"',
      },
      { pointer: '/universal_credential_items/0/fields/expiry_date', message: 'must not be before issue_date' },
    ])
    assert.equal(await countSubmissions(use(), undefined, id), 0)
  })

  test('digital identity needs only full_name in a v2 batch (the sample) and on a v2 single add; a v1 single add needs the assurance fields', async () => {
    const batch = await post(V2_BATCH, v2BatchOf(['digital_identity']))
    assert.equal(batch.status, 201, batch.text)
    const single = await post(v2Path('digital_identity'), v2Body('digital_identity', undefined, { full_name: 'Jo' }))
    assert.equal(single.status, 201, single.text)
    const v1 = await post(v1Path('digital_identity'), v1Body('digital_identity', undefined, { full_name: 'Jo' }))
    assertValidation(
      v1,
      ['identity_document_liveness', 'identity_document_person_match', 'identity_document_validity'].map((f) => ({
        pointer: `/data/credential/${f}`,
        message: 'is required',
      })),
    )
  })

  test('v1 batch: pointers under /credentials/{i}/data/credential, unknown and v2-only types, duplicate ids, no documents', async () => {
    const body = v1BatchOf(['education', 'right_to_work', 'education'])
    const [first, second, third] = body.credentials as any[]
    delete first.data.credential.course_name
    second.data.credential.country = 'sg'
    second.data.document = 'https://example.com/x.pdf'
    third.id = first.id
    body.credentials.push({ id: 'uc', credential_type: 'universal_credential', data: { credential: {} } } as any)
    const v1Types = TYPES.filter((t) => t.v1NoDocument !== null).map((t) => t.name)
    assertValidation(await post(V1_BATCH, body), [
      { pointer: '/credentials/0/data/credential/course_name', message: 'is required' },
      {
        pointer: '/credentials/1/data/credential/country',
        message: 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. "SG"',
      },
      { pointer: '/credentials/1/data/document', message: 'is not an allowed property (check the spelling)' },
      { pointer: '/credentials/2/id', message: 'duplicates the id at /credentials/0/id' },
      { pointer: '/credentials/3/credential_type', message: oneOf(v1Types) },
    ])
  })

  test('english_proficiency with test_scores missing or malformed → 400 naming it, never 500 (single adds and batches)', async () => {
    const { test_scores: _, ...withoutScores } = typeInfo('english_proficiency').fields()
    assertValidation(
      await post(v2Path('english_proficiency'), v2Body('english_proficiency', undefined, withoutScores)),
      [{ pointer: '/fields/test_scores', message: 'is required' }],
    )
    const v1Single = { ...v1BatchOf(['english_proficiency']).credentials[0]!, document_type: 'english_assessment' }
    v1Single.data.credential = withoutScores
    assertValidation(await post(v1Path('english_proficiency'), v1Single), [
      { pointer: '/data/credential/test_scores', message: 'is required' },
    ])

    const { body } = freshBatch()
    body.english_proficiency_items[0].fields.test_scores = 42
    body.english_proficiency_items[1].fields.test_scores.cefr_scores = '   '
    assertValidation(await post(V2_BATCH, body), [
      { pointer: '/english_proficiency_items/0/fields/test_scores', message: 'must be an object' },
      { pointer: '/english_proficiency_items/1/fields/test_scores/cefr_scores', message: 'must be an object' },
    ])
    const v1 = v1BatchOf(['education', 'english_proficiency']) as any
    v1.credentials[1].data.credential.test_scores = null
    assertValidation(await post(V1_BATCH, v1), [
      { pointer: '/credentials/1/data/credential/test_scores', message: 'must be an object' },
    ])
  })

  test('v2 assets: an asset_type the type does not take → /assets/{i}/asset_type naming the allowed ones', async () => {
    const cases: Array<[string, string, string[]]> = [
      ['education', 'png', ['pdf', 'open_cert']],
      ['english_proficiency', 'open_cert', ['pdf']],
      ['microcredential', 'docx', ['pdf', 'jpg', 'png', 'open_cert']],
      ['universal_credential', 'open_cert', ['pdf', 'png', 'jpg']],
    ]
    for (const [type, bad, allowed] of cases) {
      // universal_credential takes one asset only: there the bad one is alone.
      const assets =
        type === 'universal_credential' ? [asset('a-2', bad)] : [asset('a-1', allowed[0]!), asset('a-2', bad)]
      const body = { ...v2Body(type), assets }
      assertValidation(await post(v2Path(type), body), [
        { pointer: `/assets/${assets.length - 1}/asset_type`, message: oneOf(allowed) },
      ])
    }
  })

  test('v2 assets on a type that takes none → /assets', async () => {
    for (const type of ['digital_identity', 'right_to_work', 'career_history']) {
      const body = { ...v2Body(type), assets: [asset('a-1', 'pdf')] }
      assertValidation(await post(v2Path(type), body), [
        { pointer: '/assets', message: `must be empty: ${type} credentials take no documents` },
      ])
      assert.equal((await post(v2Path(type), { ...v2Body(type), assets: [] })).status, 201, `${type} with assets: []`)
    }
    const batch = v2BatchOf(['right_to_work']) as any
    batch.right_to_work_items[0].assets = [asset('a-1', 'pdf')]
    assertValidation(await post(V2_BATCH, batch), [
      {
        pointer: '/right_to_work_items/0/assets',
        message: 'must be empty: right_to_work credentials take no documents',
      },
    ])
  })

  test('universal_credential takes at most one asset', async () => {
    const body = { ...v2Body('universal_credential'), assets: [asset('a-1', 'pdf'), asset('a-2', 'png')] }
    assertValidation(await post(v2Path('universal_credential'), body), [
      { pointer: '/assets', message: 'must contain at most 1 document for universal_credential' },
    ])
    const { body: batch } = freshBatch()
    batch.universal_credential_items[0].assets.push(asset('uc-extra', 'png'))
    assertValidation(await post(V2_BATCH, batch), [
      {
        pointer: '/universal_credential_items/0/assets',
        message: 'must contain at most 1 document for universal_credential',
      },
    ])
  })

  test('duplicate asset_id (in one item, and across items of a batch) and duplicate credential_id in a batch', async () => {
    const single = { ...v2Body('education'), assets: [asset('dup', 'pdf'), asset('dup', 'open_cert')] }
    assertValidation(await post(v2Path('education'), single), [
      { pointer: '/assets/1/asset_id', message: 'duplicates the asset_id at /assets/0/asset_id' },
    ])

    const { id, body } = freshBatch()
    body.universal_credential_items[0].assets[0].asset_id = `${id}-edu-1-asset`
    body.microcredential_items[1].credential_id = `${id}-micro-1`
    body.right_to_work_items[0].credential_id = `${id}-edu-1`
    assertValidation(await post(V2_BATCH, body), [
      {
        pointer: '/universal_credential_items/0/assets/0/asset_id',
        message: 'duplicates the asset_id at /education_items/0/assets/0/asset_id',
      },
      {
        pointer: '/microcredential_items/1/credential_id',
        message: 'duplicates the credential_id at /microcredential_items/0/credential_id',
      },
      {
        pointer: '/right_to_work_items/0/credential_id',
        message: 'duplicates the credential_id at /education_items/0/credential_id',
      },
    ])
  })

  test('an empty batch → 400, whatever empty sections it carries', async () => {
    const empty = [
      { credential_id: 'empty-1' },
      {
        credential_id: 'empty-2',
        education_items: [],
        microcredential_items: [],
        digital_identity: null,
        career_history: null,
      },
    ]
    for (const body of empty) {
      assertValidation(await post(V2_BATCH, body), [
        { pointer: '', message: 'must contain at least one credential in one of its sections' },
      ])
    }
    assertValidation(await post(V1_BATCH, { id: 'empty-3', credentials: [] }), [
      { pointer: '/credentials', message: 'must contain at least one item' },
    ])
  })

  test('a batch of 101 items → 413 /problems/batch_too_large naming the limit 100; 100 items are accepted', async () => {
    const t = use()
    const before = await countSubmissions(t)
    const over = await post(V2_BATCH, { credential_id: 'big-101', education_items: educationItems('big-101', 101) })
    assertProblem(over, 413, 'batch_too_large')
    assert.equal(over.body.limit, 100)
    assert.match(over.body.detail, /\b100\b/)
    const v1 = await post(V1_BATCH, v1BatchOf(Array.from({ length: 101 }, () => 'education')))
    assertProblem(v1, 413, 'batch_too_large')
    assert.equal(v1.body.limit, 100)
    assert.equal(await countSubmissions(t), before)
    const atLimit = await post(V2_BATCH, { credential_id: 'big-100', education_items: educationItems('big-100', 100) })
    assert.equal(atLimit.status, 201, atLimit.text)
  })

  test('a batch with 21 assets → 413 naming the limit 20; 20 assets are accepted', async () => {
    const t = use()
    const before = await countSubmissions(t)
    const lastItem = {
      credential_id: 'assets-21-x',
      fields: typeInfo('education').fields(),
      assets: [asset('assets-21-x', 'pdf')],
    }
    const over = await post(V2_BATCH, {
      credential_id: 'assets-21',
      education_items: [...educationItems('assets-21', 10, 2), lastItem],
    })
    assertProblem(over, 413, 'batch_too_large')
    assert.equal(over.body.limit, 20)
    assert.match(over.body.detail, /\b20\b/)
    assert.equal(await countSubmissions(t), before)
    const atLimit = await post(V2_BATCH, {
      credential_id: 'assets-20',
      education_items: educationItems('assets-20', 10, 2),
    })
    assert.equal(atLimit.status, 201, atLimit.text)
    assert.equal(atLimit.body.asset_uploads.length, 20)
  })

  test('an unknown credential type → 404 problem, on v1 and v2, with and without .json; universal_credential on v1 → 404', async () => {
    const t = use()
    const paths = [
      v1Path('diploma'),
      v2Path('diploma'),
      v2Path('diploma', false),
      v1Path('universal_credential'),
      v1Path('universal'),
      v2Path('universal'),
      v2Path('Education'),
    ]
    for (const path of paths) {
      const response = await post(path, v2Body('education'))
      assertProblem(response, 404, 'not_found')
      assert.equal(response.body.instance, path)
    }
    const withoutToken = await t.request('POST', v1Path('diploma'), { json: {} })
    assert.ok(withoutToken.status === 404 || withoutToken.status === 401, `got ${withoutToken.status}`)
  })
})

describeEachBackend(
  'validation: configurable batch limits (MAX_BATCH_ITEMS=3, MAX_BATCH_ASSETS=2)',
  (use) => {
    const auth = tokenCache(use)
    const post = async (url: string, json: unknown) => use().request('POST', url, { json, token: await auth() })

    test('4 items → 413 naming the limit 3; 3 items → 201 (v2 and v1 batches)', async () => {
      const over = await post(V2_BATCH, v2BatchOf(['education', 'microcredential', 'right_to_work', 'career_history']))
      assertProblem(over, 413, 'batch_too_large')
      assert.equal(over.body.limit, 3)
      assert.match(over.body.detail, /\b3\b/)
      assert.equal((await post(V2_BATCH, v2BatchOf(['education', 'microcredential', 'career_history']))).status, 201)
      const v1 = await post(V1_BATCH, v1BatchOf(['education', 'education', 'education', 'education']))
      assertProblem(v1, 413, 'batch_too_large')
      assert.equal(v1.body.limit, 3)
      assert.equal((await post(V1_BATCH, v1BatchOf(['education', 'education', 'education']))).status, 201)
    })

    test('3 assets → 413 naming the limit 2; 2 assets → 201', async () => {
      const over = await post(V2_BATCH, { credential_id: 'lim-a3', education_items: educationItems('lim-a3', 1, 3) })
      assertProblem(over, 413, 'batch_too_large')
      assert.equal(over.body.limit, 2)
      assert.equal(
        (await post(V2_BATCH, { credential_id: 'lim-a2', education_items: educationItems('lim-a2', 1, 2) })).status,
        201,
      )
    })
  },
  { MAX_BATCH_ITEMS: '3', MAX_BATCH_ASSETS: '2' },
)
