import type { Clock } from './clock.js'

/**
 * Counts failures per key (a client IP) in fixed windows and says how long a key must wait once
 * it has failed `max` times in the current window. In memory, per instance; bounded in size.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>()

  constructor(private readonly options: { max: number; windowMs: number; clock: Clock; maxKeys?: number }) {}

  /** Seconds until `key` may try again; 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const entry = this.current(key)
    if (!entry || entry.failures < this.options.max) return 0
    return Math.max(1, Math.ceil((entry.start + this.options.windowMs - this.options.clock.now().getTime()) / 1000))
  }

  /** Records one failure of `key`. */
  fail(key: string): void {
    const entry = this.current(key)
    if (entry) {
      entry.failures++
      return
    }
    if (this.windows.size >= (this.options.maxKeys ?? 10_000)) this.windows.delete(this.windows.keys().next().value!)
    this.windows.set(key, { start: this.options.clock.now().getTime(), failures: 1 })
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
