// A private, throwaway PostgreSQL cluster for the benchmark: a thin adapter over the test
// suite's test/support/postgres-cluster.mjs (plain JS without type declarations, hence the
// typed dynamic import below) plus database creation.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { setTimeout as sleep } from 'node:timers/promises'
import { track } from './cleanup.js'
import { log } from './log.js'
import { processAlive, ROOT } from './processes.js'

/** The part of PostgresCluster (test/support/postgres-cluster.mjs) used here. */
interface PostgresClusterLike {
  start(options?: { signal?: AbortSignal }): Promise<unknown>
  stop(): void
  url: string | undefined
  version: string | undefined
  dataDir: string | undefined
}
type PostgresClusterClass = new (options?: { log?: (message: string) => void }) => PostgresClusterLike

export interface PostgresHandle {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  adminUrl: string
  /** Major version, e.g. "15". */
  version: string
  /** The postmaster's pid (its children serve the connections), for CPU accounting. */
  postmasterPid: number | undefined
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>
}

async function loadClusterClass(): Promise<PostgresClusterClass> {
  // A computed specifier keeps TypeScript from looking for the module's (absent) declarations.
  const specifier = pathToFileURL(path.join(ROOT, 'test', 'support', 'postgres-cluster.mjs')).href
  const module = (await import(specifier)) as { PostgresCluster?: PostgresClusterClass }
  if (typeof module.PostgresCluster !== 'function') {
    throw new Error('test/support/postgres-cluster.mjs no longer exports PostgresCluster')
  }
  return module.PostgresCluster
}

function postmasterPid(cluster: PostgresClusterLike): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(cluster.dataDir ?? '', 'postmaster.pid'), 'utf8').split('\n')[0])
    return pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** Starts a cluster (initdb + pg_ctl on a free loopback port); stopped and deleted by stopAll(). */
export async function startPostgres(): Promise<PostgresHandle> {
  const PostgresCluster = await loadClusterClass()
  const cluster = new PostgresCluster({ log: (message) => log(`postgres: ${message}`) })
  let pid: number | undefined
  const isAlive = () => pid !== undefined && processAlive(pid)
  // Registered before start so that an interrupted start-up is cleaned up too: abort it, let it
  // settle (pg_ctl may have launched the server meanwhile), then stop and delete the cluster.
  const abort = new AbortController()
  let starting: Promise<unknown> = Promise.resolve()
  track({
    name: 'PostgreSQL cluster',
    stop: async () => {
      abort.abort()
      await starting.catch(() => undefined)
      pid ??= postmasterPid(cluster)
      cluster.stop()
      // pg_ctl stop -w returns when the server stopped; give its exit a moment to complete.
      for (let i = 0; i < 40 && isAlive(); i++) await sleep(50)
    },
    kill: () => {
      pid ??= postmasterPid(cluster)
      cluster.stop()
      if (isAlive()) process.kill(pid!, 'SIGKILL')
    },
    alive: isAlive,
  })
  starting = cluster.start({ signal: abort.signal })
  await starting
  pid = postmasterPid(cluster)
  const adminUrl = cluster.url!

  return {
    adminUrl,
    version: cluster.version ?? 'unknown',
    postmasterPid: pid,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${JSON.stringify(name)}`)
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      const url = new URL(adminUrl)
      url.pathname = `/${name}`
      return url.toString()
    },
  }
}
