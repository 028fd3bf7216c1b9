import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { startJobs } from '../../src/jobs/runner.js'

/** Waits until `done()` holds (polling), failing after `ms`. */
async function until(done: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now()
  while (!done()) {
    if (Date.now() - start > ms) throw new Error('condition not reached in time')
    await sleep(5)
  }
}

function recordingLog() {
  const errors: Array<{ object: Record<string, unknown>; message: string }> = []
  return {
    errors,
    error: (object: object, message: string) =>
      void errors.push({ object: object as Record<string, unknown>, message }),
  }
}

describe('job runner', () => {
  test('runs a job periodically, never two passes of one job at once', async () => {
    let running = 0
    let maxRunning = 0
    let passes = 0
    const jobs = startJobs(
      [
        {
          name: 'slow',
          intervalMs: 5,
          perform: async () => {
            running++
            maxRunning = Math.max(maxRunning, running)
            await sleep(30)
            running--
            passes++
            return 0
          },
        },
      ],
      recordingLog(),
    )
    await until(() => passes >= 3)
    await jobs.stop()
    assert.equal(maxRunning, 1)
  })

  test('an idle pass waits intervalMs; a pass that handled something is followed at once', async () => {
    const started: number[] = []
    let backlog = 3
    const jobs = startJobs(
      [
        {
          name: 'drain',
          intervalMs: 10_000,
          perform: async () => (started.push(Date.now()), backlog > 0 ? backlog-- : 0),
        },
      ],
      recordingLog(),
    )
    await until(() => started.length >= 4)
    await sleep(50)
    await jobs.stop()
    assert.equal(started.length, 4, 'three passes with work, then one idle pass, then the interval')
  })

  test('errors are logged with the job name, not thrown; the job keeps running', async () => {
    const log = recordingLog()
    let calls = 0
    const jobs = startJobs(
      [
        {
          name: 'flaky',
          intervalMs: 5,
          perform: async () => {
            calls++
            if (calls === 1) throw new Error('database unreachable')
            return 0
          },
        },
      ],
      log,
    )
    await until(() => calls >= 2)
    await jobs.stop()
    assert.equal(log.errors.length, 1)
    assert.equal(log.errors[0]!.object.job, 'flaky')
    assert.match(String((log.errors[0]!.object.err as Error).message), /database unreachable/)
    assert.ok(calls >= 2)
  })

  test('stop waits for a running pass and starts no new one', async () => {
    let finished = false
    let calls = 0
    const jobs = startJobs(
      [
        {
          name: 'long',
          intervalMs: 1,
          perform: async () => {
            calls++
            await sleep(80)
            finished = true
            return 1
          },
        },
      ],
      recordingLog(),
    )
    await until(() => calls === 1)
    await jobs.stop()
    assert.equal(finished, true, 'stop resolved only after the pass ended')
    assert.equal(calls, 1)
    await sleep(30)
    assert.equal(calls, 1, 'nothing runs after stop')
  })

  test('several jobs run independently', async () => {
    const counts = { a: 0, b: 0 }
    const jobs = startJobs(
      [
        { name: 'a', intervalMs: 5, perform: async () => (counts.a++, 0) },
        {
          name: 'b',
          intervalMs: 5,
          perform: async () => {
            counts.b++
            await sleep(50)
            return 0
          },
        },
      ],
      recordingLog(),
    )
    await until(() => counts.b >= 2)
    await jobs.stop()
    assert.ok(counts.a > counts.b, `a fast job is not held up by a slow one (${counts.a} vs ${counts.b})`)
  })
})
