import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, test } from 'node:test'
import {
  freePort,
  PROJECT_ROOT,
  readDemoClient,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js'
import { createClient } from '../../src/client/index.js'
import { compiledClient } from '../support/client-build.js'

/**
 * `credport/client` as a consumer gets it: compiled by `npm run build:client` (tsconfig.client.json,
 * into dist/client/), resolved through package.json `exports` from a project that has the package
 * in node_modules, run by plain `node` (no tsx) against a real server, and its `.d.ts` types
 * checked by `tsc` in that project.
 */

const run = promisify(execFile)
const DIST = path.join(PROJECT_ROOT, 'dist/client')
const TSC = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc')

describe('the credport/client package', () => {
  let consumer: string
  let server: ServerProcess
  let baseUrl: string
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-package-'))
  const demo = () => readDemoClient(dataDir)
  before(async () => {
    // `npm run build:client`'s output in dist/client/ (compiled once for these sources: compiledClient).
    fs.cpSync(await compiledClient(), DIST, { recursive: true })
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-consumer-'))
    fs.mkdirSync(path.join(consumer, 'node_modules'))
    fs.symlinkSync(PROJECT_ROOT, path.join(consumer, 'node_modules/credport'))
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ type: 'module', private: true }))
    // A server process whose links name its real address (the upload links are followed by the code under test).
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    // OUTBOUND_ALLOW_PRIVATE: the README's webhook receiver listens on loopback.
    server = await startServerProcess({
      DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      OUTBOUND_ALLOW_PRIVATE: 'true',
    })
  })
  after(async () => {
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
    if (consumer) fs.rmSync(consumer, { recursive: true, force: true })
  })

  test('the compiled files import only themselves and TypeBox: nothing of Node, no ajv', () => {
    const files = fs.readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))
    assert.ok(files.includes(path.join('client', 'index.js')))
    assert.ok(fs.existsSync(path.join(DIST, 'client/index.d.ts')))
    for (const file of files) {
      const text = fs.readFileSync(path.join(DIST, file), 'utf8')
      for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        assert.ok(
          specifier!.startsWith('./') || specifier!.startsWith('../') || /^typebox(\/|$)/.test(specifier!),
          `${file} imports ${specifier}`,
        )
      }
    }
  })

  test('plain node imports credport/client through package.json exports and uses it against the server', async () => {
    const client = demo()
    const script = `
      import { createClient, validate, verifyWebhook, CredportValidationError } from 'credport/client'
      import { readFileSync } from 'node:fs'
      const sdk = createClient({ baseUrl: process.env.URL, clientId: process.env.ID, clientSecret: process.env.SECRET })
      const batch = JSON.parse(readFileSync(process.env.SAMPLE, 'utf8'))
      batch.credential_id = 'pkg-' + Date.now()
      const created = await sdk.submitBatch(batch)
      const status = await sdk.status(batch.credential_id)
      const problems = validate({ credential_id: 'x', fields: {} }, { type: 'education' })
      const refused = await sdk.submit('education', { credential_id: 'x', fields: {} }).catch((e) => e instanceof CredportValidationError && e.errors.length)
      let webhook = 'accepted'
      await verifyWebhook({ 'webhook-id': 'a', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, '{}', 'whsec_AAAA').catch((e) => (webhook = e.reason))
      console.log(JSON.stringify({ uploads: created.asset_uploads.length, status: status.status, problems: problems.length, refused, webhook }))
    `
    fs.writeFileSync(path.join(consumer, 'use.mjs'), script)
    const { stdout } = await run(process.execPath, ['use.mjs'], {
      cwd: consumer,
      env: {
        PATH: process.env.PATH ?? '',
        URL: baseUrl,
        ID: client.client_id,
        SECRET: client.client_secret,
        SAMPLE: path.join(PROJECT_ROOT, 'examples/v2-batch.json'),
      },
    })
    assert.deepEqual(JSON.parse(stdout), {
      uploads: 4,
      status: 'incomplete',
      problems: 4,
      refused: 4,
      webhook: 'timestamp_out_of_range',
    })
  })

  test('the README’s “Integrate with the SDK” code runs as printed with plain node', async () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Integrate with the SDK'))
    const code = /```js\n([\s\S]*?)```/.exec(section)![1]!
    const cwd = fs.mkdtempSync(path.join(consumer, 'readme-'))
    fs.writeFileSync(path.join(cwd, 'integrate.mjs'), code)
    for (const name of ['examples', 'test']) fs.symlinkSync(path.join(PROJECT_ROOT, name), path.join(cwd, name))
    const client = demo()
    const { stdout } = await run(process.execPath, ['integrate.mjs'], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        CREDPORT_URL: baseUrl,
        CREDPORT_CLIENT_ID: client.client_id,
        CREDPORT_CLIENT_SECRET: client.client_secret,
      },
    })
    const lines = stdout.trim().split('\n')
    assert.equal(lines[0], 'problems: 0')
    assert.match(lines[1]!, /pointer: '\/fields\/education_provider', message: 'is required'/)
    assert.match(lines[2]!, /^send the holder to http:\/\/127\.0\.0\.1:\d+\/partner\/add\/batch#clientId=cpc_/)
    assert.ok(
      lines.some((l) => /-edu-1-asset \d+ \d+$/.test(l)),
      'progress lines',
    )
    assert.ok(lines.includes('incomplete received received received received'), stdout)
    assert.ok(lines.includes('opened: false'), stdout)
    assert.equal(
      lines.at(-1),
      '400 /problems/validation /fields/education_provider /fields/course_name /fields/conferral_year',
    )
  })

  test('the README’s “Receive webhooks” receiver runs as printed with plain node: verifies, refuses forgeries, drops duplicates', async () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Receive webhooks'))
    const code = /```js\n([\s\S]*?)```/.exec(section)![1]!
    const cwd = fs.mkdtempSync(path.join(consumer, 'receiver-'))
    fs.writeFileSync(path.join(cwd, 'receive.mjs'), code)
    const { client_id: clientId, client_secret: clientSecret } = demo()
    const sdk = createClient({ baseUrl, clientId, clientSecret })
    const port = await freePort()
    const endpoint = await sdk.webhooks.create({
      url: `http://127.0.0.1:${port}/credport`,
      event_types: ['asset.received'],
    })
    const child = spawn(process.execPath, ['receive.mjs'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), CREDPORT_WEBHOOK_SECRET: endpoint.secret },
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const until = async (what: string, done: () => boolean) => {
      const deadline = Date.now() + 15_000
      while (!done()) {
        assert.ok(Date.now() < deadline && child.exitCode === null, `${what}: stdout ${out} stderr ${err}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    try {
      await until('the receiver listens', () => out.includes(`listening on ${port}`))

      // A real delivery: one document of the sample batch uploaded, its asset.received delivered by the server's job.
      const batch = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples/v2-batch.json'), 'utf8'))
      batch.credential_id = `receiver-${Date.now()}`
      const created = await sdk.submitBatch(batch)
      const upload = created.asset_uploads.find((u) => u.content_type === 'application/pdf')!
      await sdk.uploadAsset(upload, fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/documents/tiny.pdf')))
      const line = `asset.received ${batch.credential_id} received`
      await until('the event is printed', () => out.includes(line))
      // The receiver answers before the server records the attempt: wait for the record.
      let page = await sdk.webhooks.deliveries(endpoint.id)
      for (const deadline = Date.now() + 15_000; page.deliveries.some((d) => d.status === 'pending'); ) {
        assert.ok(Date.now() < deadline, 'the attempt is recorded')
        await new Promise((r) => setTimeout(r, 100))
        page = await sdk.webhooks.deliveries(endpoint.id)
      }
      assert.deepEqual(
        page.deliveries.map((d) => [d.event_type, d.status, d.last_status_code]),
        [['asset.received', 'delivered', 204]],
      )

      // A forgery is refused with 400 and its reason; a correctly signed duplicate is answered 2xx, handled once.
      const event = {
        event_id: page.deliveries[0]!.event_id,
        type: 'asset.received',
        data: { id: batch.credential_id, status: 'received' },
      }
      const body = JSON.stringify(event)
      const timestamp = String(Math.floor(Date.now() / 1000))
      const key = Buffer.from(endpoint.secret.slice('whsec_'.length), 'base64')
      const signature = createHmac('sha256', key).update(`${event.event_id}.${timestamp}.${body}`).digest('base64')
      const send = (sig: string) =>
        fetch(`http://127.0.0.1:${port}/credport`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': event.event_id,
            'webhook-timestamp': timestamp,
            'webhook-signature': sig,
          },
          body,
        })
      assert.equal((await send(`v1,${Buffer.alloc(32).toString('base64')}`)).status, 400)
      await until('the refusal is printed', () => out.includes('refused: no_matching_signature'))
      assert.equal((await send(`v1,${signature}`)).status, 204)
      // Its output is ordered: once a later refusal is printed, a line for the duplicate would be too.
      assert.equal((await send('v1,AAAA')).status, 400)
      await until('the second refusal is printed', () => out.split('refused: no_matching_signature').length === 3)
      assert.equal(out.split(line).length - 1, 1, 'the duplicate is not handled again')
      assert.equal(err, '')
    } finally {
      child.kill('SIGTERM')
      await sdk.webhooks.delete(endpoint.id)
    }
  })

  test('its .d.ts types check in a TypeScript project: typed payloads, a wrong field is an error', async () => {
    // skipLibCheck, as `tsc --init` sets it: TypeBox's own declarations cost 14 s of CPU to check
    // (2.3 million type instantiations) and are TypeBox's business. The SDK's declarations are
    // checked in full all the same: copied as .ts files into declarations/ (ambient declarations
    // are valid TypeScript, and skipLibCheck skips only .d.ts files), each type they name must
    // resolve with these options (no Node types: `types` is empty).
    for (const file of fs.readdirSync(DIST, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.d.ts')) continue
      const copy = path.join(consumer, 'declarations', file.replace(/\.d\.ts$/, '.ts'))
      fs.mkdirSync(path.dirname(copy), { recursive: true })
      fs.copyFileSync(path.join(DIST, file), copy)
    }
    assert.ok(fs.existsSync(path.join(consumer, 'declarations/client/index.ts')), 'the SDK declarations are copied')
    // What npm installs beside credport for a consumer: its dependency, which the copies import.
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules/typebox'), path.join(consumer, 'node_modules/typebox'))
    fs.writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2023', 'DOM'],
          strict: true,
          noEmit: true,
          types: [],
          skipLibCheck: true,
        },
        files: ['good.ts'],
        include: ['declarations/**/*.ts'],
      }),
    )
    fs.writeFileSync(
      path.join(consumer, 'good.ts'),
      `import { createClient, type V2BatchPayload, type CredentialFields } from 'credport/client'
       const fields: CredentialFields<'education'> = { full_name: 'A', education_provider: 'U', course_name: 'C', conferral_year: '2020' }
       const batch: V2BatchPayload = { credential_id: 'b', education_items: [{ credential_id: 'e', fields }] }
       const sdk = createClient({ baseUrl: 'http://x', clientId: 'a', clientSecret: 'b' })
       export const done: Promise<string> = sdk.submitBatch(batch).then((r) => r.asset_uploads[0]?.url ?? r.redirect_uri)
       // @ts-expect-error: not a field of an education qualification
       export const wrong: CredentialFields<'education'> = { ...fields, course: 'x' }
      `,
    )
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer })
  })
})
