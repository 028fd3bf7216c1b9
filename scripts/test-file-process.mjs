// Preloaded (`--import`) by scripts/test.mjs into the test runner and so into every test file's
// process. In a test file's process (NODE_TEST_CONTEXT is set there, process.argv[1] is the file,
// or the module of a group of files: scripts/test-groups.mjs), with TEST_FILE_STATE_DIR set:
//   <pid>.running        written at start ({ file, pid, startedAt }, and `members` for a group): the
//                        runner's watchdog kills the file's processes once it has run longer than
//                        TEST_FILE_TIMEOUT
//   durations.jsonl      a line { file, ms, cpuMs } at exit (`file` is the group's name and
//                        `members` its files for a group): the file's wall time from its process's
//                        start (module loading included) and the CPU time (user + system) of the
//                        process and of the child processes it waited for (servers, CLIs, tsc,
//                        browsers: /proc/self/stat; Linux only), read by scripts/test-reporter.mjs
// and, with TEST_BUNDLES set (a JSON file { specifier: file URL } of scripts/bundle-packages.mjs),
// registers scripts/test-bundle-hooks.mjs: those packages load from their bundles.
// Anywhere else (the runner itself, a server a test starts) it does nothing.

import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { register } from 'node:module'
import { join, relative, sep } from 'node:path'
import { performance } from 'node:perf_hooks'

const dir = process.env.TEST_FILE_STATE_DIR
const CLOCK_TICKS_PER_S = 100 // USER_HZ: the unit of /proc's times on every Linux Node supports

/** utime + stime + cutime + cstime of this process, in ms (undefined without /proc). */
function cpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0)
    return Math.round((ticks * 1000) / CLOCK_TICKS_PER_S)
  } catch {
    return undefined
  }
}
const script = process.argv[1]

/** What this process runs: a test file (its path from the project) or a group (its name and files). */
function testProcessOf(script) {
  if (script?.endsWith('.test.ts')) return { file: relative(process.cwd(), script).split(sep).join('/') }
  const description = script?.replace(/\.test\.mjs$/, '.json')
  if (description === script || !description || !existsSync(description)) return undefined
  const { name, members } = JSON.parse(readFileSync(description, 'utf8'))
  return { file: name, members }
}

const running = dir && process.env.NODE_TEST_CONTEXT ? testProcessOf(script) : undefined
if (running) {
  const marker = join(dir, `${process.pid}.running`)
  const startedAt = Math.round(performance.timeOrigin)
  if (process.env.TEST_BUNDLES) {
    try {
      const bundles = JSON.parse(readFileSync(process.env.TEST_BUNDLES, 'utf8'))
      register('./test-bundle-hooks.mjs', import.meta.url, { data: { bundles } })
    } catch {
      // no bundles (the run is ending): the packages load as installed
    }
  }
  try {
    writeFileSync(marker, JSON.stringify({ ...running, pid: process.pid, startedAt }))
    process.on('exit', () => {
      appendFileSync(
        join(dir, 'durations.jsonl'),
        `${JSON.stringify({ ...running, ms: Math.round(performance.now()), cpuMs: cpuMs() })}\n`,
      )
      rmSync(marker, { force: true })
    })
  } catch {
    // the runner's folder is gone (the run is ending): nothing to record
  }
}
