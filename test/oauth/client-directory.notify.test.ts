import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'drizzle-orm'
import { CLIENT_CHANGES_CHANNEL } from '../../src/modules/oauth/client-directory.js'
import { markClientRevoked } from '../../src/modules/oauth/index.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { makePartner } from '../support/factories.js'

/** Polls `probe` every 10 ms until it is true; fails after `limitMs`. */
async function within(limitMs: number, what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!(await probe())) {
    assert.ok(Date.now() < deadline, `${what}: not within ${limitMs} ms`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The backends LISTENing in this test's database. */
async function listeners(t: TestApp): Promise<number[]> {
  const result = (await t.deps.db.execute(
    sql`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %'`,
  )) as unknown as { rows: { pid: number }[] }
  return result.rows.map((r) => r.pid)
}

describe('ClientDirectory hears other instances’ changes through LISTEN/NOTIFY [postgres]', {
  skip: process.env.TEST_DATABASE_URL ? undefined : 'needs the test PostgreSQL (npm test starts one)',
}, () => {
  let t: TestApp
  before(async () => {
    t = await startTestApp('postgres')
  })
  after(async () => {
    await t?.close()
  })

  /** A client the directory knows as active; revoked in the database behind its back; then NOTIFYed. */
  async function revokedElsewhere(): Promise<void> {
    const client = await makePartner(t)
    assert.ok(await t.deps.clients.lookup(client.client_id))
    await markClientRevoked(t.deps.db, client.client_id, new Date())
    assert.ok(await t.deps.clients.lookup(client.client_id), 'cached: no database read for each request')
    await t.deps.db.execute(sql`select pg_notify(${CLIENT_CHANGES_CHANNEL}, ${client.client_id})`)
    await within(
      1_000,
      'forgotten after the NOTIFY',
      async () => (await t.deps.clients.lookup(client.client_id)) === null,
    )
  }

  it('a NOTIFY from another connection makes it forget the client at once', async () => {
    await revokedElsewhere()
  })

  it('its listening connection killed: it connects again and hears changes again', async () => {
    const [pid] = await listeners(t)
    assert.ok(pid, 'one connection listens')
    await t.deps.db.execute(sql`select pg_terminate_backend(${pid})`)
    await within(5_000, 'listening again', async () => (await listeners(t)).some((p) => p !== pid))
    await revokedElsewhere()
  })
})
