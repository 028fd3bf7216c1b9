import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
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
 * `credport webhooks …` run as processes against a real server process (with
 * OUTBOUND_ALLOW_PRIVATE=true, so that it delivers to a receiver on 127.0.0.1): the management
 * commands, their exit codes and `--json` lines, and `webhooks listen` receiving real deliveries of
 * a real event (`asset.received`, caused by `credport submit --asset`), verified with the SDK.
 */

const run = promisify(execFile)
const SAMPLE_ID = '3601f8ae-9181-41a3-89ed-6dbe5ecde2b5'
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const TINY_PDF = path.join(PROJECT_ROOT, 'test/fixtures/documents/tiny.pdf')

/** A long-running `credport` process (a listener) whose output the test watches. */
interface Running {
  child: ChildProcessWithoutNullStreams
  stdout(): string
  stderr(): string
  exited: Promise<number | null>
  /** Resolves once `predicate` holds of the output, or fails after `timeoutMs`. */
  until(predicate: (out: { stdout: string; stderr: string }) => boolean, timeoutMs?: number): Promise<void>
}

describe('credport webhooks, as a partner uses it', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-webhooks-cli-'))
  let server: ServerProcess
  let env: Record<string, string>
  let other: Record<string, string>
  const running: Running[] = []

  async function credport(args: string[], extra: Record<string, string> = {}, cwd = PROJECT_ROOT) {
    try {
      const { stdout, stderr } = await run(process.execPath, [path.join(PROJECT_ROOT, 'bin/credport.js'), ...args], {
        cwd,
        env: { ...process.env, ...env, ...extra },
      })
      return { code: 0, stdout, stderr }
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string }
      return { code: e.code, stdout: e.stdout, stderr: e.stderr }
    }
  }
  const jsonLines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))

  function start(args: string[], extra: Record<string, string> = {}): Running {
    const child = spawn(process.execPath, ['bin/credport.js', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env, ...extra },
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const handle: Running = {
      child,
      stdout: () => out,
      stderr: () => err,
      exited,
      async until(predicate, timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs
        while (!predicate({ stdout: out, stderr: err })) {
          if (Date.now() > deadline) throw new Error(`timed out; stdout:\n${out}\nstderr:\n${err}`)
          await new Promise((r) => setTimeout(r, 100))
        }
      },
    }
    running.push(handle)
    return handle
  }

  /** A copy of the sample batch under a fresh id; `submit --asset` of one document causes `asset.received`. */
  async function uploadOneDocument(id: string) {
    const file = path.join(dataDir, `${id}.json`)
    fs.writeFileSync(
      file,
      fs.readFileSync(path.join(PROJECT_ROOT, 'examples/v2-batch.json'), 'utf8').split(SAMPLE_ID).join(id),
    )
    const submitted = await credport(['submit', file, '--asset', `${id}-edu-1-asset=${TINY_PDF}`])
    assert.equal(submitted.code, 0, submitted.stderr)
  }

  before(async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    server = await startServerProcess({
      DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: url,
      OUTBOUND_ALLOW_PRIVATE: 'true',
    })
    const demo = readDemoClient(dataDir)
    env = { CREDPORT_URL: url, CREDPORT_CLIENT_ID: demo.client_id, CREDPORT_CLIENT_SECRET: demo.client_secret }
    const created = await credport(
      [
        'partners',
        'create',
        '--name',
        'Employer B',
        '--display-name',
        'Employer B',
        '--scopes',
        'read.submissions',
        '--json',
      ],
      { DATA_DIR: dataDir },
    )
    assert.equal(created.code, 0, created.stderr)
    const b = JSON.parse(created.stdout)
    other = { CREDPORT_CLIENT_ID: b.client_id, CREDPORT_CLIENT_SECRET: b.client_secret }
  })
  after(async () => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL')
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('runs the README’s webhook session as printed: listen --create, an upload, the verified event', async () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Partner commands'), readme.indexOf('## The partner API'))
    const script = /```sh\n(export CREDPORT_URL=[\s\S]*?)```/.exec(section)?.[1]
    assert.ok(script, 'the section has a shell session that starts with export CREDPORT_URL=…')
    const exportLine = /^export CREDPORT_URL=\S+ CREDPORT_CLIENT_ID=cpc_… CREDPORT_CLIENT_SECRET=cps_…$/m
    assert.match(script, exportLine)
    // As after the five-minute walkthrough: the sample itself was sent, its first document uploaded.
    const walkthrough = await credport([
      'submit',
      path.join(PROJECT_ROOT, 'examples/v2-batch.json'),
      '--asset',
      `${SAMPLE_ID}-edu-1-asset=${TINY_PDF}`,
    ])
    assert.equal(walkthrough.code, 0, walkthrough.stderr)
    const port = await freePort()
    const filled = script
      .replace(
        exportLine,
        `export CREDPORT_URL=${env.CREDPORT_URL} CREDPORT_CLIENT_ID=${env.CREDPORT_CLIENT_ID} CREDPORT_CLIENT_SECRET=${env.CREDPORT_CLIENT_SECRET}`,
      )
      .replaceAll('--port 4000', `--port ${port}`)
    // A `credport` on the PATH, run from a folder of its own that sees the project's files as the project root does.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-readme-webhooks-'))
    const bin = path.join(cwd, 'bin')
    fs.mkdirSync(bin)
    fs.writeFileSync(
      path.join(bin, 'credport'),
      `#!/bin/sh\nexec "${process.execPath}" "${path.join(PROJECT_ROOT, 'bin/credport.js')}" "$@"\n`,
      { mode: 0o755 },
    )
    for (const name of ['examples', 'test']) fs.symlinkSync(path.join(PROJECT_ROOT, name), path.join(cwd, name))
    try {
      const { stdout } = await run('bash', ['-e', '-c', filled], {
        cwd,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        timeout: 90_000,
      })
      const lines = stdout.trim().split('\n')
      assert.ok(lines.includes(`listening on http://127.0.0.1:${port}`), stdout)
      const event = lines.find((l) => l.includes('asset.received'))
      assert.ok(event, stdout)
      assert.match(
        event,
        new RegExp(
          // A new id each time the session runs: it can run after the five-minute walkthrough used the sample's.
          `^\\S+Z  asset\\.received +(${UUID})  received  request ${UUID}  asset \\1-edu-1-asset$`,
        ),
      )
      // The listener deleted the endpoint it registered.
      assert.equal((await credport(['webhooks', 'list', '--json'])).stdout, '')
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true })
    }
  })

  it('create prints the endpoint and its secret once; list, get, update, rotate, deliveries and delete', async () => {
    const created = await credport([
      'webhooks',
      'create',
      'http://127.0.0.1:9/hooks',
      '--name',
      'main',
      '--event-type',
      'submission.verified',
      '--event-type',
      'asset.received',
    ])
    assert.equal(created.code, 0, created.stderr)
    const id = /^id: +([0-9a-f-]{36})$/m.exec(created.stdout)?.[1]
    assert.ok(id, created.stdout)
    assert.match(created.stdout, /^secret: +whsec_[A-Za-z0-9+/]+=*$/m)
    assert.match(created.stdout, /^event types: +submission\.verified asset\.received$/m)
    assert.match(created.stdout, /shown only at creation/)

    const json = await credport(['webhooks', 'create', 'https://hooks.example.com/credport', '--json'])
    assert.equal(json.code, 0, json.stderr)
    const [second, ...rest] = jsonLines(json.stdout)
    assert.equal(rest.length, 0)
    assert.match(second.secret, /^whsec_/)
    assert.equal(second.event_types, null)

    const list = await credport(['webhooks', 'list'])
    assert.equal(list.code, 0, list.stderr)
    const [header, ...rows] = list.stdout.trimEnd().split('\n')
    assert.match(header!, /^ID {36}ENABLED {2}EVENTS +NAME +URL$/)
    assert.equal(rows.length, 2)
    const urlColumn = header!.indexOf('URL')
    for (const row of rows) assert.match(row.slice(urlColumn), /^https?:\/\//, 'aligned columns')
    assert.ok(!list.stdout.includes('whsec_'), 'list never shows a secret')
    const listed = jsonLines((await credport(['webhooks', 'list', '--json'])).stdout)
    assert.deepEqual(listed.map((e) => e.id).sort(), [id, second.id].sort())
    assert.ok(listed.every((e) => !('secret' in e)))

    const got = await credport(['webhooks', 'get', id])
    assert.match(got.stdout, /^url: +http:\/\/127\.0\.0\.1:9\/hooks$/m)

    const disabled = jsonLines((await credport(['webhooks', 'update', id, '--disable', '--json'])).stdout)[0]
    assert.equal(disabled.enabled, false)
    assert.equal(disabled.disabled_reason, 'partner')
    const enabled = await credport([
      'webhooks',
      'update',
      id,
      '--enable',
      '--all-events',
      '--endpoint-url',
      'http://127.0.0.1:9/other',
    ])
    assert.equal(enabled.code, 0, enabled.stderr)
    assert.match(enabled.stdout, /^enabled: +yes$/m)
    assert.match(enabled.stdout, /^event types: +all$/m)
    assert.match(enabled.stdout, /^url: +http:\/\/127\.0\.0\.1:9\/other$/m)

    const rotated = jsonLines((await credport(['webhooks', 'rotate', id, '--json'])).stdout)[0]
    assert.equal(rotated.id, id)
    assert.match(rotated.secret, /^whsec_/)

    const deliveries = await credport(['webhooks', 'deliveries', id])
    assert.equal(deliveries.code, 0, deliveries.stderr)
    assert.equal(deliveries.stdout.trim(), 'No deliveries yet.')
    assert.equal((await credport(['webhooks', 'deliveries', id, '--json', '--limit', '5'])).stdout, '')

    for (const endpoint of [id, second.id]) {
      const deleted = await credport(['webhooks', 'delete', endpoint, '--json'])
      assert.equal(deleted.code, 0, deleted.stderr)
      assert.deepEqual(jsonLines(deleted.stdout), [{ id: endpoint, deleted: true }])
    }
    assert.equal((await credport(['webhooks', 'get', id])).code, 5)
    assert.match((await credport(['webhooks', 'list'])).stdout, /^No webhook endpoints yet/)
  })

  it('exit codes: 5 for an unknown id and for another partner’s endpoint, 4 for a refused URL or a pending retry, 2 for usage', async () => {
    const mine = jsonLines((await credport(['webhooks', 'create', 'http://127.0.0.1:9/x', '--json'])).stdout)[0]
    try {
      const unknown = '00000000-0000-4000-8000-000000000000'
      for (const args of [
        ['get', unknown],
        ['delete', unknown],
        ['retry', unknown, unknown],
        ['get', 'not-a-uuid'],
      ]) {
        const result = await credport(['webhooks', ...args])
        assert.equal(result.code, 5, `${args.join(' ')}: ${result.stderr}`)
        assert.match(result.stderr, /Not found/)
      }
      // Another partner sees none of it, and cannot change or delete it.
      for (const args of [
        ['get', mine.id],
        ['delete', mine.id],
      ]) {
        assert.equal((await credport(['webhooks', ...args], other)).code, 5, args.join(' '))
      }
      assert.equal((await credport(['webhooks', 'list', '--json'], other)).stdout, '')
      assert.equal((await credport(['webhooks', 'get', mine.id])).code, 0, 'still there for its partner')

      const refused = await credport(['webhooks', 'create', 'ftp://hooks.example.com/x'])
      assert.equal(refused.code, 4)
      assert.match(refused.stderr, /\/url: must be an https URL/)
      const badType = await credport(['webhooks', 'create', 'https://hooks.example.com/x', '--event-type', 'nope'])
      assert.equal(badType.code, 4)
      assert.match(badType.stderr, /\/event_types\/0: must be one of: "submission.opened"/)

      assert.equal((await credport(['webhooks', 'retry', mine.id, unknown])).code, 5)
      // A delivery to a closed port stays pending (attempted, then rescheduled): retrying it is a 409, exit 4.
      await uploadOneDocument(`wh-pending-${Date.now()}`)
      const [pending] = jsonLines((await credport(['webhooks', 'deliveries', mine.id, '--json'])).stdout)
      assert.equal(pending.status, 'pending')
      const early = await credport(['webhooks', 'retry', mine.id, pending.id])
      assert.equal(early.code, 4)
      assert.match(early.stderr, /still pending/)
      assert.equal((await credport(['webhooks', 'update', mine.id])).code, 2, 'nothing to change')
      assert.equal((await credport(['webhooks', 'deliveries', mine.id, '--limit', 'ten'])).code, 2)
      assert.equal((await credport(['webhooks', 'list'], { CREDPORT_CLIENT_ID: '' })).code, 2)
      assert.equal((await credport(['webhooks', 'list'], { CREDPORT_CLIENT_SECRET: 'cps_wrong' })).code, 3)
      const noSecret = await credport(['webhooks', 'listen', '--port', '0'], { CREDPORT_WEBHOOK_SECRET: '' })
      assert.equal(noSecret.code, 2)
      assert.match(noSecret.stderr, /--secret/)
      assert.equal((await credport(['webhooks', 'listen', '--port', '0', '--secret', 'not-a-secret'])).code, 2)
    } finally {
      await credport(['webhooks', 'delete', mine.id])
    }
  })

  it('listen --create: the verified event, its delivery log, a retry seen again, a bad signature refused 401, SIGINT cleans up', async () => {
    const listener = start(['webhooks', 'listen', '--port', '0', '--path', '/hooks', '--create'])
    await listener.until(({ stderr }) => /registered/.test(stderr))
    const first = listener.stdout().split('\n')[0]!
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+\/hooks)$/.exec(first)?.[1]
    assert.ok(url, listener.stdout())
    const endpointId = /endpoint ([0-9a-f-]{36}) registered/.exec(listener.stderr())![1]!

    const id = `wh-listen-${Date.now()}`
    await uploadOneDocument(id)
    await listener.until(({ stdout }) => stdout.includes('asset.received'))
    const eventLine = listener.stdout().split('\n')[1]!
    assert.match(
      eventLine,
      new RegExp(`asset\\.received +${id}  received  request [0-9a-f-]{36}  asset ${id}-edu-1-asset$`),
    )

    // The delivery log shows it delivered with the receiver's 204; a retry sends the same event again.
    // The receiver answers before the server records the attempt: wait for the record.
    let log = await credport(['webhooks', 'deliveries', endpointId])
    for (const deadline = Date.now() + 15_000; / pending /.test(log.stdout); ) {
      assert.ok(Date.now() < deadline, 'the attempt is recorded')
      await new Promise((r) => setTimeout(r, 200))
      log = await credport(['webhooks', 'deliveries', endpointId])
    }
    assert.equal(log.code, 0, log.stderr)
    const [header, row] = log.stdout.trimEnd().split('\n')
    assert.match(header!, /^TIME +EVENT +ATTEMPT +STATUS +CODE +DURATION +NEXT ATTEMPT +DELIVERY ID$/)
    assert.match(row!, /^\S+Z {2}asset\.received {2}1 +delivered {2}204 +\d+ ms +- +[0-9a-f-]{36}$/)
    const [delivery] = jsonLines((await credport(['webhooks', 'deliveries', endpointId, '--json'])).stdout)
    assert.equal(delivery.last_status_code, 204)
    const retried = await credport(['webhooks', 'retry', endpointId, delivery.id])
    assert.equal(retried.code, 0, retried.stderr)
    assert.match(retried.stdout, new RegExp(`^${delivery.id}  asset\\.received  pending`))
    await listener.until(({ stdout }) => stdout.includes('(again: same webhook-id)'))

    // Not signed with its secret: 401 with the reason, printed as refused; no headers at all: 400.
    const forged = await fetch(url, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl',
      },
      body: '{"type":"submission.verified"}',
    })
    assert.equal(forged.status, 401)
    assert.equal((await forged.text()).trim(), 'no_matching_signature')
    const bare = await fetch(url, { method: 'POST', body: '{}' })
    assert.equal(bare.status, 400)
    assert.equal((await fetch(url.replace('/hooks', '/elsewhere'), { method: 'POST', body: '{}' })).status, 404)
    await listener.until(({ stdout }) => stdout.includes('refused 400'))
    assert.match(listener.stdout(), /\n\S+Z {2}refused 401 {2}no_matching_signature\n/)
    assert.ok(!listener.stdout().includes('msg_forged'))

    listener.child.kill('SIGINT')
    assert.equal(await listener.exited, 0, listener.stderr())
    assert.match(listener.stderr(), new RegExp(`endpoint ${endpointId} deleted\\nstopped\\n$`))
    assert.equal((await credport(['webhooks', 'get', endpointId])).code, 5)
    await assert.rejects(fetch(url, { method: 'POST', body: '{}' }), 'the port is closed')
  })

  it('listen --secret --json: one JSON line per request; SIGTERM stops it; a port in use exits 9', async () => {
    const port = await freePort()
    const endpoint = jsonLines(
      (await credport(['webhooks', 'create', `http://127.0.0.1:${port}/`, '--event-type', 'asset.received', '--json']))
        .stdout,
    )[0]
    try {
      // The secret by environment variable (CREDPORT_WEBHOOK_SECRET) instead of --secret.
      const withSecret = start(['webhooks', 'listen', '--port', String(port), '--json'], {
        CREDPORT_WEBHOOK_SECRET: endpoint.secret,
      })
      await withSecret.until(({ stderr }) => stderr.includes(`listening on http://127.0.0.1:${port}`))
      assert.match(withSecret.stderr(), /OUTBOUND_ALLOW_PRIVATE=true/)

      const busy = await credport(['webhooks', 'listen', '--port', String(port), '--secret', endpoint.secret])
      assert.equal(busy.code, 9)
      assert.match(busy.stderr, /EADDRINUSE/)

      const id = `wh-json-${Date.now()}`
      await uploadOneDocument(id)
      await withSecret.until(({ stdout }) => stdout.includes('asset.received'))
      const forged = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'webhook-id': 'm', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' },
        body: '{}',
      })
      assert.equal(forged.status, 401)
      await withSecret.until(({ stdout }) => stdout.trim().split('\n').length === 2)
      const [received, refused] = jsonLines(withSecret.stdout())
      assert.equal(received.verified, true)
      assert.equal(received.duplicate, false)
      assert.match(received.webhook_id, /^[0-9a-f-]{36}$/)
      assert.equal(received.event.type, 'asset.received')
      assert.deepEqual(
        { id: received.event.data.id, status: received.event.data.status, asset_id: received.event.data.asset_id },
        { id, status: 'received', asset_id: `${id}-edu-1-asset` },
      )
      assert.ok(!Number.isNaN(Date.parse(received.received_at)))
      assert.deepEqual(
        { verified: refused.verified, status_code: refused.status_code, reason: refused.reason },
        { verified: false, status_code: 401, reason: 'timestamp_out_of_range' },
      )
      withSecret.child.kill('SIGTERM')
      assert.equal(await withSecret.exited, 0)
    } finally {
      await credport(['webhooks', 'delete', endpoint.id])
    }
  })

  it('a closed pipe (credport webhooks list | head -1) ends quietly, exit 0, no stack trace', async () => {
    const endpoint = jsonLines((await credport(['webhooks', 'create', 'http://127.0.0.1:9/pipe', '--json'])).stdout)[0]
    const child = spawn(process.execPath, ['bin/credport.js', 'webhooks', 'list'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    // The reader goes away before the first line is written: every write meets EPIPE.
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
    assert.equal(stderr, '')
    assert.equal(code, 0)
    const piped = await run(
      'bash',
      ['-o', 'pipefail', '-c', `"${process.execPath}" bin/credport.js webhooks list | head -1`],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env },
      },
    )
    assert.match(piped.stdout, /^ID +ENABLED/)
    assert.equal(piped.stderr, '')
    await credport(['webhooks', 'delete', endpoint.id])
  })
})
