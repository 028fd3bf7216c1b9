import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { h } from 'preact'
import type { Locale } from '../../../src/modules/holder/i18n/index.js'
import type { CredentialView, ReviewModel } from '../../../src/modules/holder/views/models.js'
import { ReviewPage } from '../../../src/modules/holder/views/review.js'
import { batchSampleFields, credentialView, documentView, pageContext, render, textOf } from './support.js'

// The review's summary: who sent it, in whose name, how many credentials of which kinds, where the
// documents stand, when the link expires, the warnings, and the decision named for what it does.

const micro = (name: string, extra: Record<string, unknown> = {}, documents = [documentView()]): CredentialView =>
  credentialView(
    'microcredential',
    { full_name: name, issuer_name: 'Skills Co', microcredential_name: 'Skill', issue_date: '2024-04-30', ...extra },
    { documents },
  )

const model = (credentials: CredentialView[], asOf = '2025-06-01T00:00:00Z'): ReviewModel => ({
  requestId: 'a5c0e3f4-7a51-4b5e-9d0e-5d1f0f8f3a11',
  partnerName: 'University A',
  credentials: credentials.map((c, i) => ({ ...c, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` })),
  declined: 0,
  expiresAt: new Date('2025-06-03T04:00:00Z'),
  asOf: new Date(asOf),
})

const page = (m: ReviewModel, locale: Locale = 'en', ctx = {}) =>
  render(h(ReviewPage, { ctx: pageContext(locale, ctx), model: m }))
const summaryOf = (html: string) =>
  /<section class="summary".*?<\/section>/.exec(html)?.[0] ?? assert.fail('no summary')
const acceptButton = (html: string) =>
  /<input type="hidden" name="decision" value="accept"\/><button type="submit">(.*?)<\/button>/.exec(html)?.[1]

/** The v2 batch sample's ten credentials. */
function batch(): CredentialView[] {
  return [
    credentialView('digital_identity', batchSampleFields('digital_identity')[0]!),
    ...batchSampleFields('education_items').map((f) => credentialView('education', f)),
    ...batchSampleFields('microcredential_items').map((f) => credentialView('microcredential', f)),
    ...batchSampleFields('english_proficiency_items').map((f) => credentialView('english_proficiency', f)),
    credentialView('right_to_work', batchSampleFields('right_to_work_items')[0]!),
    credentialView('career_history', batchSampleFields('career_history')[0]!),
    credentialView('universal_credential', batchSampleFields('universal_credential_items')[0]!),
  ]
}

describe('review summary', () => {
  it('says who sent it, the name once, how many of which kinds, the documents and the expiry, before the cards', () => {
    const html = page(model(batch()))
    const summary = textOf(summaryOf(html))
    for (const fact of [
      'From University A',
      'In the name of John Doe',
      'Credentials 10',
      'Qualifications (2), English proficiency (2), Learning and development (2), Digital identity, Right to work, Career history, and Licences and certificates',
      'Documents None',
      'Link expires 3 June 2025 at 04:00 UTC',
    ])
      assert.ok(summary.includes(fact), `"${fact}" in: ${summary}`)
    assert.equal(acceptButton(html), 'Accept 10 credentials')
    assert.ok(html.indexOf('class="summary"') < html.indexOf('<article class="card'), 'the summary comes first')
    assert.doesNotMatch(textOf(html.slice(html.indexOf('<article'))), /\bName\b|John Doe(?! )/, 'no name per card')
    assert.ok(textOf(html).includes('Identity of John Doe'), 'a title may still contain it')
    assert.doesNotMatch(html, /class="notice warning"/, 'nothing has expired on 1 June 2025; one name')
  })

  it('counts the documents received and shows the missing ones as a notice, not a card', () => {
    const waiting = documentView({ state: 'awaiting_upload', viewUrl: null, downloadUrl: null })
    const html = page(model([micro('Jo Lee'), micro('Jo Lee', {}, [waiting, documentView()])]))
    assert.ok(textOf(summaryOf(html)).includes('Documents 2 of 3 received'))
    assert.match(summaryOf(html), /<p class="notice info">Some documents have not arrived yet:/)
    assert.ok(textOf(summaryOf(page(model([micro('Jo Lee')])))).includes('Documents Received'))
    assert.ok(textOf(summaryOf(page(model([micro('Jo Lee'), micro('Jo Lee')])))).includes('Documents All 2 received'))
  })

  it('warns when the names differ, and highlights the name on each card', () => {
    const html = page(model([micro('John Doe'), micro('john  doe'), micro('Jane Roe')]))
    const summary = summaryOf(html)
    assert.doesNotMatch(summary, /In the name of/)
    assert.ok(
      textOf(summary).includes(
        'These credentials are not all in the same name (John Doe and Jane Roe). Accept only if each one is yours.',
      ),
      textOf(summary),
    )
    assert.equal(html.match(/<article class="card name-differs">/g)?.length, 3)
    assert.ok(textOf(html).includes('Name on this credential: Jane Roe'))
    assert.equal(html.match(/<span class="badge warn">Different name<\/span>/g)?.length, 3)
  })

  it('warns about an expired credential by title and date, and marks its card', () => {
    const english = credentialView('english_proficiency', batchSampleFields('english_proficiency_items')[0]!)
    const html = page(model([english, micro('John Doe', { expiry_date: '2030-01-01' })], '2026-06-01T00:00:00Z'))
    assert.ok(textOf(summaryOf(html)).includes('Expired: English SPEAKING (1 January 2026).'))
    assert.equal(
      html.match(/<span class="badge bad">Expired <time datetime="2026-01-01">1 January 2026<\/time><\/span>/g)?.length,
      1,
    )
    const all = page(model(batch(), '2026-12-07T00:00:00Z'))
    assert.ok(textOf(summaryOf(all)).includes('5 credentials have expired; they are marked below.'))
    // Not expired on its last day.
    assert.doesNotMatch(page(model([english], '2026-01-01T12:00:00Z')), /Expired/)
  })

  it('names the decision for what it does, pluralised in each language', () => {
    const one = model([micro('Jo Lee')])
    const two = model([micro('Jo Lee'), micro('Jo Lee')])
    assert.equal(acceptButton(page(one)), 'Accept 1 credential')
    assert.equal(acceptButton(page(two)), 'Accept 2 credentials')
    assert.equal(acceptButton(page(one, 'id')), 'Terima 1 kredensial')
    assert.equal(acceptButton(page(two, 'id')), 'Terima 2 kredensial')
    assert.equal(acceptButton(page(one, 'th')), 'ยอมรับข้อมูลรับรอง 1 รายการ')
    assert.equal(acceptButton(page(two, 'th')), 'ยอมรับข้อมูลรับรอง 2 รายการ')
  })

  it('writes the expiry in the holder’s time zone when known, in US style only when asked', () => {
    const m = model([micro('Jo Lee')])
    const expires = (locale: Locale, ctx = {}) =>
      /<time datetime="[^"]+">(.*?)<\/time><\/dd><\/dl>/.exec(page(m, locale, ctx))?.[1]
    assert.equal(expires('en', { timeZone: 'Australia/Melbourne' }), '3 June 2025 at 14:00 GMT+10')
    assert.equal(expires('en', { dateLocale: 'en-US' }), 'June 3, 2025 at 4:00 AM UTC')
    assert.equal(expires('id', { timeZone: 'Asia/Jakarta' }), '3 Juni 2025 pukul 11.00 WIB')
    assert.equal(expires('th', { timeZone: 'Asia/Bangkok' }), '3 มิถุนายน ค.ศ. 2025 เวลา 11:00 GMT+7')
  })
})
