import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { h } from 'preact'
import { CredentialCard } from '../../../../src/modules/holder/views/credentials/card.js'
import { fill } from '../../../../src/modules/holder/views/credentials/common.js'
import { batchSampleFields, credentialView, example, pageContext, render, textOf, type Json } from '../support.js'

const ctx = pageContext('en')
const card = (credential: Parameters<typeof CredentialCard>[0]['credential'], partnerName?: string) =>
  render(h(CredentialCard, { ctx, credential, partnerName }))

describe('education', () => {
  const sample = example('v1-education-open-cert.json').data.credential as Json

  it('titles the v1 sample "Bachelor of Commerce (Honours) — majoring in Finance" and shows its facts', () => {
    const credential = credentialView('education', sample)
    assert.equal(credential.displayTitle, 'Bachelor of Commerce (Honours) — majoring in Finance')
    const html = card(credential)
    assert.match(html, /<h2 class="title">Bachelor of Commerce \(Honours\) — majoring in Finance<\/h2>/)
    const text = textOf(html)
    for (const expected of [
      'Qualification',
      'Issued by University of Melbourne',
      'Name John Smith',
      'Year conferred 2024',
      'Honours Yes',
      'Majors Finance',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in: ${text}`)
    }
    assert.doesNotMatch(text, /Awaiting graduation/)
  })

  it('shows an "Awaiting graduation" badge and a transcript table with caption and headers', () => {
    const fields = {
      full_name: 'Siti Rahma',
      education_provider: 'Universitas Contoh',
      course_name: 'Bachelor of Science',
      awaiting_graduation: true,
      has_majors: true,
      majors: ['Statistics', 'Computing'],
      transcript: {
        overall: { issuance_date: '2025-03-01', score: '3.72 GPA' },
        subjects: [
          { name: 'Linear Algebra', code: 'MATH201', credit: '6', score: '88', grade: 'HD', completion_date: '2024' },
          { name: 'Data Structures', code: 'COMP202', grade: 'D', completion_date: '2024-11-20' },
        ],
      },
    }
    const html = card(credentialView('education', fields))
    assert.match(html, /<span class="badge neutral">Awaiting graduation<\/span>/)
    assert.doesNotMatch(textOf(html), /Year conferred/)
    assert.match(html, /<caption>Subjects studied<\/caption>/)
    for (const column of ['Subject', 'Code', 'Credit', 'Score', 'Grade', 'Completed'])
      assert.match(html, new RegExp(`<th scope="col">${column}</th>`))
    assert.match(
      html,
      /<th scope="row">Linear Algebra<\/th><td>MATH201<\/td><td>6<\/td><td>88<\/td><td>HD<\/td><td><time datetime="2024">2024<\/time><\/td>/,
    )
    assert.match(html, /<time datetime="2024-11-20">20 November 2024<\/time>/)
    const text = textOf(html)
    assert.ok(text.includes('Transcript issued 1 March 2025'), text)
    assert.ok(text.includes('Overall score 3.72 GPA'), text)
    assert.ok(text.includes('Majors Statistics and Computing'), text)
    assert.match(html, /<section class="table-scroll table-wide" tabindex="0" aria-label="Subjects studied">/)
    // The same rows as cards, for phones: each value under its column's name, empty ones left out.
    assert.match(
      html,
      /<li><p class="card-row-title">Data Structures<\/p><dl><div><dt>Code<\/dt><dd>COMP202<\/dd><\/div><div><dt>Grade<\/dt><dd>D<\/dd><\/div><div><dt>Completed<\/dt><dd><time datetime="2024-11-20">20 November 2024<\/time><\/dd><\/div><\/dl><\/li>/,
    )
  })
})

describe('english proficiency', () => {
  it('shows the overall score on its scale, the CEFR level per skill and the sub-skills', () => {
    const fields = {
      ...batchSampleFields('english_proficiency_items')[0],
      test_scores: {
        cefr_scores: { combined: 'b2', reading: 'C1', listening: 'B2', speaking: 'B1', writing: 'pre-a1' },
        overall: { score: '100', scale: 'EnglishScore' },
        subskills: [
          { skill: 'Grammar', score: '450' },
          { skill: 'Vocabulary', score: '430' },
        ],
      },
    }
    const html = card(credentialView('english_proficiency', fields))
    const text = textOf(html)
    assert.ok(text.includes('Issued by Skill Test Provider'), text)
    assert.ok(text.includes('Overall score 100 on the EnglishScore scale'), text)
    assert.ok(text.includes('Completed 1 January 2024'), text)
    assert.ok(text.includes('Expires 1 January 2026'), text)
    assert.match(html, /<caption>CEFR level by skill<\/caption>/)
    assert.match(html, /<th scope="row">Overall<\/th><td>B2 \(Upper intermediate\)<\/td>/)
    assert.match(html, /<th scope="row">Reading<\/th><td>C1 \(Advanced\)<\/td>/)
    assert.match(html, /<th scope="row">Writing<\/th><td>Pre-A1 \(Starter\)<\/td>/)
    assert.match(html, /<th scope="row">Grammar<\/th><td>450<\/td>/)
  })

  it('lists only the skills the test measured (the batch sample: writing)', () => {
    const html = card(credentialView('english_proficiency', batchSampleFields('english_proficiency_items')[1]!))
    assert.match(html, /<th scope="row">Writing<\/th><td>A1 \(Beginner\)<\/td>/)
    assert.doesNotMatch(html, /Reading|Sub-skill/)
  })
})

describe('microcredential', () => {
  it('shows issuer with the partner chain, dates and result (partner-chain sample)', () => {
    const html = card(
      credentialView('microcredential', example('v1-microcredential-partner-chain.json').data.credential),
    )
    const text = textOf(html)
    for (const expected of [
      'Learning and development',
      'Skill Test #1',
      'Issued by ExampleProvider via Partner Organization',
      'Issued 31 August 2024',
      'Expires 31 August 2026',
      'Result 85%',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in: ${text}`)
    }
  })

  it('leaves out what was not sent (no result, no chain)', () => {
    const text = textOf(
      card(credentialView('microcredential', example('v1-microcredential-none.json').data.credential)),
    )
    assert.ok(text.includes('Issued by ExampleProvider'))
    assert.doesNotMatch(text, /Result| via /)
  })

  it('reads the chain from the issuer out to the partner', () => {
    const fields = {
      ...example('v1-microcredential-pdf.json').data.credential,
      issuer_name: 'University A',
      partner_chain: [{ name: 'ABC University Network' }, { name: 'Regional Hub' }],
    }
    assert.ok(
      textOf(card(credentialView('microcredential', fields))).includes(
        'Issued by University A via Regional Hub, ABC University Network',
      ),
    )
  })
})

