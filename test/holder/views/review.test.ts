import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { h } from 'preact'
import {
  AlreadyBoundPage,
  ExpiredPage,
  LinkNotFoundPage,
  OutcomePage,
} from '../../../src/modules/holder/views/outcome.js'
import { ConfirmPage, ReviewPage } from '../../../src/modules/holder/views/review.js'
import type { CredentialView, ReviewModel } from '../../../src/modules/holder/views/models.js'
import {
  batchSampleFields,
  credentialView,
  CSRF,
  documentView,
  example,
  headingLevels,
  pageContext,
  render,
  textOf,
} from './support.js'

/** Every credential of the v2 batch sample, as the review page receives them. */
function batchCredentials(): CredentialView[] {
  const [micro1, micro2] = batchSampleFields('microcredential_items')
  return [
    credentialView('digital_identity', batchSampleFields('digital_identity')[0]!),
    ...batchSampleFields('education_items').map((fields) => credentialView('education', fields)),
    credentialView('microcredential', micro1!, {
      documents: [documentView({ state: 'awaiting_upload', viewUrl: null, downloadUrl: null })],
    }),
    credentialView('microcredential', micro2!, { documents: [documentView({ assetType: 'png' })] }),
    ...batchSampleFields('english_proficiency_items').map((fields) => credentialView('english_proficiency', fields)),
    credentialView('right_to_work', batchSampleFields('right_to_work_items')[0]!),
    credentialView('career_history', batchSampleFields('career_history')[0]!),
    credentialView('universal_credential', batchSampleFields('universal_credential_items')[0]!),
  ]
}

const REQUEST_ID = '8b288949-6167-4b6b-b070-6b19ec984f03'
/** Credport's id of the `i`th credential of a model. */
const itemId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
const model = (credentials = batchCredentials()): ReviewModel => ({
  requestId: REQUEST_ID,
  partnerName: 'ABC University Network',
  credentials: credentials.map((c, i) => ({ ...c, id: itemId(i) })),
  declined: 0,
  expiresAt: new Date('2026-01-03T12:00:00Z'),
  asOf: new Date('2026-01-01T12:00:00Z'),
})
const reviewHtml = (locale: 'en' | 'id' | 'th' = 'en', m = model()) =>
  render(h(ReviewPage, { ctx: pageContext(locale), model: m }))

describe('review page', () => {
  it('names the partner and the number of credentials, and shows every credential', () => {
    const html = reviewHtml()
    assert.match(
      html,
      /<h1 class="review-title">ABC University Network wants to add 10 credentials to your wallet<\/h1>/,
    )
    assert.equal(html.match(/<article class="card">/g)?.length, 10)
    for (const title of [
      'Identity of John Doe',
      'BSc — majoring in IT',
      'AI Essentials',
      'AI Advanced',
      'English WRITING',
      'Senior Software Engineer at Company A',
      'Example Certification',
    ]) {
      assert.ok(html.includes(`<h3 class="title">${title}</h3>`), title)
    }
  })

  it('uses the singular for one credential', () => {
    const html = reviewHtml(
      'en',
      model([credentialView('right_to_work', example('v1-right-to-work.json').data.credential)]),
    )
    assert.match(html, /<h1 class="review-title">ABC University Network wants to add 1 credential to your wallet<\/h1>/)
  })

  it('has an accept and a decline form, each posting the decision with the CSRF token', () => {
    const html = reviewHtml()
    const forms = [
      ...html.matchAll(/<form method="post" action="\/holder\/review\/decision"(?: id="accept-form")?>(.*?)<\/form>/g),
    ].map((m) => m[1]!)
    assert.equal(forms.length, 2)
    const [accept, decline] = forms
    assert.match(accept!, new RegExp(`<input type="hidden" name="_csrf" value="${CSRF}"/>`))
    assert.match(
      accept!,
      /<input type="hidden" name="decision" value="accept"\/><button type="submit">Accept 10 credentials<\/button>/,
    )
    assert.match(decline!, new RegExp(`<input type="hidden" name="_csrf" value="${CSRF}"/>`))
    assert.match(
      decline!,
      /<input type="hidden" name="decision" value="decline"\/><button type="submit" class="danger">Decline<\/button>/,
    )
  })

  it('tells, only when asked, that a decision from an older page named another request and changed nothing', () => {
    const notice =
      'Nothing was changed: that decision was for a request you opened earlier. This is the request open now.'
    assert.ok(!textOf(reviewHtml()).includes('Nothing was changed'))
    const html = render(h(ReviewPage, { ctx: pageContext('en'), model: model(), otherRequest: true }))
    assert.ok(html.includes(`<p class="notice info" role="status">${notice}</p>`), html.slice(0, 600))
    assert.ok(html.indexOf(notice) < html.indexOf('<h1'), 'the notice comes before the heading')
  })

  it('says when the request expires, in UTC with the zone named, and that some documents are still awaited', () => {
    const html = reviewHtml()
    const summary = textOf(/<section class="summary".*?<\/section>/.exec(html)![0])
    assert.ok(summary.includes('Link expires 3 January 2026 at 12:00 UTC'), summary)
    assert.match(html, /<p class="notice info">Some documents have not arrived yet:/)
    assert.ok(!textOf(reviewHtml('en', model(batchCredentials().slice(0, 2)))).includes('have not arrived'))
  })

  it('has headings in order, no inline script or style, and the page language', () => {
    const html = reviewHtml()
    const levels = headingLevels(html)
    assert.equal(levels[0], 1)
    levels.forEach((level, i) => assert.ok(i === 0 || level <= levels[i - 1]! + 1, `h${levels[i - 1]} then h${level}`))
    // Two external scripts, allowed by the nonce: one tells later pages the holder's time zone, the
    // other keeps the decision's counts in step with the checkboxes.
    assert.deepEqual(html.match(/<script[^>]*>/g), [
      '<script nonce="bm9uY2U=" src="/holder/static/time-zone.js" defer>',
      '<script nonce="bm9uY2U=" src="/holder/static/review-selection.js" defer>',
    ])
    assert.doesNotMatch(html, /style=|onclick|onload|<iframe|<embed|<object/i)
    assert.match(html, /<html lang="en">/)
  })

  it('is in Thai and Indonesian, with their lang attributes', () => {
    const th = reviewHtml('th')
    assert.match(th, /<html lang="th">/)
    assert.match(
      th,
      /<h1 class="review-title">ABC University Network ต้องการเพิ่มข้อมูลรับรอง 10 รายการลงในกระเป๋าของคุณ<\/h1>/,
    )
    assert.match(th, /<button type="submit">ยอมรับข้อมูลรับรอง 10 รายการ<\/button>/)
    assert.ok(textOf(th).includes('สิทธิในการทำงานในสิงคโปร์ — ผู้มีถิ่นที่อยู่ถาวรในสิงคโปร์'))
    const id = reviewHtml('id')
    assert.match(id, /<html lang="id">/)
    assert.match(
      id,
      /<h1 class="review-title">ABC University Network ingin menambahkan 10 kredensial ke dompet Anda<\/h1>/,
    )
    assert.match(id, /<button type="submit" class="danger">Tolak<\/button>/)
    assert.ok(textOf(id).includes('Diterbitkan oleh University of Melbourne'))
  })
})

