import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ALL_SCOPES } from '../../../src/modules/oauth/scopes.js'
import { browserSkipReason } from '../../support/browser.js'
import { assertCleanPage, browserSuite } from './support.js'

/**
 * The API reference at /docs (Swagger UI) in Chromium, under the strict policy the server sends
 * for it: every documented operation and webhook event is shown, with its error answers and scopes, and the page
 * breaks no rule of its Content-Security-Policy and throws no script error.
 */

describe('API reference (/docs) in Chromium [pglite]', { skip: browserSkipReason() }, () => {
  const suite = browserSuite()

  it('renders every documented operation under a CSP without inline scripts or styles, with no violation', async () => {
    const t = suite.app()
    const reader = await suite.holder('docs.reader')
    const response = await reader.page.goto(reader.url('/docs'))
    assert.equal(response?.status(), 200)
    const csp = (await response?.headerValue('content-security-policy')) ?? ''
    assert.match(csp, /script-src 'self'(;|$)/, csp)
    assert.match(csp, /style-src 'self'(;|$)/, csp)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, csp)
    assert.equal(await reader.page.title(), 'Credport partner API reference')

    const document = (await t.request('GET', '/openapi.json')).body
    const operations = (items: object) => Object.values(items).flatMap((item) => Object.keys(item as object)).length
    // The paths' operations, and the webhook events (Swagger UI shows OpenAPI 3.1 `webhooks` as operations too).
    const documented = operations(document.paths) + operations(document.webhooks)
    await reader.page.locator('.opblock').first().waitFor()
    assert.equal(await reader.page.locator('.opblock').count(), documented)
    const verified = reader.page.locator('.opblock', { hasText: 'submission.verified' }).first()
    assert.match(await verified.innerText(), /the holder accepted/)
    assertCleanPage(reader)
  })

  it('an operation shows its problem answers; Authorize lists every scope', async () => {
    const reader = await suite.holder('docs.scopes')
    await reader.goto('/docs')
    const batch = reader.page.locator('.opblock', { hasText: '/api/partner/v2/add/requests/batch.json' }).first()
    // A DOM click: deep linking changes the fragment, which a Playwright click would wait on as a navigation.
    await batch.locator('.opblock-summary-control').evaluate((button) => (button as HTMLElement).click())
    const responses = batch.locator('.responses-table').first()
    await responses.waitFor()
    for (const status of ['201', '400', '401', '403', '409', '413', '415', '429']) {
      assert.equal(await responses.locator(`tr.response[data-code="${status}"]`).count(), 1, status)
    }
    assert.match(await responses.locator('tr.response[data-code="409"]').innerText(), /Id already used/)
    assert.match(await responses.innerText(), /application\/problem\+json/)

    await reader.page
      .locator('button.authorize')
      .first()
      .evaluate((button) => (button as HTMLElement).click())
    const dialog = reader.page.locator('.dialog-ux')
    await dialog.waitFor()
    const text = await dialog.innerText()
    for (const scope of ALL_SCOPES) assert.ok(text.includes(scope), `${scope} in the Authorize dialog`)
    assertCleanPage(reader)
  })
})
