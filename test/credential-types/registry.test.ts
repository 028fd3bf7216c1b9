import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  credentialTypes,
  getCredentialType,
  getCredentialTypeByBatchSection,
  v1CredentialTypes,
  validateCredentialFields,
} from '../../src/modules/credential-types/registry.js'
import { MSG, example, issue, sortIssues, type Json } from './support.js'
import { ajvChecker } from '../../src/lib/validation.js'

describe('registry lookups', () => {
  test('every type, in spec order', () => {
    assert.deepEqual(
      credentialTypes.map((t) => t.name),
      [
        'education',
        'english_proficiency',
        'microcredential',
        'digital_identity',
        'right_to_work',
        'career_history',
        'universal_credential',
      ],
    )
  })
  test('getCredentialType finds each type by its name', () => {
    for (const type of credentialTypes) assert.equal(getCredentialType(type.name), type)
  })
  test('getCredentialType finds nothing for other strings', () => {
    for (const name of [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      'Education',
      'universal',
      'batch',
    ]) {
      assert.equal(getCredentialType(name), undefined, name)
    }
  })
  test('v1 has every type but universal_credential', () => {
    assert.deepEqual(
      v1CredentialTypes.map((t) => t.name),
      credentialTypes.map((t) => t.name).filter((n) => n !== 'universal_credential'),
    )
  })
  test('batch sections (spec §5.1)', () => {
    const sections = Object.fromEntries(
      credentialTypes.map((t) => [t.batchSection.key, `${t.name}:${t.batchSection.kind}`]),
    )
    assert.deepEqual(sections, {
      education_items: 'education:array',
      english_proficiency_items: 'english_proficiency:array',
      microcredential_items: 'microcredential:array',
      digital_identity: 'digital_identity:single',
      right_to_work_items: 'right_to_work:array',
      career_history: 'career_history:single',
      universal_credential_items: 'universal_credential:array',
    })
    for (const type of credentialTypes) assert.equal(getCredentialTypeByBatchSection(type.batchSection.key), type)
    for (const key of ['credential_id', '__proto__', 'constructor', 'education']) {
      assert.equal(getCredentialTypeByBatchSection(key), undefined, key)
    }
  })
})

describe('type metadata (spec §1, §4, §10)', () => {
  // name: [title, scope, redirectPath, v1DocumentTypes, assetTypes, maxAssets, issuerField]
  const expected: Record<string, unknown[]> = {
    education: [
      'Qualification',
      'write.education',
      'education',
      ['pdf', 'open_cert', 'none'],
      ['pdf', 'open_cert'],
      null,
      'education_provider',
    ],
    english_proficiency: [
      'English proficiency',
      'write.english_proficiency',
      'englishProficiency',
      ['english_assessment'],
      ['pdf'],
      null,
      'test_provider',
    ],
    microcredential: [
      'Learning and development',
      'write.microcredential',
      'microcredential',
      ['pdf', 'png', 'jpg', 'open_cert', 'none'],
      ['pdf', 'jpg', 'png', 'open_cert'],
      null,
      'issuer_name',
    ],
    digital_identity: ['Digital identity', 'write.digital_identity', 'digitalIdentity', ['none'], [], null, null],
    right_to_work: ['Right to work', 'write.right_to_work', 'rightToWork', ['none'], [], null, null],
    career_history: ['Career history', 'write.career_history', 'careerHistory', ['none'], [], null, null],
    universal_credential: [
      'Universal credential',
      'write.universal',
      'universalCredential',
      null,
      ['pdf', 'png', 'jpg'],
      1,
      'issuer_name',
    ],
  }
  for (const type of credentialTypes) {
    test(type.name, () => {
      const { title, scope, redirectPath, v1DocumentTypes, assetTypes, maxAssets, issuerField } = type
      assert.deepEqual(
        [title, scope, redirectPath, v1DocumentTypes, assetTypes, maxAssets, issuerField],
        expected[type.name],
      )
      if (issuerField)
        assert.ok(issuerField in (type.fields as Json).properties, 'issuerField is a field of the schema')
    })
  }
})

