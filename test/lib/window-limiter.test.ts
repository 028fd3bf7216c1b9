import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../../src/lib/clock.js'
import { WindowLimiter } from '../../src/lib/window-limiter.js'

const MINUTE = 60_000

/** Counts events of `key` while the limiter lets them pass; returns how many passed. */
function burst(limiter: WindowLimiter, key: string, attempts: number): number {
  let passed = 0
  for (let i = 0; i < attempts; i++) {
    if (limiter.retryAfterSeconds(key) > 0) continue
    limiter.count(key)
    passed++
  }
  return passed
}

describe('WindowLimiter (sliding window)', () => {
  it('lets max events pass, then asks to wait; keys are independent', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 10, windowMs: MINUTE, clock })
    assert.equal(burst(limiter, 'a', 25), 10)
    const wait = limiter.retryAfterSeconds('a')
    // All 10 at one moment: the first frees a moment after a whole window.
    assert.equal(wait, 61)
    assert.equal(burst(limiter, 'b', 3), 3)
  })

  it('refuses a burst across the window boundary: at most max in any minute, not twice max', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 60, windowMs: MINUTE, clock })
    limiter.count('a') // opens the key's window at 0 s
    clock.advance(55_000)
    assert.equal(burst(limiter, 'a', 100), 59)
    // 10 s later the window has turned; a fixed window would allow 60 more at once.
    clock.advance(10_000)
    const passed = burst(limiter, 'a', 100)
    // 60 events lie within the last 65 s; 5 s into the new window 60 × 55/60 = 55 of them still count.
    assert.equal(passed, 5)
  })

  it('Retry-After is exact to the second: refused a second before it, let through at it', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 60, windowMs: MINUTE, clock })
    assert.equal(burst(limiter, 'a', 60), 60)
    clock.advance(30_000)
    // Refused until the next window, then until the 60 of this one weigh less than 60: 30 s + a moment.
    const wait = limiter.retryAfterSeconds('a')
    assert.equal(wait, 31)
    clock.advance((wait - 1) * 1000)
    assert.ok(limiter.retryAfterSeconds('a') > 0, 'still refused a second early')
    clock.advance(1000)
    assert.equal(limiter.retryAfterSeconds('a'), 0)
    limiter.count('a')
    assert.ok(limiter.retryAfterSeconds('a') > 0, 'one event fits, the next must wait again')
  })

  it('waits within the window when the previous window still weighs: retry in proportion', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 10, windowMs: MINUTE, clock })
    assert.equal(burst(limiter, 'a', 10), 10)
    clock.advance(MINUTE) // new window: the 10 weigh fully, none counted yet
    const wait = limiter.retryAfterSeconds('a')
    // 10 × (1 − t/60) < 10 holds at once after 0 s: one event may go a moment later.
    assert.equal(wait, 1)
    clock.advance(1000)
    assert.equal(burst(limiter, 'a', 10), 1)
    clock.advance(29_000) // 30 s into the window: 10 × 0.5 + 1 = 6
    assert.equal(burst(limiter, 'a', 10), 4)
  })

  it('a key idle for a whole window starts afresh', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 5, windowMs: MINUTE, clock })
    assert.equal(burst(limiter, 'a', 10), 5)
    clock.advance(2 * MINUTE + 1)
    assert.equal(burst(limiter, 'a', 10), 5)
  })
})
