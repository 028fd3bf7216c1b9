// The upload probe: streaming 15 MiB PDF uploads through signed upload links, (a) one at a time
// against writing the same bytes to a file in the server's data folder with fs, and (b) 20 at once
// while the server's resident memory is sampled. Not autocannon: each upload is one long request.
//
// The fs baseline of the target is fs.promises.writeFile of the whole buffer: the plain speed of
// writing those bytes (into the page cache). Credport's blob store syncs each document to the disk
// before answering, so the same write followed by fsync is measured beside it: the durable write
// that Credport's uploads are comparable with. For context, the same uploads also go to a bare node:http server that only
// streams the body into a file (bench/baselines/http-to-file.ts): the speed HTTP allows here at all. A write stream fed 64 KiB slices (default highWaterMark, as the blob store
// writes) is measured beside it for context: its speed depends on the slice size and highWaterMark
// (one thread-pool round trip per slice), so it says more about a stream's settings than the disk.
import { spawnSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { BATCH_PATH, freshBatchBody } from './batch.js'
import { log } from './log.js'
import { median } from './measure.js'
import { CREDPORT_SERVER, processGroupMembers, startServer, type ServerHandle } from './processes.js'
import type { TargetCheck } from './report.js'
import type { CredportContext } from './targets.js'

const MiB = 1024 * 1024
/** Size of every uploaded document. */
export const UPLOAD_BYTES = 15 * MiB
/** Uploads running at once in the memory part (7 batches of 3 PDF links each give 21). */
export const CONCURRENT_UPLOADS = 20
/** How often the server's RSS is read during the concurrent uploads. */
const SAMPLE_MS = 50
/** Issue 18: the filesystem upload path at least this fraction of the bare node:http server's speed. */
const BARE_HTTP_RATIO = 0.9
/** Bytes handed to the socket (or file) per write: the buffer is streamed in slices, not sent whole. */
const CHUNK_BYTES = 64 * 1024
const PDF_HEADER = '%PDF-1.7\n'

export interface UploadTargets {
  /** Least sequential upload speed as a fraction of the fs write speed (0.7 = at least 70 %). */
  minSpeedRatio: number
  /** Growth of the server's RSS (MiB) during the concurrent uploads must stay below this. */
  maxRssGrowthMiB: number
}

export const UPLOAD_COLUMNS = [
  'upload MiB/s (median)',
  'fs writeFile MiB/s (median)',
  'ratio to writeFile',
  'fs writeFile + fsync MiB/s (median)',
  'ratio to writeFile + fsync',
  'fs write stream MiB/s (median, context)',
  'bare HTTP→file MiB/s (median, context)',
  'ratio to bare HTTP→file',
  'bare HTTP→file + fsync MiB/s (median)',
  'ratio to bare + fsync',
  'bare HTTP→file + fsync + SHA-256 MiB/s (median)',
  'ratio to bare + fsync + SHA-256',
  `${CONCURRENT_UPLOADS} at once: total MiB/s`,
  'server RSS before MiB',
  'peak RSS MiB',
  'peak RSS growth MiB',
] as const

let document: Buffer | undefined

/** The document: a PDF header (what the server sniffs) and random filler, made once. */
function pdfDocument(): Buffer {
  if (!document) {
    const header = Buffer.from(PDF_HEADER, 'latin1')
    document = Buffer.concat([header, randomBytes(UPLOAD_BYTES - header.length)])
  }
  return document
}

/** A stream of the buffer in CHUNK_BYTES slices (views, no copies), honouring backpressure. */
function sliced(buffer: Buffer): Readable {
  let offset = 0
  return new Readable({
    highWaterMark: CHUNK_BYTES,
    read() {
      if (offset >= buffer.length) {
        this.push(null)
        return
      }
      const end = Math.min(offset + CHUNK_BYTES, buffer.length)
      this.push(buffer.subarray(offset, end))
      offset = end
    },
  })
}

interface UploadLink {
  asset_id: string
  url: string
  content_type: string
  max_bytes: number
}

/** Sends the batch sample with fresh ids and returns its PDF upload links (3 of its 4). */
async function createBatch(ctx: CredportContext, token: string): Promise<UploadLink[]> {
  const response = await fetch(ctx.baseUrl + BATCH_PATH, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: freshBatchBody(),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await response.text()
  if (response.status !== 201) throw new Error(`POST ${BATCH_PATH} answered ${response.status}: ${text.slice(0, 300)}`)
  const links = (JSON.parse(text) as { asset_uploads?: UploadLink[] }).asset_uploads ?? []
  const pdf = links.filter((l) => l.content_type === 'application/pdf')
  if (links.length !== 4 || pdf.length !== 3) {
    throw new Error(
      `POST ${BATCH_PATH}: expected 4 upload links (3 PDF), got ${links.length} (${pdf.length} PDF): ${text.slice(0, 300)}`,
    )
  }
  for (const link of pdf) {
    if (link.max_bytes < UPLOAD_BYTES)
      throw new Error(`upload links take at most ${link.max_bytes} bytes, fewer than the ${UPLOAD_BYTES} to send`)
  }
  return pdf
}

async function pdfLinks(ctx: CredportContext, token: string, count: number): Promise<UploadLink[]> {
  const links: UploadLink[] = []
  while (links.length < count) links.push(...(await createBatch(ctx, token)))
  return links.slice(0, count)
}

/** PUTs the document to an upload link of Credport (see put). */
function upload(ctx: CredportContext, link: UploadLink, body: Buffer): Promise<number> {
  // The link carries PUBLIC_URL (http://localhost:<port>); send it to the address the server listens on.
  const url = new URL(link.url)
  return put(new URL(url.pathname + url.search, ctx.baseUrl), link.asset_id, body)
}

/**
 * PUTs the document and resolves with the milliseconds until the whole answer arrived. Anything
 * but 201 with the full size stored throws: the row then fails.
 */
function put(target: URL, what: string, body: Buffer): Promise<number> {
  const url = target
  const started = performance.now()
  return new Promise<number>((resolve, reject) => {
    const request = http.request(
      target,
      {
        method: 'PUT',
        agent: false,
        headers: { 'content-type': 'application/pdf', 'content-length': String(body.length) },
      },
      (response) => {
        const parts: Buffer[] = []
        response.on('data', (chunk: Buffer) => parts.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          const elapsed = performance.now() - started
          const text = Buffer.concat(parts).toString('utf8')
          if (response.statusCode !== 201) {
            reject(new Error(`PUT ${url.pathname} (${what}) answered ${response.statusCode}: ${text.slice(0, 300)}`))
            return
          }
          const receipt = JSON.parse(text) as { bytes?: number; state?: string }
          if (receipt.bytes !== body.length) {
            reject(
              new Error(
                `PUT ${url.pathname} answered 201 but stored ${receipt.bytes} of ${body.length} bytes: ${text.slice(0, 300)}`,
              ),
            )
            return
          }
          resolve(elapsed)
        })
      },
    )
    request.setTimeout(120_000, () => request.destroy(new Error(`PUT ${url.pathname}: no answer within 120 s`)))
    request.on('error', reject)
    sliced(body).pipe(request)
  })
}

/**
 * Milliseconds to write the document to a new file in `dir` (then deleted): whole with writeFile
 * (then, for 'durable', fsync before closing, as the blob store does), or streamed in slices into
 * a write stream with default options.
 */
async function fsWrite(dir: string, body: Buffer, how: 'writeFile' | 'durable' | 'stream'): Promise<number> {
  const file = path.join(dir, `bench-fs-baseline-${randomUUID()}.bin`)
  const started = performance.now()
  if (how === 'writeFile') await fs.promises.writeFile(file, body, { flag: 'wx', mode: 0o600 })
  else if (how === 'durable') await writeDurably(file, body)
  else await pipeline(sliced(body), fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }))
  const elapsed = performance.now() - started
  await fs.promises.rm(file, { force: true })
  return elapsed
}