describe('digital identity', () => {
  it('says in words how the document and the person were checked', () => {
    const fields = {
      full_name: 'John Doe',
      date_of_birth: '1990-04-15',
      identity_document_validity: 'government_database',
      identity_document_liveness: 'automated',
      identity_document_person_match: 'manual',
      identity_verification_level: 'standard',
    }
    const text = textOf(card(credentialView('digital_identity', fields), 'ID Check Co'))
    for (const expected of [
      'Digital identity',
      'Identity of John Doe',
      'Issued by ID Check Co',
      'Date of birth 15 April 1990',
      'Identity document Checked against a government database',
      'Liveness check Automated liveness check',
      'Match with the document Compared with the document by a reviewer',
      'Verification level Standard',
    ])
      assert.ok(text.includes(expected), `missing "${expected}" in: ${text}`)
  })

  it('has words for every value of every check the schema allows', async () => {
    const { DigitalIdentityFieldsSchema } = await import('../../../../src/modules/credential-types/digital-identity.js')
    const fields = [
      'identity_document_validity',
      'identity_document_liveness',
      'identity_document_person_match',
      'identity_verification_level',
    ] as const
    for (const field of fields) {
      const values = (DigitalIdentityFieldsSchema.properties[field] as unknown as { enum: string[] }).enum
      assert.ok(values.length > 0)
      for (const value of values) {
        const dd = /<dd>([^<]*)<\/dd>\s*$/.exec(
          card(credentialView('digital_identity', { full_name: 'J', [field]: value })).split('</dl>')[0]!,
        )?.[1]
        assert.ok(dd && dd !== value && !dd.includes('_'), `${field}=${value} rendered as "${dd}"`)
      }
    }
  })

  it('shows only the name for the batch sample', () => {
    const text = textOf(card(credentialView('digital_identity', batchSampleFields('digital_identity')[0]!)))
    assert.ok(text.includes('Name John Doe'))
    assert.doesNotMatch(text, /Liveness|Date of birth/)
  })
})

describe('right to work', () => {
  it('names the country and the work rights (v1 sample)', () => {
    const html = card(credentialView('right_to_work', example('v1-right-to-work.json').data.credential))
    assert.match(html, /<h2 class="title">Right to work in Singapore — Singapore permanent resident<\/h2>/)
    const text = textOf(html)
    assert.ok(text.includes('Country Singapore'), text)
    assert.ok(text.includes('Work rights Singapore permanent resident'), text)
  })

  it('shows unknown work rights as given, and other countries without them', () => {
    assert.ok(
      textOf(
        card(
          credentialView('right_to_work', { full_name: 'A', country: 'SG', singapore_work_rights: 'employment_pass' }),
        ),
      ).includes('Work rights employment pass'),
    )
    const text = textOf(card(credentialView('right_to_work', { full_name: 'A', country: 'AU' })))
    assert.ok(text.includes('Country Australia'))
    assert.doesNotMatch(text, /Work rights/)
  })
})

