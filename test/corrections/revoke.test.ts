import assert from 'node:assert/strict'
import { test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import { submissionItems, webhookEvents } from '../../src/db/schema.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartnerWithToken, tokenFor } from '../support/factories.js'
import { parseRedirect, statusPath } from '../support/intake-helpers.js'
import { assertProblem } from '../support/security-suite.js'
import { beforeEachHolderTest, csrfTokenIn, openLink, signedInBrowser, type Outbox } from '../holder/auth/support.js'
import { acceptedBatch, eventTypesOf, revokePath, sentBatch } from './support.js'

const REASON = 'The degree was rescinded by the academic board on 28 February 2026.'

/**
 * POST /api/partner/v2/credentials/{credential_id}/revoke over real HTTP, on both databases: an
 * accepted credential becomes `revoked` in the status API, once (a repeat answers the first
 * revocation), with one `credential.revoked` event; the holder's wallet marks it with the reason.
 */
describeEachBackend('revocation by the issuer', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('an accepted credential: revoked in the status API, idempotent, one event without the reason', async () => {
    const accepted = await acceptedBatch(t)
    const response = await t.request('POST', revokePath(accepted.credentialId), {
      json: { reason: `  ${REASON}\n` },
      token: accepted.token,
    })
    assert.equal(response.status, 200, response.text)
    const revokedAt = t.clock.now().toISOString()
    assert.deepEqual(response.body, {
      credential_id: accepted.credentialId,
      request_id: accepted.submission.id,
      status: 'revoked',
      revoked_at: revokedAt,
      reason: REASON,
    })
    const status = await t.request('GET', statusPath(accepted.id), { token: accepted.token })
    assert.equal(status.body.status, 'verified', 'the submission stays verified')
    const items = new Map(status.body.items.map((i: any) => [i.id, i.status]))
    assert.equal(items.get(accepted.credentialId), 'revoked')
    assert.equal(items.get(`${accepted.id}-micro-1`), 'accepted', 'the others stand')
    // The status of the credential itself, by its id.
    const byItem = await t.request('GET', statusPath(accepted.credentialId), { token: accepted.token })
    assert.equal(byItem.body.items.find((i: any) => i.id === accepted.credentialId).status, 'revoked')

    t.clock.advance(3_600_000)
    const again = await t.request('POST', `${revokePath(accepted.credentialId)}.json`, {
      json: { reason: 'Another reason' },
      token: accepted.token,
    })
    assert.equal(again.status, 200, again.text)
    assert.deepEqual(again.body, response.body, 'the first date and reason')
    const revokedEvents = (await eventTypesOf(t, accepted.submission.id)).filter((e) => e === 'credential.revoked')
    assert.equal(revokedEvents.length, 1)
    const [event] = await t.deps.db
      .select()
      .from(webhookEvents)
      .where(and(eq(webhookEvents.submissionId, accepted.submission.id), eq(webhookEvents.type, 'credential.revoked')))
    assert.deepEqual((event!.payload as any).data, {
      id: accepted.id,
      request_id: accepted.submission.id,
      status: 'revoked',
      credential_id: accepted.credentialId,
    })
  })

  test('not accepted (undecided) → 409; unknown → 404; another partner’s → 404 and untouched', async () => {
    const sent = await sentBatch(t)
    const undecided = await t.request('POST', revokePath(`${sent.id}-edu-1`), {
      json: { reason: REASON },
      token: sent.token,
    })
    assertProblem(undecided, 409, 'conflict')
    assert.match(undecided.body.detail, /withdraw/)
    assertProblem(
      await t.request('POST', revokePath('no-such-credential'), { json: { reason: REASON }, token: sent.token }),
      404,
      'not_found',
    )
    const accepted = await acceptedBatch(t)
    const stranger = await makePartnerWithToken(t)
    assertProblem(
      await t.request('POST', revokePath(accepted.credentialId), { json: { reason: REASON }, token: stranger.token }),
      404,
      'not_found',
    )
    const [item] = await t.deps.db
      .select()
      .from(submissionItems)
      .where(
        and(
          eq(submissionItems.submissionId, accepted.submission.id),
          eq(submissionItems.partnerItemId, accepted.credentialId),
        ),
      )
    assert.equal(item!.revokedAt, null)
  })

  test('the credential type’s write scope is needed: another write scope → 403 naming it', async () => {
    const own = await makePartnerWithToken(t)
    const accepted = await acceptedBatch(t, own.token)
    const rightToWork = await tokenFor(t, own.client, 'write.right_to_work')
    const denied = await t.request('POST', revokePath(accepted.credentialId), {
      json: { reason: REASON },
      token: rightToWork,
    })
    assertProblem(denied, 403, 'insufficient_scope')
    assert.deepEqual(denied.body.missing_scopes, ['write.education'])
    const education = await tokenFor(t, own.client, 'write.education')
    const allowed = await t.request('POST', revokePath(accepted.credentialId), {
      json: { reason: REASON },
      token: education,
    })
    assert.equal(allowed.status, 200, allowed.text)
  })

  test('the reason: required, 1 to 500 characters of plain text', async () => {
    const accepted = await acceptedBatch(t)
    for (const json of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 'a\u0000b' }]) {
      const response = await t.request('POST', revokePath(accepted.credentialId), { json, token: accepted.token })
      assertProblem(response, 400, 'validation')
    }
    const longest = await t.request('POST', revokePath(accepted.credentialId), {
      json: { reason: 'é'.repeat(500) },
      token: accepted.token,
    })
    assert.equal(longest.status, 200, longest.text)
  })

  test('the holder’s wallet keeps it, marked revoked with the reason and date, in three languages', async () => {
    const sent = await sentBatch(t)
    const link = parseRedirect(sent.redirectUri)
    const { browser } = await signedInBrowser(t, outbox)
    await openLink(browser, link)
    const confirm = await browser.submit('/holder/review', '/holder/review/decision', {
      submission: link.params.content!,
      decision: 'accept',
    })
    assert.equal(confirm.status, 200)
    await browser.request('POST', '/holder/review/decision/confirm', {
      form: { _csrf: csrfTokenIn(confirm.text), submission: link.params.content!, decision: 'accept' },
    })
    const revoked = await t.request('POST', revokePath(`${sent.id}-edu-1`), {
      json: { reason: 'Rescinded <b>by</b> the board' },
      token: sent.token,
    })
    assert.equal(revoked.status, 200, revoked.text)

    const wallet = await browser.get('/holder/wallet')
    assert.equal(wallet.status, 200)
    assert.equal(wallet.text.match(/Revoked by the issuer/g)?.length, 1, 'one row marked, the others not')
    const [item] = await t.deps.db
      .select()
      .from(submissionItems)
      .where(
        and(
          eq(submissionItems.submissionId, sent.submission.id),
          eq(submissionItems.partnerItemId, `${sent.id}-edu-1`),
        ),
      )
    const page = await browser.get(`/holder/wallet/${item!.id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Revoked by the issuer/)
    assert.match(page.text, /Rescinded &lt;b>by&lt;\/b> the board/, 'the reason as text, escaped')
    for (const [language, words] of [
      ['id', /Dicabut oleh penerbit/],
      ['th', /ถูกเพิกถอนโดยผู้ออก/],
    ] as const) {
      const translated = await browser.get(`/holder/wallet/${item!.id}?lang=${language}`)
      assert.match(translated.text, words, language)
    }
  })
})
