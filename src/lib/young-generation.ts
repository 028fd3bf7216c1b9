// V8's young generation during start-up. V8 doubles the young generation's semi-spaces whenever
// many of its objects survive a collection, up to 16 MiB each. Loading the server's modules is such
// a burst: it grew them to the maximum and V8 kept them, 32 MiB resident in an idle server. Held at
// their first size while the server starts and let grow again once it listens, they grow only if
// the traffic asks for it (measured: 20 MiB less idle on PostgreSQL, the same CPU per request under
// load; bench/results.md).
//
// server.ts, the entry, holds it before it loads the server's modules (server-main.ts, which lets go
// once it listens): a module's imports are all loaded and parsed before any of them runs. An
// operator's own `--semi-space-growth-factor` or `--max-semi-space-size` (command line or
// NODE_OPTIONS) is left alone.
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
