// Kept over @fastify/rate-limit: its stores count every request (refused ones too) in fixed windows on Date.now(), and it limits routes only; this counts what it lets through in a sliding window on the injected clock, per client after the bearer check and for failed token-endpoint authentications alike. The same window, kept in the database for every instance, is shared-window-limiter.ts.
import { setBounded } from './bounded-map.js'
import type { Clock } from './clock.js'

/** One key's counts: in the window that started at `start`, and in the window just before it. */
export interface WindowCounts {
  start: number
  current: number
  previous: number
}

/**
 * Counts events per key (a client, an IP address) over a sliding window and says how long a key
 * must wait once it reached about `max`. The sliding count is the current fixed window's count plus
 * the previous window's, weighted by how much of the previous window the sliding window still
 * covers, as if its events were spread evenly: an approximation of "max per sliding minute" that
 * stops the instant double burst fixed windows allow at a boundary (max at the end of one window,
 * max again at the start of the next). In memory, per instance; bounded in size.
 * SharedWindowLimiter keeps the same counts in the database.
 */
export class WindowLimiter implements RateLimiter {
  private readonly counts = new Map<string, WindowCounts>()

  constructor(private readonly options: { max: number; windowMs: number; clock: Clock; maxKeys?: number }) {
    if (!Number.isInteger(options.max) || options.max < 1)
      throw new Error(`WindowLimiter: max must be a whole number ≥ 1 (got ${options.max})`)
    if (!Number.isInteger(options.windowMs) || options.windowMs < 1)
      throw new Error(`WindowLimiter: windowMs must be a whole number ≥ 1 (got ${options.windowMs})`)
  }

  /** Seconds until `key` may go on (no further events assumed); 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const now = this.options.clock.now().getTime()
    const counts = this.current(key, now)
    return counts ? waitSeconds(counts, now - counts.start, this.options) : 0
  }

  /** Counts one event of `key` if it may go on now (0), else counts nothing and says how long to wait. */
  take(key: string): number {
    const wait = this.retryAfterSeconds(key)
    if (wait === 0) this.count(key)
    return wait
  }

  /** Records one event of `key`. */
  count(key: string): void {
    const now = this.options.clock.now().getTime()
    const counts = this.current(key, now)
    if (counts) counts.current++
    else setBounded(this.counts, key, { start: now, current: 1, previous: 0 }, this.options.maxKeys ?? 10_000)
  }

  /** The key's counts moved on to the window `now` falls in; undefined when it has none left. */
  private current(key: string, now: number): WindowCounts | undefined {
    const counts = this.counts.get(key)
    if (!counts) return undefined
    const { windowMs } = this.options
    const windowsPassed = Math.floor((now - counts.start) / windowMs)
    if (windowsPassed === 0) return counts
    if (windowsPassed > 1 || counts.current === 0) {
      // Nothing counted within the last window: the key starts afresh.
      this.counts.delete(key)
      return undefined
    }
    counts.start += windowMs
    counts.previous = counts.current
    counts.current = 0
    // Moved to the newest end, so that the size bound drops keys idle the longest, not busy ones.
    this.counts.delete(key)
    this.counts.set(key, counts)
    return counts
  }
}

/** A window's size and the events it lets through. */
export interface WindowRule {
  max: number
  windowMs: number
}

/**
 * Seconds until one more event passes, `elapsed` ms after the start of the counts' window (no
 * events assumed meanwhile); 0 when it passes now.
 */
export function waitSeconds(counts: WindowCounts, elapsed: number, rule: WindowRule): number {
  if (passes(counts, elapsed, rule)) return 0
  const { max, windowMs } = rule
  // The moment the sliding count falls below max, first estimated in floating point…
  const estimateMs =
    counts.current < max
      ? // within this window, once the previous window's weighted share has shrunk enough
        windowMs * (1 - (max - counts.current) / counts.previous) - elapsed
      : // in the next window, once this window's share has: current × (1 − t / windowMs) < max
        windowMs - elapsed + windowMs * (1 - max / counts.current)
  // …then settled in whole seconds with the exact integer test: the first second that passes.
  let seconds = Math.max(1, Math.floor(estimateMs / 1000) + 1)
  while (!passes(counts, elapsed + seconds * 1000, rule)) seconds++
  while (seconds > 1 && passes(counts, elapsed + (seconds - 1) * 1000, rule)) seconds--
  return seconds
}

/**
 * Whether one more event would be let through `elapsed` ms after the start of the counts' window
 * (no events assumed meanwhile): the sliding count is below max. In integers (times are whole
 * milliseconds): previous × (windowMs − elapsed) / windowMs + current < max, and likewise one
 * window later with current as the previous window.
 */
function passes(counts: WindowCounts, elapsed: number, { max, windowMs }: WindowRule): boolean {
  if (elapsed < windowMs) return counts.previous * (windowMs - elapsed) + counts.current * windowMs < max * windowMs
  if (elapsed < 2 * windowMs) return counts.current * (2 * windowMs - elapsed) < max * windowMs
  return true
}

/** A per-key limit kept in memory (WindowLimiter) or in the database for every instance (SharedWindowLimiter). */
export interface RateLimiter {
  /** Seconds until `key` may go on; 0 when it may now. */
  retryAfterSeconds(key: string): number | Promise<number>
  /** Records one event of `key`. */
  count(key: string): void | Promise<void>
  /** Records one event of `key` if it may go on now (0); otherwise records nothing and says how long to wait. */
  take(key: string): number | Promise<number>
}
