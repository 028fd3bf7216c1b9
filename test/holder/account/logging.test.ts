import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { eq } from 'drizzle-orm'
import { submissionItems } from '../../../src/db/schema.js'
import { type LogCapture, startTestApp, type TestApp } from '../../support/app.js'
import { backends } from '../../support/databases.js'
import { csrfTokenIn, Outbox, signedInBrowser } from '../auth/support.js'
import { acceptedCredential } from './support.js'

for (const backend of backends()) {
  describe(`holder data rights log no personal data [${backend}]`, () => {
    const logs: LogCapture = { level: 'info', lines: [] }
    let t: TestApp
    before(async () => {
      t = await startTestApp(backend, {}, logs)
    })
    after(() => t.close())

    it('export, removal and account deletion log what happened, never an address, a field value or a document', async () => {
      const { browser, email } = await signedInBrowser(t, new Outbox(t))
      const kept = await acceptedCredential(t, browser)
      const removed = await acceptedCredential(t, browser)
      const [item] = await t.deps.db
        .select()
        .from(submissionItems)
        .where(eq(submissionItems.submissionId, removed.requestId))
      logs.lines.length = 0

      const page = await browser.get('/holder/account')
      const exported = await browser.post('/holder/account/export', { _csrf: csrfTokenIn(page.text) })
      assert.equal(exported.status, 200)
      const remove = await browser.post(`/holder/account/remove/${item!.id}`, { _csrf: csrfTokenIn(page.text) })
      assert.equal(remove.status, 303)
      const deleted = await browser.post('/holder/account/delete', {
        _csrf: csrfTokenIn(page.text),
        confirm: 'delete-my-account',
      })
      assert.equal(deleted.status, 303)

      const messages = logs.lines.map((line) => JSON.parse(line).msg)
      for (const expected of [
        'holder exported their data',
        'holder removed a credential',
        'holder deleted their account',
      ])
        assert.ok(messages.includes(expected), `logged: ${expected}`)
      const text = logs.lines.join('\n')
      for (const secret of [email, ...Object.values(kept.values), ...Object.values(removed.values), kept.pdf.marker])
        assert.ok(!text.includes(secret), `the logs name ${secret}`)
    })
  })
}
