import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import {
  freePort,
  PROJECT_ROOT,
  readDemoClient,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js'

/** Every file and folder under `dir` (not following links) that group or others may read, write or enter. */
function openToOthers(dir: string): string[] {
  const open: string[] = []
  for (const name of ['', ...fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })]) {
    // (The running database may remove a file between the listing and this.)
    const stat = fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false })
    if (stat && !stat.isSymbolicLink() && (stat.mode & 0o077) !== 0)
      open.push(`${name || '.'} ${(stat.mode & 0o777).toString(8)}`)
  }
  return open
}

/** Every file and folder under `dir`, counted, so that "nothing is open" cannot pass on an empty folder. */
const entries = (dir: string) => fs.readdirSync(dir, { recursive: true }).length

async function accessToken(server: ServerProcess, client: { client_id: string; client_secret: string }) {
  const response = await fetch(`${server.url}/api/partner/v1/oauth/token.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...client }),
  })
  assert.equal(response.status, 200, await response.clone().text())
  return ((await response.json()) as { access_token: string }).access_token
}

/** The upload link as the server returns it, pointed at the server's real address. */
const onServer = (server: ServerProcess, link: string) => {
  const url = new URL(link)
  return `${server.url}${url.pathname}${url.search}`
}

/**
 * A PUT to an upload link that sends a valid PDF head (so the upload passes the type check and
 * reaches the disk) and then trickles bytes until it is told to stop or the server goes away.
 */
function slowUpload(url: string): { stop(): void } {
  const request = http.request(url, { method: 'PUT', headers: { 'content-type': 'application/pdf' } })
  request.on('error', () => {})
  request.write(
    Buffer.concat([
      fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/documents/tiny.pdf')),
      Buffer.alloc(8192, ' '),
    ]),
  )
  const timer = setInterval(() => request.write(Buffer.alloc(1024, ' ')), 100)
  return {
    stop() {
      clearInterval(timer)
      request.destroy()
    },
  }
}

async function until<T>(what: string, probe: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${ms} ms`)
    await sleep(50)
  }
}

describe('data at rest: a real server process on the embedded default', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-at-rest-'))
  // Not there yet: the server creates it.
  const dataDir = path.join(parent, 'data')
  const incoming = path.join(dataDir, 'blobs', '.incoming')
  let server: ServerProcess | undefined
  let upload: { stop(): void } | undefined
  after(async () => {
    upload?.stop()
    await server?.stop()
    fs.rmSync(parent, { recursive: true, force: true })
  })

  it('first start with standard output not a terminal: the demo secret goes to a 0600 file, not to stdout or stderr, and gets a token', async () => {
    server = await startServerProcess({ DATA_DIR: dataDir })
    const file = path.join(dataDir, 'demo-client.txt')
    assert.match(server.stdout(), /Demo partner created: its client id and secret are in \S+demo-client\.txt/)
    assert.ok(server.stdout().includes(file), 'stdout names the file')
    assert.equal(fs.statSync(file).mode & 0o777, 0o600)
    const client = readDemoClient(dataDir)
    assert.match(client.client_secret, /^cps_/)
    assert.ok(!server.stdout().includes(client.client_secret), 'the secret is not on stdout')
    assert.ok(!server.stderr().includes(client.client_secret), 'the secret is not on stderr')
    await accessToken(server, client)
  })

  it('after a submission with an upload, nothing under DATA_DIR is open to group or others (folders 0700, files 0600)', async () => {
    assert.ok(server)
    const token = await accessToken(server, readDemoClient(dataDir))
    const created = await fetch(`${server.url}/api/partner/v2/add/requests/batch.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: fs.readFileSync(path.join(PROJECT_ROOT, 'examples/v2-batch.json')),
    })
    assert.equal(created.status, 201, await created.clone().text())
    const links = ((await created.json()) as { asset_uploads: Array<{ url: string; content_type: string }> })
      .asset_uploads
    const pdfs = links.filter((link) => link.content_type === 'application/pdf')
    assert.ok(pdfs.length >= 2)
    const uploaded = await fetch(onServer(server, pdfs[0]!.url), {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/documents/tiny.pdf')),
    })
    assert.equal(uploaded.status, 201, await uploaded.clone().text())
    // An upload in progress, whose partial file is checked too (and which the next test cuts).
    upload = slowUpload(onServer(server, pdfs[1]!.url))
    await until('a partial upload in blobs/.incoming', () => fs.readdirSync(incoming).length === 1)

    assert.equal(fs.statSync(dataDir).mode & 0o777, 0o700)
    assert.ok(fs.readdirSync(path.join(dataDir, 'pglite', 'pg_wal')).length > 0, 'the write-ahead log is there')
    assert.ok(fs.readdirSync(path.join(dataDir, 'blobs', 'submissions')).length > 0, 'the uploaded document is there')
    assert.ok(entries(dataDir) > 100)
    assert.deepEqual(openToOthers(dataDir), [])
  })

  it('SIGKILL mid-upload leaves a partial file; the next start removes it, and tightens a data folder left open meanwhile', async () => {
    assert.ok(server)
    const [partial] = fs.readdirSync(incoming)
    assert.ok(partial)
    server.child.kill('SIGKILL')
    await server.stop()
    upload?.stop()
    const leftover = path.join(incoming, partial)
    assert.ok(fs.statSync(leftover).size > 0, 'the cut upload left its partial file behind')

    // As an older release (or a copy, or an umask of 000) would have left it: open to everyone.
    for (const name of ['', ...fs.readdirSync(dataDir, { recursive: true, encoding: 'utf8' })]) {
      const file = path.join(dataDir, name)
      fs.chmodSync(file, fs.lstatSync(file).isDirectory() ? 0o777 : 0o666)
    }
    assert.notDeepEqual(openToOthers(dataDir), [])

    server = await startServerProcess({ DATA_DIR: dataDir })
    assert.ok(!server.stdout().includes('Demo partner created'), 'the same database: no second demo partner')
    assert.deepEqual(fs.readdirSync(incoming), [], 'the partial upload is gone')
    assert.deepEqual(openToOthers(dataDir), [])
    // Still the same data: the demo client's secret works, the upload before the kill is kept.
    await accessToken(server, readDemoClient(dataDir))
    assert.ok(fs.readdirSync(path.join(dataDir, 'blobs', 'submissions')).length > 0)

    assert.equal(await server.stop(), 0)
    server = undefined
    assert.deepEqual(openToOthers(dataDir), [], 'nor after a graceful shutdown')
  })
})

describe('a data folder the server cannot make private', {
  skip: process.getuid?.() !== 0 && 'needs root, to start the server as another user',
}, () => {
  it('refuses to start, with one line naming the folder', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-foreign-'))
    try {
      fs.chmodSync(parent, 0o755)
      // Left open by the user who owns it (root); the server runs as another one (nobody).
      const dataDir = path.join(parent, 'data')
      fs.mkdirSync(dataDir, { mode: 0o777 })
      fs.chmodSync(dataDir, 0o777)
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'info' },
        uid: 65534,
        gid: 65534,
      })
      let out = ''
      let err = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (err += d))
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
      assert.equal(code, 77, err)
      assert.equal(out, '')
      const lines = err.trimEnd().split('\n')
      assert.equal(lines.length, 1, err)
      assert.match(lines[0]!, /^credport: the data folder \S+ cannot be made private to this user: .*(EPERM|EACCES)/)
      assert.ok(lines[0]!.includes(dataDir))
      assert.deepEqual(fs.readdirSync(dataDir), [], 'nothing was created in it')
    } finally {
      fs.rmSync(parent, { recursive: true, force: true })
    }
  })
})