describe('confirmation step', () => {
  for (const decision of ['accept', 'decline'] as const) {
    it(`confirms "${decision}" by posting it with the CSRF token, with a way back`, () => {
      const html = render(
        h(ConfirmPage, {
          ctx: pageContext(),
          decision,
          partnerName: 'ABC University Network',
          accepted: decision === 'accept' ? model().credentials.slice(0, 3) : [],
          declined: decision === 'accept' ? [] : model().credentials.slice(0, 3),
          requestId: REQUEST_ID,
        }),
      )
      const form = /<form method="post" action="\/holder\/review\/decision\/confirm">(.*?)<\/form>/.exec(html)?.[1]
      assert.ok(form, 'confirm form')
      assert.match(form, new RegExp(`name="_csrf" value="${CSRF}"`))
      assert.match(form, new RegExp(`name="decision" value="${decision}"`))
      assert.match(form, new RegExp(`name="submission" value="${REQUEST_ID}"`))
      const named = [...form.matchAll(/name="item" value="([^"]+)"/g)].map((m) => m[1])
      assert.deepEqual(named, decision === 'accept' ? [itemId(0), itemId(1), itemId(2)] : [])
      assert.match(html, /<a class="button secondary" href="\/holder\/review">Go back<\/a>/)
      assert.match(
        html,
        decision === 'accept'
          ? /<h1>Add these 3 credentials to your wallet\?<\/h1>/
          : /<h1>Decline this request\?<\/h1>/,
      )
      assert.ok(
        textOf(html).includes(
          decision === 'accept'
            ? 'ABC University Network will be told that you accepted'
            : 'ABC University Network will be told that you declined',
        ),
      )
    })
  }
})