async function writeDurably(file: string, body: Buffer): Promise<void> {
  const handle = await fs.promises.open(file, 'wx', 0o600)
  try {
    await handle.writeFile(body)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function isServerProcess(pid: number, script: string): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return (
      path.basename(argv[0] ?? '').startsWith('node') &&
      argv.some((arg) => arg === script || arg.endsWith(`/${script}`))
    )
  } catch {
    return false
  }
}

/** The pid of the Node process running the server (the spawned one, or one in its process group). */
export function serverNodePid(server: ServerHandle, script = CREDPORT_SERVER): number {
  if (isServerProcess(server.pid, script)) return server.pid
  for (const line of processGroupMembers(server.pid).split('\n')) {
    const pid = Number(line.trim().split(/\s+/)[0])
    if (pid > 0 && isServerProcess(pid, script)) return pid
  }
  throw new Error(`${server.name}: no node process running ${script} in process group ${server.pid}`)
}

/** Resident memory of a process in bytes, from /proc/<pid>/status (VmRSS). */
function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`/proc/${pid}/status has no VmRSS line`)
  return Number(match[1]) * 1024
}

/**
 * Flushes dirty pages (sync) and pauses, so that every timed write starts on a quiet machine: the
 * kernel's writeback of the previous 15 MiB otherwise competes with it for the 2 cores.
 */
