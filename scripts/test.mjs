#!/usr/bin/env node
// Test entry point (`npm test`).
//
//   npm test                         every test/**/*.test.ts
//   npm test -- test/foo.test.ts     only these files / folders
//   npm test -- --test-name-pattern=intake test/intake
//                                    arguments starting with "-" go to `node --test`
//
// 1. Without TEST_DATABASE_URL, starts a private throwaway PostgreSQL cluster
//    (test/support/postgres-cluster.mjs) and points TEST_DATABASE_URL at it.
//    Meanwhile, when dist/ is missing or older than src/, builds it (scripts/build.mjs
//    --transpile-only, a few seconds): the CLI and server processes the tests spawn through
//    bin/credport.js and bin/server.js then start from dist/ (~0.3 s) instead of tsx (~1.5 s).
//    A failed build only logs: the launchers run the sources. CREDPORT_RUN=src runs them anyway.
// 2. Creates TEST_TMP_DIR, a scratch folder for this run.
//    In it, bundles the ESM packages made of many small modules (scripts/bundle-packages.mjs: TypeBox,
//    jose) that each test file's process then loads from there: ~0.6 s less CPU in each process
//    that imports the app (a failed bundle only logs: the packages load as installed).
// 3. Runs test/support/global-setup.ts if it exists (non-zero exit: stop, fail).
// 4. Runs the test files in processes under `--import tsx` (the quick ones grouped, see below;
//    TEST_CONCURRENCY processes at once, default 3: many files wait on server processes, browsers
//    and job intervals, so a third in flight shortens a 2-core run: 587 s of runner time at 2,
//    532 s at 3, on the same tree, before the groups),
//    longest first: in the order of scripts/test-durations.json (seconds per file, measured; files
//    it lacks count as DEFAULT_DURATION), so that the long files start at once and the short ones
//    fill the gaps (longest-processing-time scheduling). `UPDATE_TEST_DURATIONS=1 npm test`
//    rewrites that list from the run's measurements. `node --test` would sort the files by name,
//    so scripts/test-run.mjs runs them through Node's `run()`; with a flag it does not handle
//    (see driverConfig), `node --test` runs them, by name.
//    Quick files share processes: those expected to take at most half of TEST_GROUP_SECONDS
//    (default 30) run in groups of up to that many expected seconds, each file in a suite named
//    by its path (scripts/test-groups.mjs: why, and the marker line that keeps a file alone).
//    TEST_GROUP_SECONDS=0, a name pattern or --test-only: every file in a process of its own.
//    Each process records its wall and CPU time (scripts/test-file-process.mjs, preloaded); the
//    reporter (scripts/test-reporter.mjs, Node's spec reporter) lists the slowest processes just
//    before its summary, which stays last (TEST_SLOWEST, default 10).
//    A watchdog kills a test file that runs longer than TEST_FILE_TIMEOUT seconds (default 600,
//    0: never), with every process it started, and names it: the file fails, the run goes on.
//    (The slowest file takes about 90 s on a quiet 2-core machine, but 3 to 4 times that when the
//    machine is shared: a half of the security table took 197 s alone at a load average of 30, and
//    more than 300 s beside the other half. 600 s ends a hung file without failing a slow one.)
// 5. Always stops the cluster and deletes the temp folders, even on failure or
//    SIGINT/SIGTERM, and exits with the test runner's exit code.
//
// Progress lines go to stderr, prefixed [test]; stdout carries only the test runner's
// output (the global setup's stdout is sent to stderr), so its summary comes last.

