import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
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

/**
 * `credport/client` as a consumer gets it: compiled by `npm run build:client` (tsconfig.client.json,
 * into dist/client/), resolved through package.json `exports` from a project that has the package
 * in node_modules, run by plain `node` (no tsx) against a real server, and its `.d.ts` types
 * checked by `tsc` in that project.
 */

const run = promisify(execFile)
const DIST = path.join(PROJECT_ROOT, 'dist/client')

describe('the credport/client package', () => {
  let consumer: string
  let server: ServerProcess
  let baseUrl: string
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-package-'))
  const demo = () => readDemoClient(dataDir)
  before(async () => {
    await run(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.client.json'],
      {
        cwd: PROJECT_ROOT,
      },
    )
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-consumer-'))
    fs.mkdirSync(path.join(consumer, 'node_modules'))
    fs.symlinkSync(PROJECT_ROOT, path.join(consumer, 'node_modules/credport'))
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ type: 'module', private: true }))
    // A server process whose links name its real address (the upload links are followed by the code under test).
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    server = await startServerProcess({ DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: baseUrl })
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

  test('its .d.ts types check in a TypeScript project: typed payloads, a wrong field is an error', async () => {
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
        },
        files: ['good.ts'],
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
    const tsc = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc')
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer })
  })
})
