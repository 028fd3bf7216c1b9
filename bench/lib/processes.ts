// startServer(): runs a server file as a child process on a free loopback port and waits until it
// answers: TypeScript through tsx, JavaScript (the compiled build, dist/) as it is.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { distState } from '../../bin/launch.js'
import { EnvSchema } from '../../src/config.js'
import { log } from './log.js'
import { track } from './cleanup.js'

/** The repository root (bench/lib/../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * The server entry of the Credport rows: the compiled build, as `npm start` runs it (made first when
 * stale), not the sources through tsx (whose esbuild output wraps every function made per request
 * in a `__name` call).
 */
export const CREDPORT_SERVER = 'dist/server.js'

const HOST = '127.0.0.1'
const OUTPUT_LIMIT = 256 * 1024
const STOP_GRACE_MS = 10_000

export interface StartServerOptions {
  /** Shown in progress lines and errors. */
  name: string
  /** Server entry, relative to the repository root; a `.ts`/`.tsx` file runs with `node --import tsx`. */
  script: string
  /** Run this command instead (e.g. `['npm', 'start']`, found on PATH); `script` then only names it. */
  command?: readonly string[]
  /** How often `readyPath` is polled (default 100 ms). */
  pollMs?: number
  /** Extra environment (PORT and HOST are set here; Credport's own variables are not inherited). */
  env?: Record<string, string>
  /** Polled until it answers 2xx. */
  readyPath: string
  readyTimeoutMs?: number
}

export interface ServerHandle {
  name: string
  /** http://127.0.0.1:<port> */
  url: string
  port: number
  pid: number
  /** Milliseconds from spawning the process to the first 2xx answer of `readyPath` (at most `pollMs` late). */
  readyAfterMs: number
  /** Everything the process wrote so far (stdout and stderr interleaved, last 256 KB). */
  output(): string
  /** Resolves with the first match of `pattern` in the output (waiting for more output if needed). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>
  stop(): Promise<void>
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it when binding port 0). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** The parent's environment without any variable Credport reads (a stray DATABASE_URL would change the target). */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(EnvSchema.properties)) delete env[key]
  return { ...env, ...extra }
}

function alive(pid: number): boolean {
  try {
    process.kill(-pid, 0) // the whole process group
    return true
  } catch {
    return false
  }
}

/** Whether a process exists and is not a zombie waiting to be reaped. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; comm may contain spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc: trust kill(0)
  }
}

/** `pgrep -g <group> -a`: the processes still in a process group (empty when none, or without pgrep). */
export function processGroupMembers(pgid: number): string {
  const result = spawnSync('pgrep', ['-a', '-g', String(pgid)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  return result.status === 0 ? result.stdout.trim() : ''
}

export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

/** Extra node options for every server started (BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []

/** Starts `node [--import tsx] <script>` in its own process group and waits for `readyPath` to answer 2xx. */
export async function startServer(options: StartServerOptions): Promise<ServerHandle> {
  const port = await findFreePort()
  const url = `http://${HOST}:${port}`
  // Credport (CREDPORT_SERVER) and the Credport modules a baseline uses run the compiled build, made
  // first when stale; a TypeScript file (a baseline) runs through tsx, with those modules from dist/
  // (compiled-sources.mjs).
  if (!options.command) ensureBuild()
  const loader = /\.tsx?$/.test(options.script)
    ? ['--import', 'tsx', '--import', './bench/lib/compiled-sources.mjs']
    : []
  const [file, ...args] = options.command ?? [process.execPath, ...NODE_ARGS, ...loader, options.script]
  const spawnedAt = performance.now()
  const child = spawn(file!, args, {
    cwd: ROOT,
    env: childEnv({ HOST, ...options.env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C reaches only the benchmark, which stops each child once.
    detached: true,
  })
  const pid = child.pid
  if (pid === undefined) {
    await once(child, 'error').catch(() => undefined)
    throw new Error(`${options.name}: could not spawn ${process.execPath}`)
  }

  let output = ''
  const waiters = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT)
    for (const wake of waiters) wake()
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal }
      for (const wake of waiters) wake()
      resolve()
    })
  })

  const kill = () => {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-pid, 'SIGTERM')
      } catch {
        // already gone
      }
      const timer = sleep(STOP_GRACE_MS).then(() => 'timeout' as const)
      if ((await Promise.race([exitPromise.then(() => 'exited' as const), timer])) === 'timeout') {
        kill()
        await Promise.race([exitPromise, sleep(5_000)])
      }
    }
    // The leader is gone; give anything it started in its group a moment, then kill it.
    for (let i = 0; i < 40 && alive(pid); i++) await sleep(50)
    if (alive(pid)) {
      kill()
      await sleep(200)
    }
    untrack()
  }
  const untrack = track({
    name: options.name,
    stop,
    kill,
    alive: () => alive(pid),
    describe: () => processGroupMembers(pid),
  })

  const describeExit = () =>
    `${options.name} exited (${exited?.signal ?? `code ${exited?.code}`}) before it was ready:\n${tail(output)}`

  const handle: ServerHandle = {
    name: options.name,
    url,
    port,
    pid,
    readyAfterMs: 0,
    output: () => output,
    async waitForOutput(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const match = pattern.exec(output)
        if (match) return match
        if (exited) throw new Error(describeExit())
        const remaining = deadline - Date.now()
        if (remaining <= 0)
          throw new Error(`${options.name}: no output matching ${pattern} after ${timeoutMs} ms:\n${tail(output)}`)
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake)
            clearTimeout(timer)
            resolve()
          }
          const timer = setTimeout(wake, remaining)
          waiters.add(wake)
        })
      }
    },
    stop,
  }

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000)
  let lastProblem = 'no answer yet'
  for (;;) {
    if (exited) throw new Error(describeExit())
    try {
      const response = await fetch(url + options.readyPath, { signal: AbortSignal.timeout(2_000) })
      await response.arrayBuffer()
      if (response.ok) {
        handle.readyAfterMs = performance.now() - spawnedAt
        return handle
      }
      lastProblem = `${options.readyPath} answered ${response.status}`
    } catch (error) {
      lastProblem =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(
        `${options.name} was not ready on ${url}${options.readyPath} in time (${lastProblem}):\n${tail(output)}`,
      )
    }
    await sleep(options.pollMs ?? 100)
  }
}

/** Makes dist/ fresh (transpile-only build, the same emitted JavaScript as `npm run build`'s) when it is not. */
export function ensureBuild(): void {
  const state = distState(ROOT)
  if (state === 'fresh') return
  log(`dist/ is ${state}: building it (node scripts/build.mjs --transpile-only)…`)
  const result = spawnSync(process.execPath, ['scripts/build.mjs', '--transpile-only'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (result.status !== 0) throw new Error(`the build failed:\n${result.stdout}${result.stderr}`)
  if (distState(ROOT) !== 'fresh') throw new Error('dist/ is still not fresh after the build')
}
