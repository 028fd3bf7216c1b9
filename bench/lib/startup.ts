// The start-up and memory probe: `npm start` as a new user runs it, on an empty data folder (and,
// on PostgreSQL, an empty database), timed from launching npm to the first answer of /healthz;
// then the same data folder and database started again ("restart with data"). Memory is read from
// /proc/<pid>/status: the server's Node process idle (VmRSS after BENCH_STARTUP_IDLE seconds without
// requests) and its peak (VmHWM, the high-water mark since it started, first start included), and
// the sum of VmRSS over every process `npm start` runs (npm, sh, node: the whole process group).
// After the restart, one holder journey (bench/lib/holders.ts: two batch samples with documents
// uploaded, sign-in, acceptance, review, wallet) and the server's VmRSS after it.
//
// Each run is a fresh folder and database; each column is the median of BENCH_STARTUP_RUNS runs.
// CREDPORT_RUN picks what `npm start` runs: dist (the compiled build, what `npm start` runs once
// `npm run build` is done) or src (TypeScript through tsx, as in a clone that was never built).
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { randomBytes } from 'node:crypto'
import { holderJourney } from './holders.js'
import { log } from './log.js'
import { median } from './measure.js'
import type { BenchOptions } from './options.js'
import { ensureBuild, processGroupMembers, startServer, type ServerHandle } from './processes.js'
import type { ProbeResult } from '../scenarios.js'
import type { TargetCheck } from './report.js'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'
import { DEMO_CLIENT_FILE } from '../../src/modules/admin/demo-partner.js'
import type { BenchEnvironment, Database } from './targets.js'

export type RunMode = 'dist' | 'src'

/**
 * The memory-lean setting the README offers (young generation semi-spaces of 4 MiB instead of V8's
 * 16): probe `startup-lean` runs `npm start` (dist) with it in NODE_OPTIONS.
 */
export const LEAN_NODE_OPTIONS = '--max-semi-space-size=4'

export const STARTUP_COLUMNS = [
  'first start s (median)',
  'restart s (median)',
  'server RSS idle MiB',
  'server peak RSS MiB',
  'all processes RSS MiB',
  'server RSS after a holder journey MiB',
  'processes of npm start, RSS MiB (last run, idle)',
] as const

/** The targets (MiB for its MB: the kernel's kB are KiB). */
const TARGETS = {
  firstStartS: 3,
  restartS: 1.5,
  idleRssMiB: 250,
  peakRssMiB: 400,
  allProcessesMiB: 300,
  /** On PostgreSQL only. */
  journeyRssMiB: 120,
}

const POLL_MS = 10

export function startupNotes(options: BenchOptions): string[] {
  return [
    `**startup** / **startup-src**: \`npm start\` (CREDPORT_RUN=dist, then =src) launched by the benchmark with its output to a pipe, as a service manager would; ` +
      `"first start" is launch → first 2xx of /healthz (polled every ${POLL_MS} ms) on an empty data folder (and an empty PostgreSQL database); ` +
      `"restart" the same on the same folder and database after a graceful stop. Server RSS: VmRSS of the server's Node process ` +
      `${options.startupIdleSeconds} s idle after the first start; peak: its VmHWM then; all processes: VmRSS summed over npm, sh and node ` +
      `(shared pages, such as the node binary, count once per process, as \`ps\` shows them). After the restart one holder signs in ` +
      'and goes through two batch samples (documents uploaded, one accepted), then the server RSS is read again. ' +
      `Medians of ${options.startupRuns} run(s), each on a fresh folder and database; MiB = 1,048,576 bytes. ` +
      `Targets (issue 19): first start < ${TARGETS.firstStartS} s, restart < ${TARGETS.restartS} s, idle < ${TARGETS.idleRssMiB} MiB, ` +
      `peak < ${TARGETS.peakRssMiB} MiB, all processes < ${TARGETS.allProcessesMiB} MiB, and after a holder journey on PostgreSQL < ${TARGETS.journeyRssMiB} MiB.`,
  ]
}

/** One field of /proc/<pid>/status in MiB (VmRSS, VmHWM); 0 when the process is gone. */
function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : 0
  } catch {
    return 0
  }
}

/** The processes of the group `npm start` leads: pid and command line. */
function groupProcesses(pgid: number): Array<{ pid: number; command: string }> {
  return processGroupMembers(pgid)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => ({ pid: Number(line.split(/\s+/)[0]), command: line.slice(line.indexOf(' ') + 1) }))
}

/** The server's Node process: node running bin/server.js (not the `sh -c "node bin/server.js"` npm starts it with). */
function serverPid(server: ServerHandle): number {
  const found = groupProcesses(server.pid).find((p) => /^(\S*\/)?node\s+(\S+\s+)*bin\/server\.js/.test(p.command))
  if (!found)
    throw new Error(`no node bin/server.js in the process group of npm start:\n${processGroupMembers(server.pid)}`)
  return found.pid
}

async function npmStart(name: string, env: Record<string, string>): Promise<ServerHandle> {
  return startServer({
    name,
    script: 'npm start',
    command: ['npm', 'start'],
    env,
    readyPath: '/healthz',
    pollMs: POLL_MS,
    readyTimeoutMs: 120_000,
  })
}

interface RunResult {
  /** What ran in the group of `npm start` (program names), for the log. */
  processes: string
  firstS: number
  restartS: number
  idleMiB: number
  peakMiB: number
  allMiB: number
  journeyMiB: number
}