async function quiet(): Promise<void> {
  spawnSync('sync', { stdio: 'ignore' })
  await sleep(100)
}

const mib = (bytes: number) => bytes / MiB
const speed = (ms: number) => mib(UPLOAD_BYTES) / (ms / 1000)

/** Runs both parts on one (fresh) Credport; throws when any upload is not answered 201. */
export async function measureUploads(
  ctx: CredportContext,
  options: { sequentialRuns: number; targets: UploadTargets },
): Promise<{ values: string[]; targets: TargetCheck[] }> {
  const where = `upload on ${ctx.database}`
  const body = pdfDocument()
  const bare = await startServer({
    name: 'http-to-file (upload context)',
    script: 'bench/baselines/http-to-file.ts',
    env: { UPLOAD_DIR: path.join(ctx.dataDir, 'http-to-file') },
    readyPath: '/healthz',
  })
  try {
    return await measureWith(ctx, bare, body, where, options)
  } finally {
    await bare.stop()
  }
}

async function measureWith(
  ctx: CredportContext,
  bare: ServerHandle,
  body: Buffer,
  where: string,
  options: { sequentialRuns: number; targets: UploadTargets },
): Promise<{ values: string[]; targets: TargetCheck[] }> {
  const bareUpload = (query = '') => put(new URL(`/upload/${randomUUID()}${query}`, bare.url), 'bare HTTP→file', body)
  const pid = serverNodePid(ctx.server)
  const token = await ctx.accessToken()

  // Warm-up: one upload and one file write, not counted (first use of the code paths and the file system).
  const [warmLink] = await pdfLinks(ctx, token, 1)
  await fsWrite(ctx.dataDir, body, 'writeFile')
  await fsWrite(ctx.dataDir, body, 'durable')
  await fsWrite(ctx.dataDir, body, 'stream')
  await upload(ctx, warmLink!, body)
  await bareUpload()

  // (b) memory: the links first, then RSS at rest, then every upload at once with RSS sampled.
  const concurrentLinks = await pdfLinks(ctx, token, CONCURRENT_UPLOADS)
  await quiet()
  await sleep(1_000)
  const before = rssBytes(pid)
  let peak = before
  let samples = 0
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid))
      samples++
    } catch {
      // the server went away: the uploads fail and say so
    }
  }, SAMPLE_MS)
  let concurrentMs: number
  try {
    log(
      `${where}: ${CONCURRENT_UPLOADS} uploads of ${mib(UPLOAD_BYTES)} MiB at once, RSS sampled every ${SAMPLE_MS} ms…`,
    )
    const started = performance.now()
    await Promise.all(concurrentLinks.map((link) => upload(ctx, link, body)))
    concurrentMs = performance.now() - started
    peak = Math.max(peak, rssBytes(pid))
  } finally {
    clearInterval(sampler)
  }
  const growth = peak - before
  log(
    `${where}: RSS ${mib(before).toFixed(0)} → peak ${mib(peak).toFixed(0)} MiB (+${mib(growth).toFixed(1)}, ${samples} samples in ` +
      `${(concurrentMs / 1000).toFixed(1)} s), ${(CONCURRENT_UPLOADS * speed(concurrentMs)).toFixed(0)} MiB/s in all`,
  )

  // (a) speed: uploads and file writes alternate, so that a noisy moment hits all three.
  const links = await pdfLinks(ctx, token, options.sequentialRuns)
  const uploadMs: number[] = []
  const writeFileMs: number[] = []
  const durableMs: number[] = []
  const streamMs: number[] = []
  const bareMs: number[] = []
  const bareDurableMs: number[] = []
  const bareHashedMs: number[] = []
  for (const [i, link] of links.entries()) {
    await quiet()
    writeFileMs.push(await fsWrite(ctx.dataDir, body, 'writeFile'))
    await quiet()
    durableMs.push(await fsWrite(ctx.dataDir, body, 'durable'))
    await quiet()
    streamMs.push(await fsWrite(ctx.dataDir, body, 'stream'))
    await quiet()
    uploadMs.push(await upload(ctx, link, body))
    await quiet()
    bareMs.push(await bareUpload())
    await quiet()
    bareDurableMs.push(await bareUpload('?durable=1'))
    await quiet()
    bareHashedMs.push(await bareUpload('?durable=1&sha256=1'))
    log(
      `${where}: sequential ${i + 1}/${links.length}: upload ${speed(uploadMs.at(-1)!).toFixed(0)} MiB/s, ` +
        `writeFile ${speed(writeFileMs.at(-1)!).toFixed(0)} MiB/s, writeFile + fsync ${speed(durableMs.at(-1)!).toFixed(0)} MiB/s, write stream ${speed(streamMs.at(-1)!).toFixed(0)} MiB/s, ` +
        `bare HTTP→file ${speed(bareMs.at(-1)!).toFixed(0)} MiB/s, + fsync ${speed(bareDurableMs.at(-1)!).toFixed(0)} MiB/s, ` +
        `+ fsync + SHA-256 ${speed(bareHashedMs.at(-1)!).toFixed(0)} MiB/s`,
    )
  }
  const uploadSpeed = speed(median(uploadMs))
  const fsSpeed = speed(median(writeFileMs))
  const ratio = uploadSpeed / fsSpeed
  const durableSpeed = speed(median(durableMs))
  const durableRatio = uploadSpeed / durableSpeed

  return {
    values: [
      uploadSpeed.toFixed(0),
      fsSpeed.toFixed(0),
      ratio.toFixed(2),
      durableSpeed.toFixed(0),
      durableRatio.toFixed(2),
      speed(median(streamMs)).toFixed(0),
      speed(median(bareMs)).toFixed(0),
      (uploadSpeed / speed(median(bareMs))).toFixed(2),
      speed(median(bareDurableMs)).toFixed(0),
      (uploadSpeed / speed(median(bareDurableMs))).toFixed(2),
      speed(median(bareHashedMs)).toFixed(0),
      (uploadSpeed / speed(median(bareHashedMs))).toFixed(2),
      (CONCURRENT_UPLOADS * speed(concurrentMs)).toFixed(0),
      mib(before).toFixed(0),
      mib(peak).toFixed(0),
      mib(growth).toFixed(1),
    ],
    targets: [
      {
        what: 'upload speed vs fs writeFile',
        met: ratio >= options.targets.minSpeedRatio,
        value: `${ratio.toFixed(2)}×`,
        target: `≥ ${options.targets.minSpeedRatio.toFixed(2)}×`,
      },
      {
        what: 'upload speed vs fs writeFile + fsync (the target restated for a durable write, proposed in the note on issue 3)',
        met: durableRatio >= options.targets.minSpeedRatio,
        value: `${durableRatio.toFixed(2)}×`,
        target: `≥ ${options.targets.minSpeedRatio.toFixed(2)}×`,
      },
      {
        what: 'upload speed vs bare HTTP→file (issue 18)',
        met: uploadSpeed / speed(median(bareMs)) >= BARE_HTTP_RATIO,
        value: `${(uploadSpeed / speed(median(bareMs))).toFixed(2)}×`,
        target: `≥ ${BARE_HTTP_RATIO.toFixed(2)}×`,
      },
      {
        what: 'upload speed vs bare HTTP→file + fsync (issue 18 restated for a durable write, reported beside it)',
        met: uploadSpeed / speed(median(bareDurableMs)) >= BARE_HTTP_RATIO,
        value: `${(uploadSpeed / speed(median(bareDurableMs))).toFixed(2)}×`,
        target: `≥ ${BARE_HTTP_RATIO.toFixed(2)}×`,
      },
      {
        what: `peak RSS growth with ${CONCURRENT_UPLOADS} uploads at once`,
        met: mib(growth) < options.targets.maxRssGrowthMiB,
        value: `${mib(growth).toFixed(1)} MiB`,
        target: `< ${options.targets.maxRssGrowthMiB} MiB`,
      },
    ],
  }
}

