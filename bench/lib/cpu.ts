// CPU time per request, read from /proc around each autocannon run: the server's processes, the
// PostgreSQL cluster's processes and the load generator (this process). On 2 cores shared by all
// three, throughput follows the CPU a request costs in all; these columns say where it goes.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = (() => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const ticks = Number(result.stdout?.trim())
  return ticks > 0 ? ticks : 100
})()

/** User + system CPU of one process (all its threads) in ms; 0 when it is gone or there is no /proc. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

function pgrep(args: string[]): number[] {
  const result = spawnSync('pgrep', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  return result.status === 0
    ? result.stdout
        .trim()
        .split('\n')
        .map(Number)
        .filter((pid) => pid > 0)
    : []
}

/** The processes of a process group (a server started by startServer leads its own group). */
export const processGroup = (pgid: number) => () => pgrep(['-g', String(pgid)])

/** A PostgreSQL postmaster and its children (backends, writer, WAL writer…). */
export const postmasterAndChildren = (postmasterPid: number) => () => [
  postmasterPid,
  ...pgrep(['-P', String(postmasterPid)]),
]

/** CPU per request of one run, in ms; `database` is null where the database runs inside the server (PGlite). */
export interface CpuPerRequest {
  server: number
  database: number | null
  loadGenerator: number
}

export interface CpuSources {
  server: () => number[]
  database?: () => number[]
}

/**
 * Starts counting: the returned function, given the number of responses, gives the CPU per
 * request since. Processes are listed at both ends (a backend may start during the run); one that
 * ends during the run loses its share, which only happens at connection churn.
 */
export function startCpuCount(sources: CpuSources): (responses: number) => CpuPerRequest {
  const total = (pids: number[], at: Map<number, number>) =>
    pids.reduce((sum, pid) => sum + processCpuMs(pid) - (at.get(pid) ?? 0), 0)
  const snapshot = (list: () => number[]) => new Map(list().map((pid) => [pid, processCpuMs(pid)]))
  const server = snapshot(sources.server)
  const database = sources.database ? snapshot(sources.database) : undefined
  const own = process.cpuUsage()
  return (responses) => {
    const per = (ms: number) => ms / Math.max(responses, 1)
    const ownUsage = process.cpuUsage(own)
    return {
      server: per(total(sources.server(), server)),
      database: sources.database && database ? per(total(sources.database(), database)) : null,
      loadGenerator: per((ownUsage.user + ownUsage.system) / 1000),
    }
  }
}
