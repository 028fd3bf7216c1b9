// V8's young generation while the server is not busy. V8 doubles the young generation's semi-spaces
// whenever many of its objects survive a collection, up to 16 MiB each, and keeps them. Loading the
// server's modules is such a burst, and so is a holder's first visit (its pages compile their
// code): either grew them to the maximum, 14–32 MiB resident for nothing in a server that is mostly
// idle. Held at their first size until the server is busy, they grow only when steady traffic
// needs them to (with 1 MiB semi-spaces a busy server scavenges hundreds of times a second and
// spends a quarter more CPU per page; bench/results.md).
//
// server.ts, the entry, holds it before it loads the server's modules: a module's imports are all
// loaded and parsed before any of them runs. Once it listens, server-main.ts lets it grow after
// two seconds of a busy event loop (`releaseWhenBusy`); a visit is a burst of under a second. An
// operator's own `--semi-space-growth-factor` or `--max-semi-space-size` (command line or
// NODE_OPTIONS) is left alone.
import { performance } from 'node:perf_hooks'
import v8 from 'node:v8'

/** V8's default factor (its flag `semi_space_growth_factor`). */
const V8_DEFAULT_GROWTH = 2

const chosenByOperator = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) =>
  /^--(semi[-_]space[-_]growth[-_]factor|max[-_]semi[-_]space[-_]size)\b/.test(flag),
)

let held = false

/** Keeps the young generation at its size until `releaseYoungGeneration`. */
export function holdYoungGeneration(): void {
  if (chosenByOperator || held) return
  held = true
  v8.setFlagsFromString('--semi-space-growth-factor=1')
}

/** Lets the young generation grow again, as V8 does by default. */
export function releaseYoungGeneration(): void {
  if (!held) return
  held = false
  v8.setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`)
}

/** When the server counts as busy: its event loop at least this share of the time busy… */
const BUSY_UTILIZATION = 0.5
/** …in every check of BUSY_CHECKS in a row, one every CHECK_INTERVAL_MS (2 s in all). */
const CHECK_INTERVAL_MS = 250
const BUSY_CHECKS = 8

/**
 * Lets the young generation grow once the event loop has been busy (BUSY_UTILIZATION) for
 * BUSY_CHECKS checks in a row. The watch never keeps the process alive, and ends once it lets go.
 */
export function releaseWhenBusy(): void {
  if (!held) return
  let last = performance.eventLoopUtilization()
  let busyChecks = 0
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization()
    busyChecks = performance.eventLoopUtilization(now, last).utilization >= BUSY_UTILIZATION ? busyChecks + 1 : 0
    last = now
    if (busyChecks < BUSY_CHECKS) return
    clearInterval(timer)
    releaseYoungGeneration()
  }, CHECK_INTERVAL_MS)
  timer.unref()
}
