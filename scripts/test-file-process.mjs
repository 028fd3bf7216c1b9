// Preloaded (`--import`) by scripts/test.mjs into the test runner and so into every test file's
// process. In a test file's process (NODE_TEST_CONTEXT is set there, process.argv[1] is the file),
// with TEST_FILE_STATE_DIR set:
//   <pid>.running        written at start ({ file, pid, startedAt }): the runner's watchdog kills
//                        the file's processes once it has run longer than TEST_FILE_TIMEOUT
//   durations.jsonl      a line { file, ms } at exit: the file's wall time from its process's start
//                        (module loading included), read by scripts/test-reporter.mjs
// Anywhere else (the runner itself, a server a test starts) it does nothing.

import { appendFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { performance } from 'node:perf_hooks'

const dir = process.env.TEST_FILE_STATE_DIR
const script = process.argv[1]

if (dir && process.env.NODE_TEST_CONTEXT && script?.endsWith('.test.ts')) {
  const file = relative(process.cwd(), script).split(sep).join('/')
  const marker = join(dir, `${process.pid}.running`)
  const startedAt = Math.round(performance.timeOrigin)
  try {
    writeFileSync(marker, JSON.stringify({ file, pid: process.pid, startedAt }))
    process.on('exit', () => {
      appendFileSync(join(dir, 'durations.jsonl'), `${JSON.stringify({ file, ms: Math.round(performance.now()) })}\n`)
      rmSync(marker, { force: true })
    })
  } catch {
    // the runner's folder is gone (the run is ending): nothing to record
  }
}
