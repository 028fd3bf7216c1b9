import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkWebhookSecretKey, SecretBox, WebhookSecretKeyMismatchError } from '../../src/modules/webhooks/index.js'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { WEBHOOKS } from './support.js'

describeEachBackend('start-up check of the webhook secret key', (use) => {
  test('the key that sealed the secrets passes; another is refused once an endpoint exists', async () => {
    const t = use()
    // The app's own start ran the check with its key: it passes again.
    await checkWebhookSecretKey(t.deps.db, t.deps.secretBox)
    const other = new SecretBox('another key of at least thirty-two characters')

    // No endpoint yet: nothing is sealed, so either key is adopted in turn.
    await checkWebhookSecretKey(t.deps.db, other)
    await checkWebhookSecretKey(t.deps.db, t.deps.secretBox)

    const { token } = await makePartnerWithToken(t)
    const created = await t.request('POST', WEBHOOKS, { token, json: { url: 'https://hooks.example.com/a' } })
    assert.equal(created.status, 201, created.text)
    await assert.rejects(checkWebhookSecretKey(t.deps.db, other), (error: unknown) => {
      assert.ok(error instanceof WebhookSecretKeyMismatchError)
      assert.match(error.message, /same WEBHOOK_SECRET_KEY/)
      return true
    })
    await checkWebhookSecretKey(t.deps.db, t.deps.secretBox)
  })
})
