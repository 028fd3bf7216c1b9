import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { fileURLToPath } from 'node:url'
import { BATCH_SAMPLE_ID, example } from '../support/intake-helpers.js'
import { acceptedBatch } from './support.js'

const run = promisify(execFile)
const WITHDRAWN_ID = '7b1e4c2a-0f5d-4e8b-a3c6-2d9f8e1b5a47'

/**
 * The README's “Correcting what you sent” commands, run as printed with bash and curl against a
 * real server: the sample batch accepted by a holder (its degree is revoked); the script sends a
 * copy under another id itself, and withdraws it.
 */
describeEachBackend('README: withdraw and revoke with curl', (use) => {
  test('the printed commands withdraw one submission and revoke one credential', async () => {
    const t = use()
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('## Correcting what you sent'))
    const script = /```sh\n([\s\S]*?)```/.exec(section)![1]!

    const { token } = await makePartnerWithToken(t)
    await acceptedBatch(t, token, example('v2-batch.json'))

    const { stdout } = await run('bash', ['-e', '-c', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, CREDPORT: t.baseUrl, TOKEN: token },
    })
    const [withdrawn, revoked] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    assert.equal(withdrawn.id, WITHDRAWN_ID)
    assert.equal(withdrawn.status, 'canceled')
    assert.ok(withdrawn.items.every((item: { status: string }) => item.status === 'canceled'))
    assert.equal(revoked.credential_id, `${BATCH_SAMPLE_ID}-edu-1`)
    assert.equal(revoked.status, 'revoked')
    assert.match(revoked.reason, /rescinded by the academic board/)
  })
})
