import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../support/intake-helpers.js'
import { beforeEachHolderTest, csrfTokenIn, openLink, type Outbox, signedInBrowser } from '../holder/auth/support.js'

const run = promisify(execFile)
const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..')

describeEachBackend('README: verify a share link', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('the README’s jose example runs as printed with plain node and verifies a live link', async (context) => {
    const { browser } = await signedInBrowser(t, outbox)
    const { token } = await makePartnerWithToken(t)
    const created = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
    const link = parseRedirect(created.body.redirect_uri)
    await openLink(browser, link)
    const submission = link.params.content!
    const confirm = await browser.submit('/holder/review', '/holder/review/decision', {
      submission,
      decision: 'accept',
    })
    await browser.request('POST', '/holder/review/decision/confirm', {
      form: { _csrf: csrfTokenIn(confirm.text), submission, decision: 'accept' },
    })
    // From here on the instance's public address is where the test server really is, so the
    // example's pinned issuer is reachable (the key set is fetched from it).
    const config = t.config as { publicUrl: string }
    const publicUrl = config.publicUrl
    config.publicUrl = t.baseUrl
    context.after(() => {
      config.publicUrl = publicUrl
    })
    const form = await browser.get('/holder/share-links/new')
    const item = /name="item" value="([^"]+)"/.exec(form.text)![1]!
    const made = await browser.submit('/holder/share-links/new', '/holder/share-links', {
      label: 'README',
      expiry: '7d',
      item,
    })
    assert.equal(made.status, 201)
    const url = /id="share-url" class="share-url" value="([^"]+)"/.exec(made.text)![1]!

    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Verify a share link'))
    const code = /```js\n([\s\S]*?)```/.exec(section)![1]!
    // In the project folder, so that `jose` resolves from its node_modules.
    const file = path.join(PROJECT_ROOT, `.readme-verify-${process.pid}.mjs`)
    fs.writeFileSync(file, code)
    try {
      const { stdout } = await run(process.execPath, [file, url], {
        env: { PATH: process.env.PATH ?? '', CREDPORT_ISSUER: t.baseUrl },
      })
      const lines = stdout.trim().split('\n')
      assert.match(lines[0]!, /^valid until \d{4}-\d\d-\d\dT.*Z: /)
      assert.equal(lines.length, 2)
      assert.match(lines[1]!, /^valid \S/)
      // A forged issuer is refused.
      await assert.rejects(
        run(process.execPath, [file, url], {
          env: { PATH: process.env.PATH ?? '', CREDPORT_ISSUER: 'http://other.test' },
        }),
      )
    } finally {
      fs.rmSync(file, { force: true })
    }
  })
})