describe('public samples are accepted', () => {
  const v1Samples = [
    'v1-education-open-cert.json',
    ...['none', 'open-cert', 'partner-chain', 'pdf'].map((kind) => `v1-microcredential-${kind}.json`),
    'v1-right-to-work.json',
  ]
  for (const file of v1Samples) {
    test(file, () => {
      const body = example(file)
      const type = getCredentialType(body.credential_type)!
      assert.ok(type.v1DocumentTypes?.includes(body.document_type))
      assert.deepEqual(validateCredentialFields(type, body.data.credential, 'v1', '/data/credential', ajvChecker), [])
    })
  }
  test('v2-batch.json, every section', () => {
    const batch = example('v2-batch.json')
    for (const [key, section] of Object.entries(batch)) {
      if (key === 'credential_id') continue
      const type = getCredentialTypeByBatchSection(key)!
      const items: Json[] = type.batchSection.kind === 'single' ? [section] : section
      items.forEach((item, i) => {
        const prefix = type.batchSection.kind === 'single' ? `/${key}/fields` : `/${key}/${i}/fields`
        assert.deepEqual(validateCredentialFields(type, item.fields, 'v2-batch', prefix, ajvChecker), [], prefix)
        for (const asset of item.assets ?? [])
          assert.ok(type.assetTypes.includes(asset.asset_type), `${prefix}: ${asset.asset_type}`)
        assert.ok(type.maxAssets === null || (item.assets ?? []).length <= type.maxAssets)
      })
    }
  })
  test('v2-career-history.json', () => {
    const fields = example('v2-career-history.json').fields
    assert.deepEqual(
      validateCredentialFields(getCredentialType('career_history')!, fields, 'v2', '/fields', ajvChecker),
      [],
    )
  })
})

describe('validateCredentialFields', () => {
  const education = getCredentialType('education')!
  test('prefixes schema and cross-field pointers alike', () => {
    const fields = { full_name: ' ', education_provider: 'U', course_name: 'BSc', has_majors: true }
    assert.deepEqual(
      sortIssues(validateCredentialFields(education, fields, 'v2-batch', '/education_items/1/fields', ajvChecker)),
      [
        issue('/education_items/1/fields/conferral_year', 'is required unless awaiting_graduation is true'),
        issue('/education_items/1/fields/full_name', MSG.blank),
        issue('/education_items/1/fields/majors', 'is required when has_majors is true'),
      ],
    )
  })
  test('a value that is not an object gets the schema issue only', () => {
    for (const value of [null, 'x', 3, [], undefined]) {
      assert.deepEqual(validateCredentialFields(education, value, 'v1', '/data/credential', ajvChecker), [
        issue('/data/credential', MSG.object),
      ])
    }
  })
  test('a rule issue at a pointer the schema already reported is left out', () => {
    const fields = {
      full_name: 'A',
      education_provider: 'U',
      course_name: 'BSc',
      awaiting_graduation: true,
      conferral_year: '24',
    }
    assert.deepEqual(validateCredentialFields(education, fields, 'v1', '', ajvChecker), [
      issue('/conferral_year', 'must be a year in the form YYYY'),
    ])
  })
  test('unknown property names are escaped in pointers', () => {
    const fields = { full_name: 'A', education_provider: 'U', course_name: 'BSc', conferral_year: '2024', 'a/b~c': 1 }
    assert.deepEqual(validateCredentialFields(education, fields, 'v1', '/data/credential', ajvChecker), [
      issue('/data/credential/a~1b~0c', MSG.unknown),
    ])
  })
  test('a cross-field rule sees the envelope', () => {
    const identity = getCredentialType('digital_identity')!
    assert.equal(validateCredentialFields(identity, { full_name: 'A' }, 'v1', '', ajvChecker).length, 3)
    assert.equal(validateCredentialFields(identity, { full_name: 'A' }, 'v1-batch', '', ajvChecker).length, 0)
  })
})
