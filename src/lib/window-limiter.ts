import { setBounded } from './bounded-map.js'
import type { Clock } from './clock.js'

/** One key's counts: in the window that started at `start`, and in the window just before it. */
interface Counts {
  start: number
  current: number
  previous: number
}

/**
 * Counts events per key (a client, an IP address) over a sliding window and says how long a key
 * must wait once it reached `max`. The sliding count is the current fixed window's count plus the
 * previous window's, weighted by how much of the previous window the sliding window still covers
 * (events assumed even within a window): a key cannot burst to twice `max` across a window
 * boundary, as it could with fixed windows. In memory, per instance; bounded in size.
 */
export class WindowLimiter {
  private readonly counts = new Map<string, Counts>()

  constructor(private readonly options: { max: number; windowMs: number; clock: Clock; maxKeys?: number }) {}

  /** Seconds until `key` may go on (no further events assumed); 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const now = this.options.clock.now().getTime()
    const counts = this.current(key, now)
    if (!counts) return 0
    const { max, windowMs } = this.options
    const elapsed = now - counts.start
    if (weighted(counts, elapsed, windowMs) < max) return 0
    let waitMs: number
    if (counts.current < max) {
      // Within this window, once the previous window's weighted share has shrunk enough.
      waitMs = windowMs * (1 - (max - counts.current) / counts.previous) - elapsed
    } else {
      // In the next window, once this window's share has: current × (1 − t / windowMs) < max.
      waitMs = windowMs - elapsed + windowMs * (1 - max / counts.current)
    }
    // Whole seconds, strictly past the moment the count reaches `max` again.
    return Math.max(1, Math.floor(waitMs / 1000) + 1)
  }

  /** Records one event of `key`. */
  count(key: string): void {
    const now = this.options.clock.now().getTime()
    const counts = this.current(key, now)
    if (counts) counts.current++
    else setBounded(this.counts, key, { start: now, current: 1, previous: 0 }, this.options.maxKeys ?? 10_000)
  }

  /** The key's counts moved on to the window `now` falls in; undefined when it has none left. */
  private current(key: string, now: number): Counts | undefined {
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
    return counts
  }
}

/** The sliding count `elapsed` ms into the current window. */
function weighted(counts: Counts, elapsed: number, windowMs: number): number {
  return counts.previous * (1 - elapsed / windowMs) + counts.current
}
