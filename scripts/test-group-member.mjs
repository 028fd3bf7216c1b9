// One member of a group of test files sharing a process (see scripts/test-groups.mjs): the file is
// imported inside a suite named by its path, so its tests and top-level hooks belong to that suite;
// with TEST_FILE_STATE_DIR set, the suite's time is appended to members.jsonl ({ file, ms }) for
// `UPDATE_TEST_DURATIONS=1 npm test`. A process that exits before every member's suite has
// finished (a member's `process.exit`, say) exits with code 1, naming those members: the run
// fails instead of passing without them.

import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { after, before, describe } from 'node:test'

const unfinished = new Set()

process.on('exit', () => {
  if (unfinished.size === 0) return
  process.stderr.write(
    `[test] the group's process ended before these files' suites finished: ${[...unfinished].join(', ')}\n`,
  )
  process.exitCode = 1
})

export function member(file, url) {
  unfinished.add(file)
  // Node builds every suite (runs this function, so imports the file) as the group module loads;
  // it runs them one after the other: the time counts from this suite's start.
  describe(file, async () => {
    let startedAt = performance.now()
    before(() => {
      startedAt = performance.now()
    })
    await import(url)
    // Registered after the file's own hooks: it runs after them, so their time counts too.
    after(() => {
      unfinished.delete(file)
      const dir = process.env.TEST_FILE_STATE_DIR
      if (!dir) return
      try {
        appendFileSync(
          join(dir, 'members.jsonl'),
          `${JSON.stringify({ file, ms: Math.round(performance.now() - startedAt) })}\n`,
        )
      } catch {
        // the runner's folder is gone (the run is ending): nothing to record
      }
    })
  })
}
