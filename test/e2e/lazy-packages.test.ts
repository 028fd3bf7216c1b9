import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { emptyPostgresDatabase } from '../support/databases.js'
import { PROJECT_ROOT as ROOT, startServerProcess, type ServerProcess } from '../support/server-process.js'

/**
 * Packages a server loads only when it first needs them (their heap is the issue of a lean process):
 * PGlite only on the embedded default, nodemailer with the first mail, file-type with the first
 * document, qrcode with the first QR code, yazl with the first export. TypeBox and jose, hundreds
 * of small modules as installed, it loads from the build's bundles (dist/vendor/).
 */
const LOADED_ON_USE = ['@electric-sql/pglite', 'nodemailer', 'file-type', 'qrcode', 'yazl']

/**
 * A module hook (run in Node's loader thread) that appends the name of every package whose files
 * are loaded to the file named by LOADED_PACKAGES_FILE, once each.
 */
const RECORDER = `
import fs from 'node:fs'
const seen = new Set()
export async function load(url, context, nextLoad) {
  const name = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url)?.[1]
  if (name && !seen.has(name)) {
    seen.add(name)
    fs.appendFileSync(process.env.LOADED_PACKAGES_FILE, name + '\\n')
  }
  return nextLoad(url, context)
}
`
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(
  `data:text/javascript,${encodeURIComponent(RECORDER)}`,
)})`

describe('packages loaded on first use [postgres]', {
  skip: process.env.TEST_DATABASE_URL ? undefined : 'needs the test PostgreSQL (npm test starts one)',
}, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-lazy-'))
  let server: ServerProcess | undefined

  after(async () => {
    await server?.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  test('a server on PostgreSQL starts without PGlite, nodemailer, file-type, qrcode or yazl', async () => {
    const record = path.join(dir, 'loaded.txt')
    server = await startServerProcess({
      DATABASE_URL: await emptyPostgresDatabase(),
      DATA_DIR: path.join(dir, 'data'),
      LOADED_PACKAGES_FILE: record,
      NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(REGISTER)}`,
    })
    const response = await fetch(`${server.url}/readyz`)
    assert.equal(response.status, 200)
    const loaded = fs.readFileSync(record, 'utf8').trim().split('\n')
    // The recorder works: the packages every request needs are in the list.
    for (const name of ['fastify', 'pg', 'drizzle-orm']) assert.ok(loaded.includes(name), `${name} in ${loaded}`)
    for (const name of LOADED_ON_USE) assert.ok(!loaded.includes(name), `${name} was loaded at start: ${loaded}`)
    // TypeBox and jose come from the build's bundles (dist/vendor/, scripts/build.mjs), not as installed.
    for (const name of ['typebox', 'jose'])
      assert.ok(!loaded.includes(name), `${name} was loaded as installed: ${loaded}`)
  })
})

/** What the partner and admin commands never need: the server's stack, its schemas and its stores. */
const NOT_FOR_THE_CLI = [
  'typebox',
  'ajv',
  'ajv-formats',
  'fastify',
  'pg',
  'drizzle-orm',
  '@electric-sql/pglite',
  '@aws-sdk/client-s3',
  'preact',
]

describe('packages the CLI loads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-lazy-cli-'))
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  /** The packages `credport <args>` loaded (it talks to a port nothing listens on). */
  function packagesOf(args: string[]): string[] {
    const record = path.join(dir, `${args.join('-')}.txt`)
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'credport.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        CREDPORT_URL: 'http://127.0.0.1:9',
        CREDPORT_CLIENT_ID: 'cp_lazy',
        CREDPORT_CLIENT_SECRET: 'cps_lazy',
        LOADED_PACKAGES_FILE: record,
        NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(REGISTER)}`,
      },
    })
    assert.equal(run.signal, null, run.stderr)
    return fs.readFileSync(record, 'utf8').trim().split('\n')
  }

  for (const args of [['--help'], ['webhooks', 'list'], ['status', 'some-request-id']]) {
    test(`credport ${args.join(' ')} loads commander, not the server's packages`, () => {
      const loaded = packagesOf(args)
      assert.ok(loaded.includes('commander'), `the recorder works: ${loaded}`)
      for (const name of NOT_FOR_THE_CLI) assert.ok(!loaded.includes(name), `${name} was loaded: ${loaded}`)
    })
  }
})