async function partnerToken(server: ServerHandle, database: Database, dataDir: string, adminToken: string) {
  let credentials: { client_id: string; client_secret: string }
  if (database === 'pglite') {
    const text = readFileSync(`${dataDir}/${DEMO_CLIENT_FILE}`, 'utf8')
    credentials = {
      client_id: /client_id:\s+(\S+)/.exec(text)?.[1] ?? '',
      client_secret: /client_secret:\s+(\S+)/.exec(text)?.[1] ?? '',
    }
  } else {
    const created = await fetch(`${server.url}/api/admin/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', display_name: 'Bench University', scopes: ALL_SCOPES }),
    })
    if (!created.ok) throw new Error(`POST /api/admin/partners answered ${created.status}`)
    credentials = (await created.json()) as typeof credentials
  }
  const response = await fetch(`${server.url}/api/partner/v1/oauth/token.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...credentials }).toString(),
  })
  if (!response.ok) throw new Error(`the token request answered ${response.status}`)
  return ((await response.json()) as { access_token: string }).access_token
}

async function oneRun(
  env: BenchEnvironment,
  database: Database,
  mode: RunMode,
  run: number,
  idleSeconds: number,
  nodeOptions: string | undefined,
): Promise<RunResult> {
  const tag = `startup_${mode}${nodeOptions ? '_lean' : ''}_${database}_${run}`
  const dataDir = env.dir(tag.replaceAll('_', '-'))
  const adminToken = randomBytes(24).toString('hex')
  const serverEnv: Record<string, string> = {
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    CREDPORT_RUN: mode,
    TRUST_PROXY: '127.0.0.1',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  }
  if (database === 'postgres') serverEnv.DATABASE_URL = await env.createPostgresDatabase(tag)
  const what = `npm start (${mode}, ${database}, run ${run})`

  const first = await npmStart(`${what}, first start`, serverEnv)
  let idleMiB: number
  let peakMiB: number
  let allMiB: number
  let processes: string
  try {
    await sleep(idleSeconds * 1000)
    const pid = serverPid(first)
    idleMiB = statusMiB(pid, 'VmRSS')
    peakMiB = statusMiB(pid, 'VmHWM')
    const group = groupProcesses(first.pid)
    allMiB = group.reduce((sum, p) => sum + statusMiB(p.pid, 'VmRSS'), 0)
    processes = group
      .map((p) => `${p.command.split(/\s+/)[0]!.split('/').at(-1)} ${statusMiB(p.pid, 'VmRSS').toFixed(0)}`)
      .join(', ')
  } finally {
    await first.stop()
  }

  const again = await npmStart(`${what}, restart`, serverEnv)
  let journeyMiB: number
  try {
    const token = await partnerToken(again, database, dataDir, adminToken)
    const server = { baseUrl: again.url, dataDir, accessToken: async () => token }
    await holderJourney(server, 1, token)
    await sleep(500)
    journeyMiB = statusMiB(serverPid(again), 'VmRSS')
  } finally {
    await again.stop()
  }
  return {
    processes,
    firstS: first.readyAfterMs / 1000,
    restartS: again.readyAfterMs / 1000,
    idleMiB,
    peakMiB,
    allMiB,
    journeyMiB,
  }
}

/** The probe's runs on one database in one mode; medians and the targets. */
export async function measureStartup(
  env: BenchEnvironment,
  database: Database,
  mode: RunMode,
  options: BenchOptions,
  nodeOptions?: string,
): Promise<ProbeResult> {
  if (mode === 'dist') ensureBuild()
  const runs: RunResult[] = []
  for (let run = 1; run <= options.startupRuns; run++) {
    const result = await oneRun(env, database, mode, run, options.startupIdleSeconds, nodeOptions)
    log(
      `startup (${mode}) on ${database}, run ${run}/${options.startupRuns}: first start ${result.firstS.toFixed(2)} s, ` +
        `restart ${result.restartS.toFixed(2)} s, RSS idle ${result.idleMiB.toFixed(0)} MiB, peak ${result.peakMiB.toFixed(0)} MiB, ` +
        `all processes ${result.allMiB.toFixed(0)} MiB (${result.processes}), after a holder journey ${result.journeyMiB.toFixed(0)} MiB`,
    )
    runs.push(result)
  }
  const m = (pick: (r: RunResult) => number) => median(runs.map(pick))
  const firstS = m((r) => r.firstS)
  const restartS = m((r) => r.restartS)
  const idleMiB = m((r) => r.idleMiB)
  const peakMiB = m((r) => r.peakMiB)
  const allMiB = m((r) => r.allMiB)
  const journeyMiB = m((r) => r.journeyMiB)
  const check = (what: string, value: number, target: number, unit: string, digits = 0): TargetCheck => ({
    what,
    met: value < target,
    value: `${value.toFixed(digits)} ${unit}`,
    target: `< ${target} ${unit}`,
  })
  const targets = [
    check('first start', firstS, TARGETS.firstStartS, 's', 2),
    check('restart', restartS, TARGETS.restartS, 's', 2),
    check('server RSS idle', idleMiB, TARGETS.idleRssMiB, 'MiB'),
    check('server peak RSS', peakMiB, TARGETS.peakRssMiB, 'MiB'),
    check('all processes RSS', allMiB, TARGETS.allProcessesMiB, 'MiB'),
    ...(database === 'postgres'
      ? [check('server RSS after a holder journey', journeyMiB, TARGETS.journeyRssMiB, 'MiB')]
      : []),
  ]
  return {
    values: [
      firstS.toFixed(2),
      restartS.toFixed(2),
      idleMiB.toFixed(0),
      peakMiB.toFixed(0),
      allMiB.toFixed(0),
      journeyMiB.toFixed(0),
      runs.at(-1)!.processes,
    ],
    targets,
  }
}
