import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { buildApp, loggerOptions } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import { createDeps } from '../../../src/deps.js'
import { ManualClock } from '../../../src/lib/clock.js'
import { httpRequest, type TestApp } from '../../support/app.js'
import { backends, freshDatabase } from '../../support/databases.js'
import { Browser, CODE, Outbox, RESEND, SIGN_IN, uniqueEmail } from './support.js'

/** The real app with LOG_LEVEL=info and every log line captured (startTestApp runs silent). */
async function startLoggedApp(backend: 'pglite' | 'postgres', lines: string[]): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-test-'))
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://credport.test', LOG_LEVEL: 'info' })
  const clock = new ManualClock(new Date())
  const deps = await createDeps(config, { clock, database: await freshDatabase(backend) })
  const app = await buildApp(deps, {
    logger: { ...(loggerOptions('info') as object), stream: { write: (line: string) => void lines.push(line) } },
  })
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    backend,
    app,
    deps,
    clock,
    config,
    baseUrl,
    request: (method, url, options = {}) => httpRequest(baseUrl, method, url, options),
    takeErrorLogs: () => lines.filter((line) => JSON.parse(line).level >= 50),
    async close() {
      await app.close()
      await deps.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

for (const backend of backends()) {
  describe(`sign-in logging [${backend}]`, () => {
    const lines: string[] = []
    let t: TestApp
    before(async () => {
      t = await startLoggedApp(backend, lines)
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
