// Private, throwaway PostgreSQL cluster for the test suite (used by scripts/test.mjs).
//
// Plain JavaScript ESM, Node built-ins only: it runs before `npm ci` has been checked
// and outside tsx.
//
//   const cluster = new PostgresCluster({ log })
//   try {
//     await cluster.start({ signal })   // initdb + pg_ctl start on a free 127.0.0.1 port
//     ... cluster.url ...               // postgres://postgres@127.0.0.1:<port>/postgres
//   } finally {
//     cluster.stop()                    // synchronous: pg_ctl stop -m immediate + rm -rf
//   }
//
// PostgreSQL refuses to run as root, so when we are root the server-side commands run as
// the `postgres` system user (created by the Debian package) and the cluster folder lives
// under /tmp, chowned to it.

import { spawn, spawnSync } from 'node:child_process'
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const SERVER_USER = 'postgres'
const START_TIMEOUT_S = 30
const PORT_ATTEMPTS = 3

export const SERVER_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=300']

const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

const hasServerBinaries = (dir) =>
  ['initdb', 'pg_ctl', 'postgres', 'pg_isready'].every((name) => isExecutable(join(dir, name)))

/** Folder holding initdb/pg_ctl/postgres: `pg_config --bindir` if usable, else the newest /usr/lib/postgresql/<v>/bin. */
export function findPostgresBinDir() {
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const fromPgConfig = pgConfig.status === 0 ? pgConfig.stdout.trim() : ''
  // Debian's pg_config (libpq-dev) answers even when the server package is missing: check.
  if (fromPgConfig && hasServerBinaries(fromPgConfig)) return fromPgConfig

  let versions = []
  try {
    versions = readdirSync('/usr/lib/postgresql')
  } catch {
    // no Debian-style install
  }
  const numeric = (v) => v.split('.').map(Number)
  versions.sort((a, b) => {
    const [x, y] = [numeric(a), numeric(b)]
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (y[i] ?? 0) - (x[i] ?? 0)
      if (d) return d
    }
    return 0
  })
  for (const v of versions) {
    const dir = join('/usr/lib/postgresql', v, 'bin')
    if (hasServerBinaries(dir)) return dir
  }
  throw new Error('PostgreSQL server binaries not found: install the Debian package postgresql')
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it when binding port 0). */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function findInPath(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin']
  return dirs.map((dir) => join(dir, name)).find(isExecutable)
}

function lookupUser(name) {
  const id = (flag) => {
    const r = spawnSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return r.status === 0 ? Number(r.stdout.trim()) : NaN
  }
  const uid = id('-u')
  const gid = id('-g')
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error(
      `running as root, but there is no '${name}' system user to run PostgreSQL as (install the Debian package postgresql)`,
    )
  }
  return { uid, gid }
}

/** Environment for server-side commands: no PG* variables (PGPORT, PGDATA… would change their defaults). */
function serverEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')))
}

