import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { emptyPostgresDatabase } from '../support/databases.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

/**
 * Packages a server loads only when it first needs them (their heap is the issue of a lean process):
 * PGlite only on the embedded default, nodemailer with the first mail, file-type with the first
 * document, qrcode with the first QR code, yazl with the first export.
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
  })
})
