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

/** Key 'a' is told to wait `seconds`: it is still refused a second before, and let through then. */
function assertExactWait(limiter: WindowLimiter, clock: ManualClock, seconds: number): void {
  assert.equal(limiter.retryAfterSeconds('a'), seconds)
  clock.advance((seconds - 1) * 1000)
  assert.ok(limiter.retryAfterSeconds('a') > 0, 'still refused a second early')
  clock.advance(1000)
  assert.equal(limiter.retryAfterSeconds('a'), 0)
}

describe('WindowLimiter (sliding window)', () => {
  it('refuses a limit or window that cannot count', () => {
    const clock = new ManualClock()
    assert.throws(() => new WindowLimiter({ max: 0, windowMs: MINUTE, clock }), /max must be/)
    assert.throws(() => new WindowLimiter({ max: 5, windowMs: 0, clock }), /windowMs must be/)
  })

  it('the size bound drops the key idle the longest, not a busy one that keeps rolling over', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 2, windowMs: MINUTE, clock, maxKeys: 2 })
    limiter.count('busy')
    limiter.count('busy')
    limiter.count('idle')
    clock.advance(MINUTE) // busy rolls over on its next look and becomes the newest
    limiter.count('busy')
    limiter.count('busy')
    limiter.count('third') // over the bound: 'idle' goes, 'busy' keeps its count
    assert.ok(limiter.retryAfterSeconds('busy') > 0)
  })

  it('lets max events pass, then asks to wait; keys are independent', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 10, windowMs: MINUTE, clock })
    assert.equal(burst(limiter, 'a', 25), 10)
    const wait = limiter.retryAfterSeconds('a')
    // All 10 at one moment: the first frees a moment after a whole window.
    assert.equal(wait, 61)
    assert.equal(burst(limiter, 'b', 3), 3)
  })

  it('refuses an instant double burst across the window boundary (a fixed window would let twice max through)', () => {
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
    assertExactWait(limiter, clock, 31)
    limiter.count('a')
    assert.ok(limiter.retryAfterSeconds('a') > 0, 'one event fits, the next must wait again')
  })

  it('Retry-After within the window while the previous one still weighs: exact, including on a whole-second boundary', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 5, windowMs: MINUTE, clock })
    assert.equal(burst(limiter, 'a', 5), 5)
    clock.advance(MINUTE)
    limiter.count('a')
    // 5 × (60 − t)/60 + 1 < 5 once t > 12 s exactly: at 12 s the count is still 5, so 13.
    assertExactWait(limiter, clock, 13)
  })

  it('Retry-After past the next window when more than max were counted (concurrent events counted late)', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 5, windowMs: MINUTE, clock })
    for (let i = 0; i < 8; i++) limiter.count('a')
    clock.advance(30_000)
    // Next window: 8 × (60 − t)/60 < 5 once t > 22.5 s, i.e. 82.5 s after the first event: 53 s from now.
    assertExactWait(limiter, clock, 53)
  })

  it('Retry-After agrees with what is let through, second by second, for many patterns', () => {
    for (const [max, early, late, gap] of [
      [1200, 720, 600, 0],
      [7, 3, 6, 17_000],
      [60, 60, 0, 59_999],
      [3, 2, 1, 45_500],
    ] as const) {
      const clock = new ManualClock()
      const limiter = new WindowLimiter({ max, windowMs: MINUTE, clock })
      for (let i = 0; i < early; i++) limiter.count('a')
      clock.advance(MINUTE + gap)
      for (let i = 0; i < late; i++) limiter.count('a')
      const wait = limiter.retryAfterSeconds('a')
      if (wait === 0) continue
      // Refused at every whole second before the wait, let through at it.
      for (let s = 1; s <= wait; s++) {
        clock.advance(1000)
        assert.equal(
          limiter.retryAfterSeconds('a') === 0,
          s === wait,
          `max ${max}, ${early}+${late}: at ${s} s of ${wait}`,
        )
      }
    }
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

  it('a key idle for two windows starts afresh', () => {
    const clock = new ManualClock()
    const limiter = new WindowLimiter({ max: 5, windowMs: MINUTE, clock })
    assert.equal(burst(limiter, 'a', 10), 5)
    clock.advance(2 * MINUTE + 1)
    assert.equal(burst(limiter, 'a', 10), 5)
  })
})
