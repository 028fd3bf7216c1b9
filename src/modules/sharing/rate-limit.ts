import type { Clock } from '../../lib/clock.js'
import { WindowLimiter } from '../../lib/window-limiter.js'

/** Requests to share pages (`/s/…`) one IP address may make per sliding minute. */
export const SHARE_OPENS_PER_MINUTE = 60

/** The per-IP limiter of share pages: slows down token guessing and scraping, not a verifier reading. */
export function shareRateLimiter(clock: Clock): WindowLimiter {
  return new WindowLimiter({ max: SHARE_OPENS_PER_MINUTE, windowMs: 60_000, clock })
}
