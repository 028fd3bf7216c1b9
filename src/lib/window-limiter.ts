import { setBounded } from './bounded-map.js'
import type { Clock } from './clock.js'

/**
 * Counts events per key (a client, an IP address) in fixed windows and says how long a key must
 * wait once it reached `max` in the current window. In memory, per instance; bounded in size.
 */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(private readonly options: { max: number; windowMs: number; clock: Clock; maxKeys?: number }) {}

  /** Seconds until `key` may go on; 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const entry = this.current(key)
    if (!entry || entry.count < this.options.max) return 0
    return Math.max(1, Math.ceil((entry.start + this.options.windowMs - this.options.clock.now().getTime()) / 1000))
  }

  /** Records one event of `key`. */
  count(key: string): void {
    const entry = this.current(key)
    if (entry) {
      entry.count++
      return
    }
    setBounded(this.windows, key, { start: this.options.clock.now().getTime(), count: 1 }, this.options.maxKeys ?? 10_000)
  }

  private current(key: string) {
    const entry = this.windows.get(key)
    if (entry && entry.start + this.options.windowMs <= this.options.clock.now().getTime()) {
      this.windows.delete(key)
      return undefined
    }
    return entry
  }
}
