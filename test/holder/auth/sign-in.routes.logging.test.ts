import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestApp } from '../../support/app.js'
import { backends } from '../../support/databases.js'
import { Browser, CODE, Outbox, RESEND, SIGN_IN, uniqueEmail } from './support.js'

for (const backend of backends()) {
  describe(`sign-in logging [${backend}]`, () => {
    const lines: string[] = []
    let t: TestApp
    before(async () => {
      t = await startTestApp(backend, { LOG_LEVEL: 'info' }, { level: 'info', lines })
    })
    after(() => t.close())

    test('no log line holds the code or the address; the outbox file is named', async () => {
      const outbox = new Outbox(t)
      const browser = new Browser(t)
      const email = uniqueEmail('private.person')
      await browser.submit(SIGN_IN, SIGN_IN, { email })
      const first = outbox.one()
      await browser.submit(CODE, CODE, { code: first.code === '000000' ? '111111' : '000000' })
      t.clock.advance(60_000)
      await browser.submit(CODE, RESEND, {})
      const second = outbox.one()
      assert.equal((await browser.submit(CODE, CODE, { code: second.code })).status, 303)
      await new Browser(t).submit(SIGN_IN, SIGN_IN, { email: `not an address ${email}` })

      assert.ok(lines.length > 5, 'the app logged')
      const sent = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'sign-in code sent')
      assert.deepEqual(
        sent.map((entry) => entry.location),
        [first.file, second.file],
      )
      assert.ok(sent.every((entry) => entry.mailer === 'outbox' && entry.location.startsWith(outbox.dir)))
      for (const line of lines) {
        for (const secret of [first.code, second.code, email, 'private.person', encodeURIComponent(email)]) {
          assert.ok(!line.includes(secret), `log line leaks ${secret}: ${line}`)
        }
      }
    })
  })
}