describe('per-item consent on the review and its confirmation', () => {
  it('every credential has a checkbox of the accept form, selected by default, named by its title', () => {
    const html = reviewHtml()
    const boxes = [
      ...html.matchAll(/<input type="checkbox" name="item" value="([^"]+)" form="accept-form" checked\/>/g),
    ]
    assert.deepEqual(
      boxes.map((m) => m[1]),
      model().credentials.map((c) => c.id),
    )
    assert.match(html, /<form method="post" action="\/holder\/review\/decision" id="accept-form">/)
    assert.match(html, /<input type="hidden" name="choice" value="items"\/>/)
    assert.match(html, /<fieldset class="choices"><legend><h2>Check each credential<\/h2><\/legend>/)
    assert.match(
      html,
      /<p id="selection" class="selection" aria-live="polite" data-summary="Accept \{accepted\}, decline \{declined\}"/,
    )
    assert.match(html, /<script nonce="[^"]+" src="\/holder\/static\/review-selection.js" defer><\/script>/)
    for (const locale of ['id', 'th'] as const)
      assert.ok(!reviewHtml(locale).includes('>Accept<'), `${locale}: the checkbox label is translated`)
  })

  it('accepting some: "Accept 8, decline 2?", the declined titles, the accepted ids posted', () => {
    const credentials = model().credentials
    const html = render(
      h(ConfirmPage, {
        ctx: pageContext(),
        decision: 'accept',
        partnerName: 'ABC University Network',
        accepted: credentials.slice(2),
        declined: credentials.slice(0, 2),
        requestId: REQUEST_ID,
      }),
    )
    assert.match(html, /<h1>Accept 8, decline 2\?<\/h1>/)
    assert.match(html, /<button type="submit">Yes, accept 8 and decline 2<\/button>/)
    const named = [...html.matchAll(/name="item" value="([^"]+)"/g)].map((m) => m[1])
    assert.deepEqual(
      named,
      credentials.slice(2).map((c) => c.id),
    )
    assert.equal(html.match(/<ul class="declined-list">(.*?)<\/ul>/)?.[1]?.match(/<li>/g)?.length, 2)
  })

  it('accepting none: the decline of the whole request, said so', () => {
    const html = render(
      h(ConfirmPage, {
        ctx: pageContext(),
        decision: 'accept',
        partnerName: 'ABC University Network',
        accepted: [],
        declined: model().credentials,
        requestId: REQUEST_ID,
      }),
    )
    assert.match(html, /<h1>Decline this request\?<\/h1>/)
    assert.ok(textOf(html).includes('You did not select any credential, so confirming declines the whole request.'))
    assert.match(html, /name="decision" value="decline"/)
    assert.doesNotMatch(html, /name="item"/)
  })
})

describe('outcome and link pages', () => {
  const ctx = pageContext()
  it('after accepting: how many were added, and a link to the wallet', () => {
    const html = render(h(OutcomePage, { ctx, outcome: 'verified', partnerName: 'ABC', count: 3 }))
    assert.ok(textOf(html).includes('3 credentials from ABC are now in your wallet.'))
    assert.match(html, /<a class="button" href="\/holder\/wallet">Open my wallet<\/a>/)
    assert.ok(
      textOf(render(h(OutcomePage, { ctx, outcome: 'verified', partnerName: 'ABC', count: 1 }))).includes(
        '1 credential from ABC is now in your wallet.',
      ),
    )
  })

  it('after declining: nothing added, the partner told', () => {
    const text = textOf(render(h(OutcomePage, { ctx, outcome: 'canceled', partnerName: 'ABC', count: 3 })))
    assert.ok(
      text.includes('Nothing was added, and the details ABC sent were deleted; ABC has been told you declined.'),
    )
    assert.match(
      render(h(OutcomePage, { ctx, outcome: 'canceled', partnerName: 'ABC', count: 3 })),
      /href="\/holder\/wallet"/,
    )
  })

  it('expired, already bound and not found links explain themselves', () => {
    const day2 = 48 * 3_600_000
    const expired = textOf(render(h(ExpiredPage, { ctx, partnerName: 'ABC', ttlMs: day2 })))
    assert.ok(expired.includes('stay open for 48 hours') && expired.includes('ask ABC to send you a new link'))
    assert.ok(
      textOf(render(h(ExpiredPage, { ctx, ttlMs: day2 }))).includes('ask the organisation that sent you the link'),
    )
    // The lifetime the operator set (SUBMISSION_TTL), in each language.
    assert.ok(textOf(render(h(ExpiredPage, { ctx, ttlMs: 90 * 60_000 }))).includes('stay open for 90 minutes'))
    assert.ok(textOf(render(h(ExpiredPage, { ctx: pageContext('id'), ttlMs: 3_600_000 }))).includes('selama 1 jam'))
    assert.ok(textOf(render(h(ExpiredPage, { ctx: pageContext('th'), ttlMs: 7 * 24 * 3_600_000 }))).includes('7 วัน'))
    const bound = textOf(render(h(AlreadyBoundPage, { ctx, partnerName: 'ABC' })))
    assert.ok(bound.includes('This link was already opened by another person') && bound.includes('contact ABC'))
    assert.match(render(h(LinkNotFoundPage, { ctx })), /<h1>We could not find this request<\/h1>/)
    assert.match(render(h(LinkNotFoundPage, { ctx: pageContext('th') })), /<h1>ไม่พบคำขอนี้<\/h1>/)
  })
})
