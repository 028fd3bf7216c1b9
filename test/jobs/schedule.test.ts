import assert from 'node:assert/strict'
import { it, test } from 'node:test'
import { JOB_SCHEDULE } from '../../src/jobs/schedule.js'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { freshBatch, V2_BATCH } from '../support/intake-helpers.js'

function recordingLog() {
  const lines: Array<{ level: string; object: object; message: string }> = []
  const at = (level: string) => (object: object, message: string) => void lines.push({ level, object, message })
  return { lines, info: at('info'), warn: at('warn'), error: at('error') }
}

test('the schedule names each job once, each with an interval and a bounded pass', () => {
  const names = JOB_SCHEDULE.map((job) => job.name)
  assert.deepEqual(names, [...new Set(names)])
  for (const job of JOB_SCHEDULE) assert.ok(job.intervalMs > 0 && job.limit > 0, job.name)
})

describeEachBackend('scheduled jobs', (use) => {
  it('one pass of every job runs with the application dependencies; expiry reports what it expired', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t)
    const created = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
    assert.equal(created.status, 201, created.text)
    t.clock.advance(48 * 3600_000 + 1000)
    try {
      const log = recordingLog()
      const handled: Record<string, number> = {}
      for (const job of JOB_SCHEDULE) handled[job.name] = await job.perform(t.deps, { limit: job.limit, log })
      assert.equal(handled['expire-submissions'], 1)
      assert.ok(
        Object.values(handled).every((n) => Number.isInteger(n) && n >= 0),
        JSON.stringify(handled),
      )
      assert.deepEqual(
        log.lines.filter((l) => l.message === 'submissions expired').map((l) => l.object),
        [{ expired: 1 }],
      )
    } finally {
      t.clock.set(new Date())
    }
  })
})