import { spawn } from 'node:child_process'
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { constants as osConstants, tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { distState } from '../bin/launch.js'
import { PostgresCluster } from '../test/support/postgres-cluster.mjs'
import { bundlePackages } from './bundle-packages.mjs'
import { planGroups, writeGroupModules } from './test-groups.mjs'
import { readRecords } from './test-reporter.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const TEST_DIR = join(ROOT, 'test')
const GLOBAL_SETUP = 'test/support/global-setup.ts'
const TEST_FILE = /\.test\.ts$/
const DEFAULT_CONCURRENCY = 3
const DEFAULT_GROUP_SECONDS = 30
const DEFAULT_FILE_TIMEOUT_S = 600
const KILL_GRACE_MS = 10_000
const DURATIONS_FILE = join(ROOT, 'scripts/test-durations.json')
const DEFAULT_DURATION = 5 // seconds, for a file scripts/test-durations.json does not list yet
const WATCHDOG_INTERVAL_MS = 2_000
const REPORTER = join(ROOT, 'scripts/test-reporter.mjs')

const log = (message) => process.stderr.write(`[test] ${message}\n`)
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`
const signalExitCode = (signal) => 128 + (osConstants.signals[signal] ?? 1)
const toPosix = (path) => path.split(sep).join('/')

class UsageError extends Error {}

// ---------------------------------------------------------------- arguments

function walk(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, found)
    else if (entry.isFile() && TEST_FILE.test(entry.name)) found.push(path)
  }
  return found
}

/** Paths are taken relative to the current folder, then to the project root. */
function resolveArgument(arg) {
  for (const candidate of isAbsolute(arg) ? [arg] : [resolve(process.cwd(), arg), resolve(ROOT, arg)]) {
    if (existsSync(candidate)) return candidate
  }
  throw new UsageError(`no such test file or folder: ${arg}`)
}

function parseArguments(argv) {
  const runnerFlags = argv.filter((arg) => arg.startsWith('-'))
  const paths = argv.filter((arg) => !arg.startsWith('-'))

  let files
  if (paths.length === 0) {
    files = existsSync(TEST_DIR) ? walk(TEST_DIR) : []
  } else {
    files = paths.flatMap((arg) => {
      const path = resolveArgument(arg)
      return statSync(path).isDirectory() ? walk(path) : [path]
    })
  }
  // Relative to the root (the runner's cwd): shorter names in the report.
  files = [...new Set(files.map((file) => toPosix(relative(ROOT, file))))].sort()
  if (files.length === 0) {
    throw new UsageError(`no test files found (*.test.ts under ${paths.length ? paths.join(', ') : 'test/'})`)
  }

  const concurrency = integerSetting('TEST_CONCURRENCY', DEFAULT_CONCURRENCY, 1)
  const fileTimeout = integerSetting('TEST_FILE_TIMEOUT', DEFAULT_FILE_TIMEOUT_S, 0)
  const groupSeconds = integerSetting('TEST_GROUP_SECONDS', DEFAULT_GROUP_SECONDS, 0)
  return { files: longestFirst(files), runnerFlags, concurrency, fileTimeout, groupSeconds }
}

function integerSetting(name, fallback, min) {
  const raw = process.env[name]?.trim() || String(fallback)
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`${name} must be an integer of at least ${min}, got "${raw}"`)
  }
  return value
}

// ---------------------------------------------------------------- scheduling & timings

function knownDurations() {
  try {
    return JSON.parse(readFileSync(DURATIONS_FILE, 'utf8'))
  } catch {
    return {}
  }
}

/** A file's expected seconds: the committed measurement, else DEFAULT_DURATION. */
function expectedDuration(known = knownDurations()) {
  return (file) => known[file] ?? DEFAULT_DURATION
}

/** Longest first (by the committed measurements), then by name: `node --test` starts them in this order. */
function longestFirst(files) {
  const duration = expectedDuration()
  return [...files].sort((a, b) => duration(b) - duration(a) || a.localeCompare(b))
}

/**
 * The processes to run: the files that run alone and a module per group of quick files
 * (scripts/test-groups.mjs, written into `dir`), longest first by expected time (a group's is
 * the sum of its members').
 */
function processesToRun(files, groupSeconds, dir) {
  const duration = expectedDuration()
  const { alone, groups } = planGroups(ROOT, files, duration, groupSeconds)
  if (groups.length === 0) return { entries: files, grouped: 0 }
  mkdirSync(dir)
  const modules = writeGroupModules(ROOT, dir, groups)
  const expected = new Map([
    ...alone.map((file) => [file, duration(file)]),
    ...modules.map((module, i) => [module, groups[i].reduce((sum, file) => sum + duration(file), 0)]),
  ])
  const entries = [...expected.keys()].sort((a, b) => expected.get(b) - expected.get(a) || a.localeCompare(b))
  return { entries, grouped: groups.length }
}

/** Rewrites scripts/test-durations.json with this run's measurements (whole seconds, 1 at least). */
function updateDurations(stateDir, files) {
  // A file alone: its process's wall time; a member of a group: its suite's time.
  const records = [
    ...readRecords(stateDir, 'durations.jsonl').filter((record) => !record.members),
    ...readRecords(stateDir, 'members.jsonl'),
  ]
  const measured = Object.fromEntries(records.map(({ file, ms }) => [file, Math.max(1, Math.round(ms / 1000))]))
  const known = knownDurations()
  const merged = {}
  for (const file of [...new Set([...Object.keys(known), ...files])].sort()) {
    if (!existsSync(join(ROOT, file))) continue
    const seconds = measured[file] ?? known[file]
    if (seconds !== undefined) merged[file] = seconds
  }
  writeFileSync(DURATIONS_FILE, `${JSON.stringify(merged, null, 2)}\n`)
  log(`scripts/test-durations.json updated (${Object.keys(measured).length} files measured)`)
}

// ---------------------------------------------------------------- watchdog

/** `pid` and every process below it (Linux's /proc; elsewhere only `pid`). */
function processTree(pid) {
  const children = new Map()
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        if (!children.has(ppid)) children.set(ppid, [])
        children.get(ppid).push(Number(entry))
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []))
  return tree
}

/** Whether `pid` still runs `file` (not a new process that got the number), where /proc tells. */
function isProcessOf(pid, file) {
  if (!existsSync('/proc/self')) return true // no /proc: trust the marker
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(file)
  } catch {
    return false // gone
  }
}

/**
 * Every few seconds, kills (SIGKILL) the process of a test file that has run longer than
 * `timeoutS` and every process below it, so that the pipes it shares with them close and
 * `node --test` reports the file as failed; names it on stderr and in killed.jsonl for the
 * reporter's summary.
 */
function startWatchdog(stateDir, timeoutS) {
  if (timeoutS === 0) return () => {}
  const timer = setInterval(() => {
    let markers
    try {
      markers = readdirSync(stateDir).filter((name) => name.endsWith('.running'))
    } catch {
      return
    }
    for (const name of markers) {
      let running
      try {
        running = JSON.parse(readFileSync(join(stateDir, name), 'utf8'))
      } catch {
        continue // being written or just removed
      }
      if (Date.now() - running.startedAt < timeoutS * 1000) continue
      rmSync(join(stateDir, name), { force: true })
      if (!isProcessOf(running.pid, running.file)) continue // exited without its exit handler
      const tree = processTree(running.pid)
      for (const pid of tree) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      const label = running.members ? `${running.file} (${running.members.join(', ')})` : running.file
      appendFileSync(join(stateDir, 'killed.jsonl'), `${JSON.stringify({ file: label })}\n`)
      log(
        `${label} still running after TEST_FILE_TIMEOUT (${timeoutS} s): killed it (${tree.length} process${tree.length === 1 ? '' : 'es'})`,
      )
    }
  }, WATCHDOG_INTERVAL_MS)
  timer.unref()
  return () => clearInterval(timer)
}

// ---------------------------------------------------------------- state & cleanup

let cluster
let tmpDir
let child // the running global setup or test runner
let interrupted // name of the signal we received
const abort = new AbortController() // cancels cluster start-up on a signal
let cleanedUp = false

/** Synchronous and idempotent: runs from the normal path, a second signal, or process exit. */
function cleanup() {
  if (cleanedUp) return
  cleanedUp = true
  if (cluster) {
    const wasRunning = cluster.port !== undefined
    try {
      cluster.stop()
      if (wasRunning) log('PostgreSQL stopped')
    } catch (error) {
      log(`could not stop PostgreSQL cleanly: ${error.message}`)
    }
  }
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3 })
}
process.on('exit', cleanup)

function killChildGroup(signal) {
  if (!child?.pid) return
  try {
    process.kill(-child.pid, signal) // the child leads its own process group (detached)
  } catch {
    // already gone
  }
}

function onSignal(signal) {
  if (interrupted) {
    log(`${signal} again: killing everything`)
    killChildGroup('SIGKILL')
    cleanup()
    process.exit(signalExitCode(interrupted))
  }
  interrupted = signal
  log(`${signal} received, stopping`)
  abort.abort()
  killChildGroup(signal)
  if (child) setTimeout(() => killChildGroup('SIGKILL'), KILL_GRACE_MS).unref()
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal)

/**
 * Runs `node <args>` in the project root as the leader of its own process group, so a
 * signal reaches it (and every test file process it spawned) exactly once, from us.
 */
function runNode(args, { env, stdout }) {
  return new Promise((resolvePromise, reject) => {
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', stdout, 'inherit'],
      detached: true,
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      killChildGroup('SIGKILL') // stray grandchildren, if any
      child = undefined
      resolvePromise(code ?? signalExitCode(signal))
    })
  })
}

/** Builds dist/ (transpile only) when it does not match the sources; never fails the run. */
function buildIfStale(signal) {
  const state = distState()
  if (state === 'fresh' || process.env.CREDPORT_RUN === 'src') return Promise.resolve()
  const startedAt = Date.now()
  log(`dist/ is ${state}: building it (transpile only) for the processes the tests start`)
  return new Promise((resolvePromise) => {
    const build = spawn(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--transpile-only'], {
      cwd: ROOT,
      stdio: ['ignore', process.stderr.fd, process.stderr.fd],
    })
    const stop = () => build.kill('SIGTERM')
    signal.addEventListener('abort', stop, { once: true })
    build.on('error', (error) => {
      log(`could not build dist/ (${error.message}): the tests' processes run the sources through tsx`)
      resolvePromise()
    })
    build.on('exit', (code) => {
      signal.removeEventListener('abort', stop)
      if (code === 0) log(`dist/ built (${seconds(startedAt)})`)
      else log(`building dist/ failed (exit ${code}): the tests' processes run the sources through tsx`)
      resolvePromise()
    })
  })
}

