import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import {
  freePort,
  PROJECT_ROOT,
  readDemoClient,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js'

/**
 * The partner commands of the installed `credport` binary (bin/credport.js), run as processes
 * against a real server process: token, submit with document uploads, status, wait, and the exit
 * codes the README documents.
 */

const run = promisify(execFile)

describe('the credport binary as a partner uses it', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-partner-cli-'))
  let server: ServerProcess
  let env: Record<string, string>
  let url: string

  async function credport(args: string[], extra: Record<string, string> = {}) {
    try {
      const { stdout, stderr } = await run(process.execPath, ['bin/credport.js', ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env, ...extra },
      })
      return { code: 0, stdout, stderr }
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string }
      return { code: e.code, stdout: e.stdout, stderr: e.stderr }
    }
  }

  before(async () => {
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    server = await startServerProcess({ DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: url })
    const demo = readDemoClient(dataDir)
    env = { CREDPORT_URL: url, CREDPORT_CLIENT_ID: demo.client_id, CREDPORT_CLIENT_SECRET: demo.client_secret }
  })
  after(async () => {
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('token prints a working access token; --json its expiry and scopes', async () => {
    const plain = await credport(['token'])
    assert.equal(plain.code, 0, plain.stderr)
    const token = plain.stdout.trim()
    const me = await fetch(`${url}/api/partner/v1/me.json`, { headers: { authorization: `Bearer ${token}` } })
    assert.equal(me.status, 200)
    const json = JSON.parse((await credport(['token', '--json'])).stdout)
    assert.match(json.scope, /write\.education/)
    assert.ok(Date.parse(json.expires_at) > Date.now())
  })

  it('submit uploads every --asset and prints the redirect link; status shows them received', async () => {
    const id = `cli-${Date.now()}`
    const sample = fs.readFileSync(path.join(PROJECT_ROOT, 'examples/v2-batch.json'), 'utf8')
    const file = path.join(dataDir, 'batch.json')
    fs.writeFileSync(file, sample.split('3601f8ae-9181-41a3-89ed-6dbe5ecde2b5').join(id))
    const docs = path.join(PROJECT_ROOT, 'test/fixtures/documents')
    const assets = [
      `${id}-micro-1-asset=${docs}/tiny.pdf`,
      `${id}-micro-2-asset=${docs}/pixel.png`,
      `${id}-edu-1-asset=${docs}/tiny.pdf`,
    ]
    const submitted = await credport(['submit', file, ...assets.flatMap((a) => ['--asset', a])])
    assert.equal(submitted.code, 0, submitted.stderr)
    assert.match(
      submitted.stdout.trim(),
      /^http:\/\/127\.0\.0\.1:\d+\/partner\/add\/batch#clientId=cpc_[\w-]+&content=[0-9a-f-]{36}$/,
    )
    assert.ok(!submitted.stderr.includes('\r'), 'no progress bar when standard error is no terminal')
    assert.match(submitted.stderr, new RegExp(`${id}-edu-1-asset: uploaded`))

    const status = await credport(['status', id, '--json'])
    assert.equal(status.code, 0, status.stderr)
    const lines = status.stdout.trim().split('\n')
    assert.equal(lines.length, 1)
    const body = JSON.parse(lines[0]!)
    const states = Object.fromEntries(
      body.items.flatMap((item: any) => item.assets.map((a: any) => [a.asset_id.slice(id.length + 1), a.state])),
    )
    assert.deepEqual(states, {
      'micro-1-asset': 'received',
      'micro-2-asset': 'received',
      'edu-1-asset': 'received',
      'uc-1-asset': 'awaiting_upload',
    })

    // Sent again: the same link, and the one asset left still has its upload link (--json: one object per result).
    const again = await credport(['submit', file, '--json', '--asset', `${id}-uc-1-asset=${docs}/tiny.pdf`])
    assert.equal(again.code, 0, again.stderr)
    const [answer, upload] = again.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    assert.equal(answer.redirect_uri, submitted.stdout.trim())
    assert.deepEqual(upload, {
      asset_id: `${id}-uc-1-asset`,
      uploaded: true,
      bytes: fs.statSync(`${docs}/tiny.pdf`).size,
    })
  })

  it('withdraw cancels an undecided submission (again: the same), revoke refuses it (4); unknown ids exit 5', async () => {
    const id = `cli-withdraw-${Date.now()}`
    const sample = fs.readFileSync(path.join(PROJECT_ROOT, 'examples/v2-batch.json'), 'utf8')
    const file = path.join(dataDir, 'withdraw.json')
    fs.writeFileSync(file, sample.split('3601f8ae-9181-41a3-89ed-6dbe5ecde2b5').join(id))
    assert.equal((await credport(['submit', file])).code, 0)

    const refused = await credport(['revoke', `${id}-edu-1`, '--reason', 'Issued in error'])
    assert.equal(refused.code, 4, refused.stderr)
    assert.match(refused.stderr, /withdraw the submission instead/)
    const withdrawn = await credport(['withdraw', id])
    assert.equal(withdrawn.code, 0, withdrawn.stderr)
    assert.match(withdrawn.stdout.trim(), new RegExp(`^${id}  canceled  finalized \\d{4}-`))
    const again = await credport(['withdraw', id, '--json'])
    assert.equal(again.code, 0, again.stderr)
    assert.equal(JSON.parse(again.stdout).status, 'canceled')

    assert.equal((await credport(['withdraw', 'nope-1'])).code, 5)
    assert.equal((await credport(['revoke', 'nope-1', '--reason', 'Issued in error'])).code, 5)
    assert.equal((await credport(['revoke', `${id}-edu-1`, '--reason', '  '])).code, 2)
  })

  it('status of several ids prints one line each; an unknown id exits 5', async () => {
    const result = await credport(['status', 'nope-1', 'nope-2'])
    assert.equal(result.code, 5)
    assert.deepEqual(result.stdout.trim().split('\n'), ['nope-1  not_found', 'nope-2  not_found'])
  })

  it('wait times out with exit 6, printing the last status', async () => {
    const id = `cli-wait-${Date.now()}`
    const file = path.join(dataDir, 'wait.json')
    const sample = fs.readFileSync(path.join(PROJECT_ROOT, 'examples/v2-batch.json'), 'utf8')
    fs.writeFileSync(file, sample.split('3601f8ae-9181-41a3-89ed-6dbe5ecde2b5').join(id))
    assert.equal((await credport(['submit', file])).code, 0)
    const result = await credport(['wait', id, '--until', 'verified', '--timeout', '300ms', '--interval', '100ms'])
    assert.equal(result.code, 6, result.stderr)
    assert.match(result.stdout, new RegExp(`^${id}  incomplete  not opened`))
  })

  it('exit codes: 4 for an invalid body (with its pointers) or a refused webhook URL, 3 for refused credentials, 2 for usage', async () => {
    const file = path.join(dataDir, 'bad.json')
    fs.writeFileSync(
      file,
      JSON.stringify({ credential_id: 'bad', education_items: [{ credential_id: 'e', fields: {} }] }),
    )
    const invalid = await credport(['submit', file])
    assert.equal(invalid.code, 4)
    assert.match(invalid.stderr, /\/education_items\/0\/fields\/full_name: is required/)

    const refused = await credport(['token'], { CREDPORT_CLIENT_SECRET: 'cps_wrong' })
    assert.equal(refused.code, 3)
    assert.match(refused.stderr, /invalid_client/)

    // This server runs without OUTBOUND_ALLOW_PRIVATE: a receiver on 127.0.0.1 cannot register itself.
    const listen = await credport(['webhooks', 'listen', '--port', '0', '--create'])
    assert.equal(listen.code, 4)
    assert.match(listen.stderr, /refused http:\/\/127\.0\.0\.1:\d+\/ as an endpoint\. .*OUTBOUND_ALLOW_PRIVATE=true/)

    assert.equal((await credport(['submit', path.join(dataDir, 'missing.json')])).code, 2)
    assert.equal((await credport(['token'], { CREDPORT_CLIENT_ID: '' })).code, 2)
    // Command lines that cannot be parsed are usage errors too, said with the help hint; help itself exits 0.
    for (const args of [['wait'], ['no-such-command'], ['status', 'x', '--no-such-flag'], ['revoke', 'x']]) {
      const parsed = await credport(args)
      assert.equal(parsed.code, 2, args.join(' '))
      assert.match(parsed.stderr, /^error: /m, args.join(' '))
    }
    assert.equal((await credport(['status', '--help'])).code, 0)
  })
})
