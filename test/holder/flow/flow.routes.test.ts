import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import { makePartnerWithToken, tokenFor } from '../../support/factories.js'
import { freshBatch, parseRedirect, statusPath, V2_BATCH } from '../../support/intake-helpers.js'
import {
  type Browser,
  beforeEachHolderTest,
  csrfTokenIn,
  openLink,
  type Outbox,
  signedInBrowser,
} from '../auth/support.js'

/** A new partner's sample batch: the link's parts, its partner id and a token reading its status. */
async function submitted(t: TestApp) {
  const { client, token } = await makePartnerWithToken(t)
  const { id, body } = freshBatch()
  const created = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(created.status, 201, created.text)
  const status = async () =>
    (await t.request('GET', statusPath(id), { token: await tokenFor(t, client) })).body.status as string
  return { link: parseRedirect(created.body.redirect_uri), status }
}

/** Opens a holder link the way its landing page does (POST of the `#` part). */
function open(browser: Browser, link: ReturnType<typeof parseRedirect>) {
  return openLink(browser, link)
}

/** Chooses a decision on the review page, then confirms it on the confirmation page. */
async function decide(browser: Browser, submission: string, decision: 'accept' | 'decline') {
  const confirm = await browser.submit('/holder/review', '/holder/review/decision', { submission, decision })
  assert.equal(confirm.status, 200)
  return browser.request('POST', '/holder/review/decision/confirm', {
    form: { _csrf: csrfTokenIn(confirm.text), submission, decision },
  })
}

// The holder pages over HTTP, without a browser: binding, accepting and declining through the
// submissions lifecycle (the browser tests walk the same pages in Chromium).
describeEachBackend('holder review and consent', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('accept: the first holder is bound, decides once, and finds the credentials in the wallet', async () => {
    const { link, status } = await submitted(t)
    const { browser } = await signedInBrowser(t, outbox)
    assert.equal((await open(browser, link)).location, '/holder/review')
    assert.equal((await browser.get('/holder/review')).status, 200)

    const done = await decide(browser, link.params.content!, 'accept')
    assert.equal(done.location, '/holder/done')
    assert.equal((await browser.get('/holder/done')).status, 200)
    assert.equal(await status(), 'verified')
    // The link opened again: the wallet, saying why it is shown.
    assert.equal((await open(browser, link)).location, '/holder/review')
    assert.equal((await browser.get('/holder/review')).location, '/holder/wallet?notice=accepted')
    const again = await browser.get('/holder/wallet?notice=accepted')
    assert.match(again.text, /<p class="notice info" role="status">You have already accepted this request/)
    const wallet = await browser.get('/holder/wallet')
    assert.equal(wallet.status, 200)
    assert.match(wallet.text, /University of Melbourne/)
    assert.doesNotMatch(wallet.text, /already accepted/)
  })

  test('another holder is refused; a decision sent again after declining changes nothing', async () => {
    const { link, status } = await submitted(t)
    const first = (await signedInBrowser(t, outbox)).browser
    await open(first, link)
    assert.equal((await first.get('/holder/review')).status, 200, 'bound to the first holder')

    const second = (await signedInBrowser(t, outbox)).browser
    await open(second, link)
    assert.equal((await second.get('/holder/review')).status, 403, 'someone else’s submission')

    const confirm = await first.submit('/holder/review', '/holder/review/decision', {
      submission: link.params.content!,
      decision: 'decline',
    })
    const confirmToken = csrfTokenIn(confirm.text)
    const confirmForm = { _csrf: confirmToken, submission: link.params.content! }
    const declined = await first.request('POST', '/holder/review/decision/confirm', {
      form: { ...confirmForm, decision: 'decline' },
    })
    assert.equal(declined.location, '/holder/done')
    assert.equal(await status(), 'canceled')
    // The same confirmation form sent again, now accepting: refused by the lifecycle, shown as done.
    const again = await first.request('POST', '/holder/review/decision/confirm', {
      form: { ...confirmForm, decision: 'accept' },
    })
    assert.equal(again.location, '/holder/done')
    assert.equal(await status(), 'canceled')
    assert.equal((await first.get('/holder/done')).status, 200)
    assert.deepEqual(t.takeErrorLogs(), [])
  })
})
