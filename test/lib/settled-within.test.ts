import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { settledWithin } from '../../src/lib/settled-within.js'

test('settledWithin: answers when the work settles, fulfilled or rejected', async () => {
  assert.equal(await settledWithin(sleep(5), 10_000), 'settled')
  assert.equal(await settledWithin(Promise.reject(new Error('failed')), 10_000), 'settled')
})

test('settledWithin: answers after the time limit while the work goes on, and leaves no timer behind', async () => {
  let done = false
  const work = sleep(200).then(() => {
    done = true
  })
  const started = Date.now()
  assert.equal(await settledWithin(work, 20), 'timed_out')
  assert.ok(Date.now() - started < 200)
  assert.equal(done, false)
  await work
  assert.equal(done, true)
  // A settled race leaves no pending timer of its own.
  const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  await settledWithin(Promise.resolve(), 60_000)
  assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, before)
})