function tail(text, lines = 30) {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

export class PostgresCluster {
  /** @param {{ log?: (message: string) => void }} [options] */
  constructor({ log = () => {} } = {}) {
    this.log = log
    this.binDir = undefined
    this.baseDir = undefined
    this.dataDir = undefined
    this.logFile = undefined
    this.host = '127.0.0.1'
    this.port = undefined
    this.version = undefined
    this.url = undefined
    this.startAttempted = false
    this.stopped = false
    this.runAs = undefined // [command, ...prefixArgs] when running as root
  }

  /** [command, args] to run a server binary, as the postgres user when we are root. */
  serverCommand(name, args) {
    const bin = join(this.binDir, name)
    return this.runAs ? [this.runAs[0], [...this.runAs.slice(1), bin, ...args]] : [bin, args]
  }

  /** Runs a server binary to completion, collecting its output. */
  run(name, args, { signal } = {}) {
    const [command, argv] = this.serverCommand(name, args)
    return new Promise((resolve, reject) => {
      const child = spawn(command, argv, {
        cwd: this.baseDir, // readable by the postgres user, unlike /root
        env: serverEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
        signal,
      })
      let output = ''
      child.stdout.on('data', (chunk) => (output += chunk))
      child.stderr.on('data', (chunk) => (output += chunk))
      child.on('error', (error) => reject(error.name === 'AbortError' ? new Error('interrupted') : error))
      child.on('close', (code, sig) => resolve({ code: code ?? 128, signal: sig, output }))
    })
  }

  readLog() {
    try {
      return readFileSync(this.logFile, 'utf8')
    } catch {
      return ''
    }
  }

  async start({ signal } = {}) {
    const startedAt = Date.now()
    this.binDir = findPostgresBinDir()

    let owner
    if (process.getuid?.() === 0) {
      owner = lookupUser(SERVER_USER)
      // setpriv execs the command itself (signals reach it directly); runuser stays in
      // between as a parent and, when signalled, waits 2 s before killing its child.
      const setpriv = findInPath('setpriv')
      const runuser = findInPath('runuser')
      if (setpriv) this.runAs = [setpriv, `--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--init-groups']
      else if (runuser) this.runAs = [runuser, '-u', SERVER_USER, '--']
      else
        throw new Error(
          "running as root, but neither runuser nor setpriv is available to switch to the 'postgres' user",
        )
    }

    // Under /tmp (not $TMPDIR) so the postgres user can traverse every parent folder.
    this.baseDir = mkdtempSync('/tmp/credport-pg-')
    this.dataDir = join(this.baseDir, 'data')
    this.logFile = join(this.baseDir, 'server.log')
    const socketDir = join(this.baseDir, 'socket')
    mkdirSync(socketDir)
    if (owner) {
      chownSync(this.baseDir, owner.uid, owner.gid)
      chownSync(socketDir, owner.uid, owner.gid)
    }

    const init = await this.run(
      'initdb',
      ['-D', this.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'],
      { signal },
    )
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${tail(init.output)}`)
    this.version = readFileSync(join(this.dataDir, 'PG_VERSION'), 'utf8').trim()

    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort()
      // pg_ctl hands -o to /bin/sh: every value here is free of spaces and quotes.
      const options = [
        '-h',
        this.host,
        '-p',
        String(port),
        '-k',
        socketDir,
        ...SERVER_SETTINGS.flatMap((s) => ['-c', s]),
      ]
      this.startAttempted = true
      const started = await this.run(
        'pg_ctl',
        ['start', '-D', this.dataDir, '-l', this.logFile, '-w', '-t', String(START_TIMEOUT_S), '-o', options.join(' ')],
        { signal },
      )
      if (started.code === 0) {
        this.port = port
        break
      }
      const serverLog = this.readLog()
      if (attempt < PORT_ATTEMPTS && /could not bind|address already in use/i.test(serverLog)) {
        this.log(`port ${port} was taken meanwhile, trying another one`)
        this.stopServer() // in case anything is left
        rmSync(this.logFile, { force: true })
        continue
      }
      throw new Error(
        `PostgreSQL did not start (pg_ctl exit ${started.code}):\n${tail(started.output, 10)}\n--- server log (tail) ---\n${tail(serverLog)}`,
      )
    }

    // pg_ctl -w watches postmaster.pid; also make sure TCP connections are accepted.
    const deadline = startedAt + START_TIMEOUT_S * 1000
    for (;;) {
      signal?.throwIfAborted()
      const ready = spawnSync(
        join(this.binDir, 'pg_isready'),
        ['-q', '-h', this.host, '-p', String(this.port), '-U', 'postgres', '-d', 'postgres', '-t', '2'],
        { env: serverEnv(), stdio: 'ignore' },
      )
      if (ready.status === 0) break
      if (Date.now() > deadline) {
        throw new Error(
          `PostgreSQL is not accepting connections on ${this.host}:${this.port} after ${START_TIMEOUT_S}s\n--- server log (tail) ---\n${tail(this.readLog())}`,
        )
      }
      await sleep(100)
    }

    this.url = `postgres://postgres@${this.host}:${this.port}/postgres`
    return this
  }

  /** Stops the server if one may be running (synchronous, so it can run from an exit handler). */
  stopServer() {
    if (!this.startAttempted || !this.dataDir) return
    const pidFile = join(this.dataDir, 'postmaster.pid')
    if (!existsSync(pidFile)) return
    const [command, args] = this.serverCommand('pg_ctl', [
      'stop',
      '-D',
      this.dataDir,
      '-m',
      'immediate',
      '-w',
      '-t',
      '15',
    ])
    const result = spawnSync(command, args, { cwd: this.baseDir, env: serverEnv(), stdio: 'ignore' })
    if (result.status === 0) return
    // Last resort: SIGKILL the postmaster named in postmaster.pid (its children exit with it).
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
      if (pid > 0) process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }

  /** Stops the server and deletes the cluster folder. Idempotent and synchronous. */
  stop() {
    if (this.stopped) return
    this.stopped = true
    try {
      this.stopServer()
    } finally {
      if (this.baseDir) rmSync(this.baseDir, { recursive: true, force: true, maxRetries: 3 })
    }
  }
}
