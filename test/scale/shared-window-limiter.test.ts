import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'drizzle-orm'
import { openPostgres, type Database } from '../../src/db/client.js'
import { ManualClock } from '../../src/lib/clock.js'
import { SharedWindowLimiter } from '../../src/lib/shared-window-limiter.js'
import { WindowLimiter } from '../../src/lib/window-limiter.js'
import { backends, freshDatabase } from '../support/databases.js'

const MINUTE = 60_000

/** A small deterministic pseudo-random sequence (the same every run). */
function sequence(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31
    return x / 2 ** 31
  }
}

for (const backend of backends()) {
  describe(`SharedWindowLimiter [${backend}]`, () => {
    let database: Database & { url?: string }
    before(async () => {
      database = await freshDatabase(backend)
    })
    after(async () => {
      await database?.close()
    })

    it('refuses a limit or window that cannot count', () => {
      const clock = new ManualClock()
      assert.throws(() => new SharedWindowLimiter(database.db, 'x', { max: 0, windowMs: MINUTE, clock }), /max must/)
      assert.throws(() => new SharedWindowLimiter(database.db, 'x', { max: 1, windowMs: 0, clock }), /windowMs must/)
    })

    it('answers exactly as the in-memory WindowLimiter over 400 random takes, counts and pauses', async () => {
      const clock = new ManualClock('2026-03-01T10:00:07.123Z')
      const rule = { max: 4, windowMs: 10_000 }
      const memory = new WindowLimiter({ ...rule, clock })
      const shared = new SharedWindowLimiter(database.db, 'equivalence', { ...rule, clock })
      const random = sequence(42)
      let refused = 0
      for (let i = 0; i < 400; i++) {
        const key = random() < 0.7 ? 'a' : 'b'
        const roll = random()
        if (roll < 0.5) {
          const wait = memory.take(key)
          assert.equal(await shared.take(key), wait, `take #${i}`)
          if (wait > 0) refused++
        } else if (roll < 0.6) {
          memory.count(key)
          await shared.count(key)
        } else {
          assert.equal(await shared.retryAfterSeconds(key), memory.retryAfterSeconds(key), `retry-after #${i}`)
        }
        clock.advance(Math.floor(random() * (random() < 0.05 ? 25_000 : 1_500)))
      }
      assert.ok(refused > 20, `the pattern reaches the limit often (${refused} refused)`)
    })

    it('limiters of another name, or on another key, count apart', async () => {
      const clock = new ManualClock()
      const one = new SharedWindowLimiter(database.db, 'one', { max: 2, windowMs: MINUTE, clock })
      const two = new SharedWindowLimiter(database.db, 'two', { max: 2, windowMs: MINUTE, clock })
      assert.deepEqual([await one.take('k'), await one.take('k'), await one.take('k')], [0, 0, 61])
      assert.deepEqual([await two.take('k'), await one.take('other')], [0, 0])
    })

    it('keys idle for two windows are deleted by the next count', async () => {
      const clock = new ManualClock()
      const limiter = new SharedWindowLimiter(database.db, 'purge', { max: 5, windowMs: MINUTE, clock })
      await limiter.count('old')
      clock.advance(3 * MINUTE)
      await limiter.count('new')
      const deadline = Date.now() + 5_000
      for (;;) {
        const rows = (await database.db.execute(
          sql`select key from rate_windows where key like 'purge:%' order by key`,
        )) as unknown as { rows: { key: string }[] }
        if (rows.rows.length === 1) {
          assert.deepEqual(rows.rows, [{ key: 'purge:new' }])
          break
        }
        assert.ok(Date.now() < deadline, 'the idle key was not purged')
        await new Promise((r) => setTimeout(r, 20))
      }
    })

    it('50 takes at once from two pools (two instances): exactly max pass', async (t) => {
      if (backend !== 'postgres') return t.skip('one process on PGlite')
      const other = await openPostgres(database.url!, 10)
      try {
        const clock = new ManualClock()
        const rule = { max: 10, windowMs: MINUTE, clock }
        const a = new SharedWindowLimiter(database.db, 'burst', rule)
        const b = new SharedWindowLimiter(other.db, 'burst', rule)
        const waits = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).take('client')))
        assert.equal(waits.filter((w) => w === 0).length, 10)
        // Refused at the same moment as others, a request may be told to wait longer, never shorter.
        assert.ok(waits.filter((w) => w > 0).every((w) => w >= 61))
        // Once the refused ones took their counts back: exactly the wait of 10.
        assert.equal(await a.retryAfterSeconds('client'), 61)
        assert.equal(await b.take('client'), 61)
      } finally {
        await other.close()
      }
    })
  })
}
