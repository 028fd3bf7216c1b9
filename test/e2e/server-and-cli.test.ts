import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { emptyPostgresDatabase } from '../support/databases.js'
import { PROJECT_ROOT, readDemoClient, startServerProcess, type ServerProcess } from '../support/server-process.js'

const run = promisify(execFile)

/**
 * Runs the admin CLI as `npm run --silent credport -- …` does: `node bin/credport.js`, which runs
 * dist/ (the runner builds it) while it matches the sources, else the sources through tsx (each
 * call through tsx cost ~2 s of CPU, most of this file's).
 */
async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/credport.js', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('npm start on the embedded default, and the admin CLI', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-e2e-'))
  let server: ServerProcess
  let env: Record<string, string>
  before(async () => {
    server = await startServerProcess({ DATA_DIR: dataDir })
    env = { CREDPORT_URL: server.url, DATA_DIR: dataDir }
  })
  after(async () => {
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('logs where it listens, which database and which data folder', () => {
    const line = server
      .stdout()
      .split('\n')
      .find((l) => l.includes('listening on'))!
    const entry = JSON.parse(line)
    assert.equal(entry.details.database, 'pglite')
    assert.equal(entry.details.data_dir, dataDir)
    assert.match(entry.msg, new RegExp(`data in ${dataDir}`))
  })

  it('creates the admin token file with mode 0600', () => {
    const stat = fs.statSync(path.join(dataDir, 'admin-token'))
    assert.equal(stat.mode & 0o777, 0o600)
  })

  it('writes the demo partner to DATA_DIR/demo-client.txt (standard output is a pipe), whose curl command works as written', async () => {
    assert.match(server.stdout(), /Demo partner created: its client id and secret are in \S+demo-client\.txt/)
    const banner = readDemoClient(dataDir).text
    const curl = banner.slice(banner.indexOf('curl -s')).split('\n').slice(0, 2).join('\n').trim()
    // Same command, pointed at the real port (the banner names PUBLIC_URL, which defaults to localhost:PORT).
    const { stdout } = await run('sh', ['-c', curl.replace(/http:\/\/localhost:\d+/, server.url)])
    const body = JSON.parse(stdout)
    assert.equal(body.token_type, 'Bearer')
    assert.match(body.scope, /write\.education/)
    assert.match(body.scope, /read\.submissions/)
  })

  it('runs the README’s “Integrate in five minutes” commands as printed: token, sample batch, one upload, status', async () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Integrate in five minutes'))
    const script = /```sh\n([\s\S]*?)```/.exec(section)![1]!
    const exportLine = /^export CREDPORT=\S+ CLIENT_ID=cpc_… CLIENT_SECRET=cps_…$/m
    assert.match(script, exportLine, 'the section starts by naming the three values to fill in')
    const { client_id: clientId, client_secret: clientSecret } = readDemoClient(dataDir)
    // Run from a folder of its own (it writes batch-response.json) that sees the project's files as the project root does.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-readme-'))
    for (const name of ['examples', 'test']) fs.symlinkSync(path.join(PROJECT_ROOT, name), path.join(cwd, name))
    try {
      const filled = script.replace(
        exportLine,
        `export CREDPORT=${server.url} CLIENT_ID=${clientId} CLIENT_SECRET=${clientSecret}`,
      )
      const { stdout } = await run('bash', ['-e', '-c', filled], { cwd })
      const created = JSON.parse(fs.readFileSync(path.join(cwd, 'batch-response.json'), 'utf8'))
      assert.match(created.redirect_uri, /\/partner\/add\/batch#clientId=cpc_[\w-]+&content=[0-9a-f-]{36}$/)
      assert.equal(created.asset_uploads.length, 4)
      const status = JSON.parse(stdout.slice(stdout.lastIndexOf('{"id":"3601f8ae-9181-41a3-89ed-6dbe5ecde2b5"')))
      assert.equal(status.status, 'incomplete')
      assert.equal(status.items.length, 10)
      const uploaded = status.items
        .flatMap((item: { assets: Array<{ asset_id: string; state: string }> }) => item.assets)
        .find((a: { asset_id: string }) => a.asset_id === created.asset_uploads[0].asset_id)
      assert.equal(uploaded.state, 'received', stdout)
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true })
    }
  })

  it('never prints or logs the demo secret when standard output is no terminal', () => {
    const secret = readDemoClient(dataDir).client_secret
    assert.ok(server.stdout().includes('listening on'))
    assert.ok(!server.stdout().includes(secret))
    assert.ok(!server.stderr().includes(secret))
  })

  it('partners create --json prints exactly one JSON object with the credentials', async () => {
    const result = await cli(
      [
        'partners',
        'create',
        '--name',
        'University A',
        '--display-name',
        'University A',
        '--scopes',
        'write.education read.submissions',
        '--document-host',
        'docs.uni-a.edu',
        '--json',
      ],
      env,
    )
    assert.equal(result.code, 0, result.stderr)
    const created = JSON.parse(result.stdout)
    assert.deepEqual(Object.keys(created).sort(), ['client_id', 'client_secret', 'partner_id', 'scopes'])
    assert.deepEqual(created.scopes, ['write.education', 'read.submissions'])
    const token = await fetch(`${server.url}/api/partner/v1/oauth/token.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: created.client_id,
        client_secret: created.client_secret,
      }),
    })
    assert.equal(token.status, 200)
  })

  it('lists partners and manages clients: create, rotate-secret, revoke', async () => {
    const partner = JSON.parse(
      (
        await cli(
          [
            'partners',
            'create',
            '--name',
            'employer-b',
            '--display-name',
            'Employer B',
            '--support-contact',
            'help@employer-b.example',
            '--scopes',
            'write.career_history',
            '--json',
          ],
          env,
        )
      ).stdout,
    )
    // What holders see: the display name, a support contact and a logo, changed from the CLI.
    const logoFile = path.join(dataDir, 'logo.svg')
    fs.writeFileSync(
      logoFile,
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8" onload="alert(1)"><rect width="8" height="8"/></svg>',
    )
    const logo = await cli(['partners', 'logo', 'set', partner.partner_id, logoFile], env)
    assert.equal(logo.code, 0, logo.stderr)
    assert.match(logo.stdout, /^logo: image\/svg\+xml, \d+ bytes, served at \/issuers\/[0-9a-f-]{36}\/logo\?v=/)
    assert.match(logo.stderr, /removed:\n {2}event handler onload/)
    const updated = await cli(['partners', 'update', partner.partner_id, '--display-name', 'Employer B Ltd'], env)
    assert.equal(updated.code, 0, updated.stderr)
    const list = await cli(['partners', 'list'], env)
    assert.equal(list.code, 0)
    assert.match(list.stdout, /^employer-b {2}\(/m)
    assert.match(
      list.stdout,
      /shown to holders as: Employer B Ltd\n {2}support contact: help@employer-b\.example\n {2}logo: image\/svg\+xml/,
    )
    const removed = await cli(['partners', 'logo', 'remove', partner.partner_id], env)
    assert.equal(removed.code, 0, removed.stderr)
    const wrongFile = await cli(['partners', 'logo', 'set', partner.partner_id, path.join(dataDir, 'logo.gif')], env)
    assert.equal(wrongFile.code, 1)
    assert.match(wrongFile.stderr, /a logo is a \.png or \.svg file/)
    assert.match(list.stdout, new RegExp(partner.client_id))
    assert.ok(!list.stdout.includes(partner.client_secret))

    const second = JSON.parse((await cli(['clients', 'create', '--partner', partner.partner_id, '--json'], env)).stdout)
    assert.deepEqual(second.scopes, ['write.career_history'])
    const rotated = JSON.parse((await cli(['clients', 'rotate-secret', second.client_id, '--json'], env)).stdout)
    assert.notEqual(rotated.client_secret, second.client_secret)
    const revoked = await cli(['clients', 'revoke', second.client_id], env)
    assert.equal(revoked.code, 0)
    assert.match(revoked.stdout, /revoked at/)

    // Share link signing keys: a rotation names the new key and the ones it retires (published 7 more days).
    const first = JSON.parse((await cli(['keys', 'rotate', '--json'], env)).stdout)
    const keys = await cli(['keys', 'rotate'], env)
    assert.equal(keys.code, 0, keys.stderr)
    assert.match(keys.stdout, new RegExp(`^signing key: \\S+\\nretired: +${first.kid} \\(published until `))
  })

  it('explains failures on stderr with a non-zero exit code', async () => {
    const invalid = await cli(
      ['partners', 'create', '--name', 'X', '--display-name', 'X', '--scopes', 'write.nothing'],
      env,
    )
    assert.equal(invalid.code, 1)
    assert.match(invalid.stderr, /\/scopes\/0: must be one of/)
    const unknown = await cli(['clients', 'revoke', 'cpc_nope'], env)
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /No client cpc_nope \(HTTP 404\)/)
    const wrongToken = await cli(['partners', 'list'], { ...env, CREDPORT_ADMIN_TOKEN: 'x'.repeat(30) })
    assert.equal(wrongToken.code, 1)
    assert.match(wrongToken.stderr, /HTTP 401/)
    const down = await cli(['partners', 'list'], { ...env, CREDPORT_URL: 'http://127.0.0.1:9' })
    assert.equal(down.code, 1)
    assert.match(down.stderr, /Cannot reach Credport/)
  })

  it('shuts down gracefully on SIGTERM and keeps its data for the next start (no second demo partner)', async () => {
    assert.equal(await server.stop(), 0)
    server = await startServerProcess({ DATA_DIR: dataDir })
    assert.ok(!server.stdout().includes('Demo partner created'))
    const list = await cli(['partners', 'list'], { ...env, CREDPORT_URL: server.url })
    assert.match(list.stdout, /University A/)
  })
})

describe('two instances started at the same moment on an empty PostgreSQL database', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL',
}, () => {
  it('migrate once and both serve', async () => {
    const url = await emptyPostgresDatabase()
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'credport-pg2-')))
    const servers = await Promise.all(
      dirs.map((d) => startServerProcess({ DATABASE_URL: url, DATA_DIR: d, ADMIN_TOKEN: 'a'.repeat(32) })),
    )
    try {
      for (const s of servers) {
        const ready = await fetch(`${s.url}/readyz`)
        assert.equal(ready.status, 200)
        assert.ok(!s.stdout().includes('Demo partner created'), 'no demo partner on PostgreSQL')
      }
      // A partner created through one instance gets tokens from the other: one database, one signing key.
      const created = (await (
        await fetch(`${servers[0]!.url}/api/admin/partners`, {
          method: 'POST',
          headers: { authorization: `Bearer ${'a'.repeat(32)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Shared', display_name: 'Shared', scopes: ['read.submissions'] }),
        })
      ).json()) as { client_id: string; client_secret: string }
      const token = (await (
        await fetch(`${servers[1]!.url}/api/partner/v1/oauth/token.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            grant_type: 'client_credentials',
            client_id: created.client_id,
            client_secret: created.client_secret,
          }),
        })
      ).json()) as { access_token: string }
      const me = await fetch(`${servers[0]!.url}/api/partner/v1/me.json`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      })
      assert.equal(me.status, 200)
    } finally {
      await Promise.all(servers.map((s) => s.stop()))
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
    }
  })
})