// ---------------------------------------------------------------- driver

/**
 * What scripts/test-run.mjs needs to run `files` in this order (`node --test` would sort them by
 * name), or undefined when a flag asks for more than it handles: then `node --test` runs them.
 * It handles --test-reporter=<name or path> (default: scripts/test-reporter.mjs), repeated
 * --test-name-pattern=<pattern>, --test-only and --test-concurrency=<n>.
 */
function driverConfig(runnerFlags, files, concurrency) {
  const config = {
    files,
    concurrency,
    reporter: REPORTER,
    namePatterns: [],
    only: false,
  }
  for (const flag of runnerFlags) {
    const [name, value] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag]
    if (name === '--test-reporter' && value) config.reporter = value
    else if (name === '--test-name-pattern' && value) config.namePatterns.push(value)
    else if (name === '--test-only' && value === undefined) config.only = true
    else if (name === '--test-concurrency' && Number.isInteger(Number(value)) && Number(value) > 0)
      config.concurrency = Number(value)
    else return undefined
  }
  return config
}

// ---------------------------------------------------------------- main

async function main() {
  const { files, runnerFlags, concurrency, fileTimeout, groupSeconds } = parseArguments(process.argv.slice(2))
  const env = { ...process.env }
  const building = buildIfStale(abort.signal)

  if (env.TEST_DATABASE_URL) {
    log(
      `using TEST_DATABASE_URL from the environment (${env.TEST_DATABASE_URL.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')})`,
    )
  } else {
    const startedAt = Date.now()
    cluster = new PostgresCluster({ log })
    await cluster.start({ signal: abort.signal })
    env.TEST_DATABASE_URL = cluster.url
    log(
      `PostgreSQL ${cluster.version} started on ${cluster.host}:${cluster.port} (private cluster, ${seconds(startedAt)})`,
    )
  }
  await building
  if (interrupted) return signalExitCode(interrupted)

  tmpDir = mkdtempSync(join(tmpdir(), 'credport-test-'))
  env.TEST_TMP_DIR = tmpDir
  const stateDir = join(tmpDir, '.runner')
  mkdirSync(stateDir)
  env.TEST_FILE_STATE_DIR = stateDir
  env.TEST_FILE_TIMEOUT = String(fileTimeout)
  try {
    const startedAt = Date.now()
    const bundles = await bundlePackages(ROOT, join(tmpDir, 'bundles'))
    if (Object.keys(bundles).length) {
      env.TEST_BUNDLES = join(tmpDir, 'bundles', 'bundles.json')
      writeFileSync(env.TEST_BUNDLES, JSON.stringify(bundles))
      log(`bundled ${Object.keys(bundles).length} package entry points for the test files (${seconds(startedAt)})`)
    }
  } catch (error) {
    log(`could not bundle packages (${error.message}): the test files load them as installed`)
  }

  if (existsSync(join(ROOT, GLOBAL_SETUP))) {
    const startedAt = Date.now()
    log(`global setup: ${GLOBAL_SETUP}`)
    // Its stdout goes to stderr: stdout belongs to the test runner.
    const code = await runNode(['--import', 'tsx', GLOBAL_SETUP], { env, stdout: process.stderr.fd })
    if (interrupted) return signalExitCode(interrupted)
    if (code !== 0) {
      log(`global setup failed (exit code ${code})`)
      return code
    }
    log(`global setup done (${seconds(startedAt)})`)
  }

  const hasFlag = (name) => runnerFlags.some((flag) => flag === name || flag.startsWith(`${name}=`))
  const preload = ['--import', 'tsx', '--import', pathToFileURL(join(ROOT, 'scripts/test-file-process.mjs')).href]
  let driver = driverConfig(runnerFlags, files, concurrency)
  let grouped = 0
  if (driver && driver.namePatterns.length === 0 && !driver.only) {
    const processes = processesToRun(files, groupSeconds, join(tmpDir, 'groups'))
    driver = { ...driver, files: processes.entries }
    grouped = processes.grouped
  }
  const args = driver
    ? [...preload, join(ROOT, 'scripts/test-run.mjs'), JSON.stringify(driver)]
    : [
        ...preload,
        '--test',
        ...(hasFlag('--test-reporter') ? [] : [`--test-reporter=${pathToFileURL(REPORTER).href}`]),
        ...(hasFlag('--test-concurrency') ? [] : [`--test-concurrency=${concurrency}`]),
        ...runnerFlags,
        ...files,
      ]
  const groups = grouped ? `, the quick ones in ${grouped} group${grouped === 1 ? '' : 's'}` : ''
  log(
    `running ${files.length} test file${files.length === 1 ? '' : 's'}${groups} (concurrency ${driver?.concurrency ?? concurrency}, ` +
      `${driver ? 'longest first' : `by name: node --test, for ${runnerFlags.join(' ')}`}, ` +
      `${fileTimeout ? `${fileTimeout} s at most each` : 'no time limit'})`,
  )
  const stopWatchdog = startWatchdog(stateDir, fileTimeout)
  const code = await runNode(args, { env, stdout: 'inherit' })
  stopWatchdog()
  // Also after an interruption: the files measured so far are merged into the list.
  if (process.env.UPDATE_TEST_DURATIONS === '1') updateDurations(stateDir, files)
  // Interrupted: 128 + signal number (130 for SIGINT), whatever the runner made of it.
  return interrupted ? signalExitCode(interrupted) : code
}

let exitCode
try {
  exitCode = await main()
} catch (error) {
  if (interrupted) {
    exitCode = signalExitCode(interrupted)
  } else {
    log(error instanceof UsageError ? error.message : `error: ${error.message}`)
    if (!(error instanceof UsageError) && process.env.DEBUG) console.error(error)
    exitCode = error instanceof UsageError ? 2 : 1
  }
} finally {
  cleanup()
}
process.exitCode = exitCode