/** How the probe measures, for the report. */
export function uploadNotes(sequentialRuns: number): string[] {
  return [
    `Upload table: each upload is a PUT of ${mib(UPLOAD_BYTES)} MiB (\`${PDF_HEADER.trim()}\` and random bytes, generated once in memory and ` +
      `streamed in ${CHUNK_BYTES / 1024} KiB slices, \`content-type: application/pdf\`) to a PDF upload link of a v2 batch sample sent ` +
      'with fresh ids, on a Credport started for this table alone (fresh data folder or database). After one unmeasured upload (and one write of each kind), ' +
      `${CONCURRENT_UPLOADS} uploads run at once while the VmRSS of the server's node process (/proc/<pid>/status) is read every ` +
      `${SAMPLE_MS} ms; "RSS before" is read at rest 1 s before, growth is peak − before (for PostgreSQL only Credport's process is ` +
      `counted, for PGlite the embedded database is in it). Then ${sequentialRuns} uploads one at a time alternate with writing the same ` +
      "bytes to a new file in the server's data folder from the benchmark process: whole with " +
      '`fs.promises.writeFile` (the baseline of the target; into the page cache, no fsync), the same followed by `fsync` before the file ' +
      'is closed (a durable write, as the blob store makes before answering 201), and streamed in the same 64 KiB slices into `fs.createWriteStream` with its ' +
      'default 16 KiB highWaterMark, as the blob store writes (for context: one thread-pool round trip per slice, so it is slow and ' +
      'noisy on these machines). The same uploads also go, in turn, to a bare node:http server in its own process that only streams ' +
      'the body into a file (bench/baselines/http-to-file.ts, 1 MiB write chunks like the blob store, no hashing or checks): the speed ' +
      'one HTTP request reaches on this machine at all (the target of issue 18: ≥ 0.9 of it). The same server also fsyncs the file before ' +
      'its 201 (`?durable=1`: the durable write Credport makes before answering), and on top of that hashes the body with SHA-256 on the way ' +
      '(`&sha256=1`: the hash Credport records for every document): what durability and the hash cost a bare server. Each write and upload starts after a `sync` and 100 ms of rest; speeds are the medians; an upload is ' +
      'timed until its 201 answer is read. Every upload must be answered 201 with all bytes stored, else the row fails. MiB = 2^20 bytes.',
  ]
}
