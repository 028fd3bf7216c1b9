import { sql } from 'drizzle-orm'
import { executeNamed, type Db } from '../db/client.js'
import type { Clock } from './clock.js'
import { waitSeconds, type RateLimiter, type WindowCounts, type WindowRule } from './window-limiter.js'

/**
 * WindowLimiter's sliding window kept in the database (the UNLOGGED table `rate_windows`, one row
 * per key), so that every instance on one PostgreSQL counts against the same limit. Each event is
 * one upsert that moves the key's window on and counts it, atomically: concurrent instances see
 * distinct counts. `take` lets an event through when the count before it passed; otherwise it takes
 * its count back (a refused event is not counted, as in memory). Keys are prefixed with the
 * limiter's name. Rows idle for two windows are deleted now and then by whichever instance counts.
 */
export class SharedWindowLimiter implements RateLimiter {
  private lastPurge = 0
  /** The takes of each key waiting for this instance's statement for that key to finish. */
  private readonly queues = new Map<string, Waiter[]>()

  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly options: WindowRule & { clock: Clock },
  ) {
    if (!Number.isInteger(options.max) || options.max < 1)
      throw new Error(`SharedWindowLimiter: max must be a whole number ≥ 1 (got ${options.max})`)
    if (!Number.isInteger(options.windowMs) || options.windowMs < 1)
      throw new Error(`SharedWindowLimiter: windowMs must be a whole number ≥ 1 (got ${options.windowMs})`)
  }

  async retryAfterSeconds(key: string): Promise<number> {
    const now = this.options.clock.now().getTime()
    const rows = await executeNamed(
      this.db,
      'rate_windows_read',
      sql`select window_start, current_count, previous_count from rate_windows where key = ${this.key(key)}`,
    )
    const counts = movedOn(rows[0] === undefined ? undefined : countsOf(rows[0]), now, this.options.windowMs)
    return counts ? waitSeconds(counts, now - counts.start, this.options) : 0
  }

  async count(key: string): Promise<void> {
    await this.increment(key, this.options.clock.now().getTime(), 1)
  }

  /**
   * Takes one event of `key`. The takes of one key that arrive while this instance's statement for
   * it runs wait and then go together, as one upsert of their number: under load a busy client costs
   * a statement per round trip, not one per request, and its row is locked less often.
   */
  take(key: string): Promise<number> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(key)
      if (!queue) {
        queue = []
        this.queues.set(key, queue)
        queue.push({ resolve, reject })
        void this.drain(key, queue)
      } else queue.push({ resolve, reject })
    })
  }

  /** Runs the waiting takes of `key` in batches until none is left. */
  private async drain(key: string, queue: Waiter[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, queue.length)
      try {
        const waits = await this.takeMany(key, batch.length)
        for (const [i, waiter] of batch.entries()) waiter.resolve(waits[i]!)
      } catch (error) {
        for (const waiter of batch) waiter.reject(error)
      }
    }
    this.queues.delete(key)
  }

  /** Counts `n` events of `key` at once; each one's wait (0: let through), and the refused ones' counts taken back. */
  private async takeMany(key: string, n: number): Promise<number[]> {
    const now = this.options.clock.now().getTime()
    const after = await this.increment(key, now, n)
    // The counts before these events. They may include concurrent refused events that have yet to
    // take theirs back: their wait may then come out longer than needed, never shorter.
    let current = after.current - n
    const waits: number[] = []
    for (let i = 0; i < n; i++) {
      const wait = waitSeconds({ ...after, current }, now - after.start, this.options)
      waits.push(wait)
      // A refused event counts for nothing; once one is refused, the rest are too (same counts).
      if (wait === 0) current++
    }
    const refused = waits.filter((wait) => wait > 0).length
    if (refused > 0) {
      await executeNamed(
        this.db,
        'rate_windows_take_back',
        sql`update rate_windows set current_count = greatest(current_count - ${refused}::int, 0)
            where key = ${this.key(key)} and window_start = ${after.start}::bigint`,
      )
    }
    return waits
  }

  /** Counts `n` events of `key` at `now` in its window (moved on first) and returns the counts after them. */
  private async increment(key: string, now: number, n: number): Promise<WindowCounts> {
    const w = this.options.windowMs
    const rows = await executeNamed(
      this.db,
      'rate_windows_count',
      sql`insert into rate_windows as r (key, window_start, current_count, previous_count)
          values (${this.key(key)}, ${now}::bigint, ${n}::int, 0)
          on conflict (key) do update set
            window_start = case
              when ${now}::bigint - r.window_start < ${w}::bigint then r.window_start
              when ${now}::bigint - r.window_start < 2 * ${w}::bigint and r.current_count > 0 then r.window_start + ${w}::bigint
              else ${now}::bigint end,
            previous_count = case
              when ${now}::bigint - r.window_start < ${w}::bigint then r.previous_count
              when ${now}::bigint - r.window_start < 2 * ${w}::bigint and r.current_count > 0 then r.current_count
              else 0 end,
            current_count = case when ${now}::bigint - r.window_start < ${w}::bigint then r.current_count + ${n}::int else ${n}::int end
          returning window_start, current_count, previous_count`,
    )
    this.purgeNowAndThen(now)
    return countsOf(rows[0]!)
  }

  /** Once a window per instance and limiter: deletes the rows of keys idle for two windows (in the background). */
  private purgeNowAndThen(now: number): void {
    const w = this.options.windowMs
    if (now - this.lastPurge < w) return
    this.lastPurge = now
    executeNamed(
      this.db,
      'rate_windows_purge',
      sql`delete from rate_windows where starts_with(key, ${`${this.name}:`}) and window_start < ${now - 2 * w}::bigint`,
    ).catch(() => {})
  }

  private key(key: string): string {
    return `${this.name}:${key}`
  }
}

interface Waiter {
  resolve(wait: number): void
  reject(error: unknown): void
}

function countsOf(row: unknown): WindowCounts {
  const r = row as { window_start: unknown; current_count: unknown; previous_count: unknown }
  return { start: Number(r.window_start), current: Number(r.current_count), previous: Number(r.previous_count) }
}

/** The counts as they stand at `now` (as the upsert would move them); undefined when nothing is left. */
function movedOn(counts: WindowCounts | undefined, now: number, windowMs: number): WindowCounts | undefined {
  if (!counts) return undefined
  const elapsed = now - counts.start
  if (elapsed < windowMs) return counts
  if (elapsed < 2 * windowMs && counts.current > 0)
    return { start: counts.start + windowMs, current: 0, previous: counts.current }
  return undefined
}
