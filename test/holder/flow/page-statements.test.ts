// What a signed-in holder's review and wallet pages cost the database: the statements one page
// load sends (the holder-review and holder-wallet rows of `npm run bench` load these pages at 50
// holders at once): one statement reads the session and what the page shows; nothing is written.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import { makePartnerWithToken } from '../../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../../support/intake-helpers.js'
import {
  type Browser,
  beforeEachHolderTest,
  csrfTokenIn,
  openLink,
  type Outbox,
  signedInBrowser,
} from '../auth/support.js'

/**
 * Records the text of every statement the app's database client is sent while `load` runs: the
 * real driver still runs each one (node-postgres pool or PGlite), this only writes down its text.
 */
async function statementsOf(t: TestApp, load: () => Promise<void>): Promise<string[]> {
  const client = (t.deps.db as unknown as { $client: Record<string, unknown> }).$client
  const seen: string[] = []
  const originals = new Map<string, (...args: unknown[]) => unknown>()
  for (const method of ['query', 'exec']) {
    const original = client[method]
    if (typeof original !== 'function') continue
    originals.set(method, original as (...args: unknown[]) => unknown)
    client[method] = function (this: unknown, first: unknown, ...rest: unknown[]) {
      seen.push(typeof first === 'string' ? first : String((first as { text?: string }).text))
      return (original as (...args: unknown[]) => unknown).call(this, first, ...rest)
    }
  }
  try {
    await load()
  } finally {
    for (const [method, original] of originals) client[method] = original
  }
  return seen
}

/** A new partner's sample batch opened by `browser` (its review is then the page shown). */
async function openedBatch(t: TestApp, browser: Browser): Promise<string> {
  const { token } = await makePartnerWithToken(t)
  const created = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
  assert.equal(created.status, 201, created.text)
  const link = parseRedirect(created.body.redirect_uri)
  assert.equal((await openLink(browser, link)).location, '/holder/review')
  return link.params.content!
}

describeEachBackend('holder pages: the statements one page load sends', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('review and wallet: one statement reads the session and the page', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const first = await openedBatch(t, browser)
    const confirm = await browser.submit('/holder/review', '/holder/review/decision', {
      submission: first,
      decision: 'accept',
    })
    const done = await browser.request('POST', '/holder/review/decision/confirm', {
      form: { _csrf: csrfTokenIn(confirm.text), submission: first, decision: 'accept' },
    })
    assert.equal(done.location, '/holder/done')
    await openedBatch(t, browser)
    // The review binds the submission on its first load, and on PGlite a page's first load
    // prepares its statement (PREPARE, then EXECUTE each time): the loads measured are the next ones.
    assert.equal((await browser.get('/holder/review')).status, 200)
    assert.equal((await browser.get('/holder/wallet')).status, 200)

    for (const [page, marker] of [
      ['/holder/review', /name="submission"/],
      ['/holder/wallet', /href="\/holder\/wallet\/[0-9a-f-]{36}"/],
    ] as const) {
      let html = ''
      const statements = await statementsOf(t, async () => {
        const response = await browser.get(page)
        assert.equal(response.status, 200)
        html = response.text
      })
      assert.match(html, marker)
      assert.equal(statements.length, 1, `${page} sent:\n${statements.join('\n')}`)
      assert.ok(
        statements.every((text) => /^\s*(select|with|execute)\b/i.test(text)),
        `${page} writes nothing:\n${statements.join('\n')}`,
      )
    }
  })
})
