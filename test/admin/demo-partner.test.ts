import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { DEMO_CLIENT_FILE, deliverDemoCredentials } from '../../src/modules/admin/demo-partner.js'

// Which branch a real server takes depends on whether its standard output is a terminal; the
// non-terminal one is run end to end in test/e2e/data-at-rest.test.ts, both are checked here.
describe('the demo client’s secret at the first start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-demo-'))
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }))
  const credentials = {
    partner_id: 'p',
    client_id: 'cpc_demo',
    client_secret: 'cps_secret_value',
    scopes: ['write.education'],
  }
  const file = path.join(dataDir, DEMO_CLIENT_FILE)

  it('on a terminal: printed with a curl command, and written nowhere', () => {
    const text = deliverDemoCredentials(credentials, { publicUrl: 'http://x.test', dataDir, terminal: true })
    assert.match(text, /client_secret: cps_secret_value/)
    assert.match(text, /curl -s http:\/\/x\.test\/api\/partner\/v1\/oauth\/token\.json/)
    assert.ok(!fs.existsSync(file))
  })

  it('otherwise: written to a 0600 file (replacing an older one) that standard output only names', () => {
    fs.writeFileSync(file, 'stale', { mode: 0o644 })
    const text = deliverDemoCredentials(credentials, { publicUrl: 'http://x.test', dataDir, terminal: false })
    assert.ok(!text.includes('cps_secret_value'))
    assert.ok(text.includes(file))
    assert.equal(fs.statSync(file).mode & 0o777, 0o600)
    const written = fs.readFileSync(file, 'utf8')
    assert.match(written, /client_id: +cpc_demo/)
    assert.match(written, /client_secret: cps_secret_value/)
    assert.match(written, /-d client_secret=cps_secret_value/)
  })
})