describe('career history', () => {
  it('is a timeline, newest first, current role marked, months formatted', () => {
    const html = card(credentialView('career_history', example('v2-career-history.json').fields))
    assert.match(html, /<ol class="timeline">/)
    const items = html.split('<li>').slice(1).map(textOf)
    assert.equal(items.length, 2)
    assert.ok(items[0]!.startsWith('Senior Software Engineer Current role Company B Since February 2023'), items[0])
    assert.ok(items[0]!.includes('Role classification Software Engineer'))
    assert.ok(items[0]!.includes('Data updated to May 2024'))
    assert.ok(items[1]!.startsWith('Associate Software Engineer Company A January 2020 to December 2022'), items[1])
    assert.doesNotMatch(items[1]!, /Current role/)
    assert.equal(html.match(/Current role/g)?.length, 1)
    assert.match(html, /<h3 class="subhead">Employment<\/h3>/)
    assert.match(html, /<h4 class="role">Senior Software Engineer<\/h4>/)
    assert.match(html, /<time datetime="2023-02">February 2023<\/time>/)
  })
})

describe('universal credential', () => {
  it('shows category or sub type, dates and the details', () => {
    const fields = {
      ...batchSampleFields('universal_credential_items')[0],
      credential_category: 'Professional registration',
      credential_details: {
        scope_of_practice: 'General practice',
        speciality: ['Paediatrics', 'Emergency care'],
        version: '2024.1',
        date_completed: '2024-06-30',
        place: 'Royal Hospital',
        city: 'Melbourne',
        state: 'Victoria',
        country: 'Australia',
        region: null,
      },
    }
    const text = textOf(card(credentialView('universal_credential', fields)))
    for (const expected of [
      'Licence or certificate',
      'Example Certification',
      'Issued by Example Issuer',
      'Category Professional registration',
      'Type Cert',
      'Issued 31 August 2024',
      'Expires 31 August 2026',
      'Scope of practice General practice',
      'Specialities Paediatrics and Emergency care',
      'Version 2024.1',
      'Date completed 30 June 2024',
      'Location Royal Hospital, Melbourne, Victoria, Australia',
    ])
      assert.ok(text.includes(expected), `missing "${expected}" in: ${text}`)
  })

  it('says "Does not expire" for a null expiry and nothing for an absent one', () => {
    const base = {
      full_name: 'A',
      credential_name: 'Forklift licence',
      credential_sub_type: 'Licence',
      issuer_name: 'WorkSafe',
    }
    assert.ok(
      textOf(card(credentialView('universal_credential', { ...base, expiry_date: null }))).includes(
        'Expires Does not expire',
      ),
    )
    assert.doesNotMatch(textOf(card(credentialView('universal_credential', base))), /Expires/)
  })
})

describe('escaping', () => {
  const attack = '<script>alert(1)</script>'
  it('renders a field containing <script> as text, wherever it appears', () => {
    const fields = {
      full_name: attack,
      education_provider: attack,
      course_name: attack,
      conferral_year: '2024',
      has_majors: true,
      majors: [attack],
      partner_chain: [{ name: attack }],
      transcript: {
        overall: { issuance_date: '2025-01-01', score: attack },
        subjects: [{ name: attack, code: attack, grade: attack, completion_date: '2024' }],
      },
    }
    const html = card(credentialView('education', fields, { documents: [] }))
    assert.doesNotMatch(html, /<script/i)
    assert.match(html, /&lt;script>alert\(1\)&lt;\/script>/)
    const other = card(
      credentialView('career_history', {
        full_name: 'A',
        employment: [{ organisation: attack, role_title: attack, start_date: '2024-01', last_processed_month: attack }],
      }),
    )
    assert.doesNotMatch(other, /<script/i)
  })
})

describe('fill (a template with elements in its placeholders)', () => {
  it('puts each part in its place and leaves unknown placeholders as written', () => {
    const time = h('time', { dateTime: '2024-01' }, 'January 2024')
    const html = render(h('p', null, fill('Since {month}, {month} and {other} or {constructor}', { month: time })))
    assert.equal(
      html,
      '<p>Since <time datetime="2024-01">January 2024</time>, <time datetime="2024-01">January 2024</time> and {other} or {constructor}</p>',
    )
  })
})
