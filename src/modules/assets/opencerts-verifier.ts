import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { OpenCertInspection } from './opencerts.js'

/** The worker's file beside this one, with this module's own extension (.ts from source, .js when compiled). */
const EXTENSION = path.extname(fileURLToPath(import.meta.url))
const WORKER_FILE = new URL(`./opencerts-worker${EXTENSION}`, import.meta.url)

/**
 * Compiled, the worker runs its file. From TypeScript sources (run by tsx) it first registers
 * tsx's loader: Node 20 does not pass the `--import` hooks of the process on to worker threads.
 * tsx is resolved here, from this file: the worker's own code would look for it from the
 * current folder, wherever the server was started from.
 */
function newWorker(): Worker {
  if (EXTENSION !== '.ts') return new Worker(WORKER_FILE)
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  const bootstrap = `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_FILE.href)}) })`
  return new Worker(bootstrap, { eval: true })
}

/** A buffer that owns its whole memory can be moved to the worker; a slice of Node's shared pool cannot. */
function movable(bytes: Uint8Array): ArrayBuffer | null {
  const { buffer } = bytes
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength
    ? buffer
    : null
}

/** A buffer moved elsewhere before (Node 20 has no `ArrayBuffer.prototype.detached`): a view of it cannot be made. */
function isDetached(bytes: Uint8Array): boolean {
  try {
    new Uint8Array(bytes.buffer)
    return false
  } catch {
    return true
  }
}

type Pending = {
  worker: Worker
  bytes: number
  resolve(inspection: OpenCertInspection): void
  reject(error: Error): void
}

/** Bytes of documents that may wait for the worker at once, by default (a few of the largest, thousands of usual ones). */
export const DEFAULT_MAX_WAITING_BYTES = 64 * 1024 * 1024

/** Seconds after which a document refused by a busy verifier is best sent again. */
export const BUSY_RETRY_AFTER_SECONDS = 5

/** More documents wait for verification than the verifier takes: send this one again later. */
export class VerifierBusyError extends Error {
  readonly retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS
  constructor() {
    super('too many OpenCerts documents are waiting to be verified')
    this.name = 'VerifierBusyError'
  }
}

/**
 * Parses and verifies OpenCerts documents in a worker thread. A 20 MB document of many fields
 * takes seconds of JSON parsing and Keccak hashing; on the event loop that would stall every
 * other request for as long. One worker, started on first use and stopped by `close`; documents
 * queue for it in arrival order, up to `maxWaitingBytes` in all (one document is always taken
 * when none waits); beyond that `inspect` fails at once with VerifierBusyError, unless told to
 * wait even so: documents whose room was reserved beforehand (`reserve`), or that a job hands over
 * one at a time. A worker that dies fails what it was given, and the next document starts a new one.
 */
export class OpenCertVerifier {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private waitingBytes = 0
  /** Bytes held by `reserve` for documents not handed over yet. */
  private reservedBytes = 0
  private nextId = 1

  constructor(readonly maxWaitingBytes = DEFAULT_MAX_WAITING_BYTES) {}

  /** Whether a document of `byteLength` bytes would be taken now, rather than refused as busy. */
  hasRoomFor(byteLength: number): boolean {
    const held = this.waitingBytes + this.reservedBytes
    return held === 0 || held + byteLength <= this.maxWaitingBytes
  }

  /**
   * Holds room for documents of `byteLength` bytes in all that will be inspected a little later
   * (with `evenWhenBusy`, once what they belong to is stored), so that requests checked meanwhile
   * cannot all take the same room. Answers the function that gives the room back (call it once
   * they are verified or given up; later calls do nothing), or null when there is no room.
   */
  reserve(byteLength: number): (() => void) | null {
    if (!this.hasRoomFor(byteLength)) return null
    this.reservedBytes += byteLength
    let held = true
    return () => {
      if (held) this.reservedBytes -= byteLength
      held = false
    }
  }

  /**
   * Parses `bytes` and verifies the document they hold, in the worker. Takes the bytes over: a
   * buffer of its own is moved to the worker, not copied (it is empty here afterwards), so that a
   * large document waiting for its turn is held once. Fails at once with VerifierBusyError when
   * too much already waits, unless `evenWhenBusy`: for bytes that would be lost if refused (a
   * document that came inside a request already accepted), which are held in memory anyway.
   */
  inspect(bytes: Uint8Array, options: { evenWhenBusy?: boolean } = {}): Promise<OpenCertInspection> {
    if (isDetached(bytes))
      return Promise.reject(new TypeError('these bytes were already handed over (their buffer is detached)'))
    if (!options.evenWhenBusy && !this.hasRoomFor(bytes.byteLength)) return Promise.reject(new VerifierBusyError())
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const waiting: Pending = { worker, bytes: bytes.byteLength, resolve, reject }
      this.pending.set(id, waiting)
      this.waitingBytes += bytes.byteLength
      // Keeps the process alive only while documents are being verified.
      worker.ref()
      const buffer = movable(bytes)
      try {
        worker.postMessage({ id, bytes }, buffer ? [buffer] : [])
      } catch (error) {
        this.settle(id, waiting)
        this.unrefWhenIdle(worker)
        reject(error as Error)
      }
    })
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }

  private start(): Worker {
    const worker = newWorker()
    worker.unref()
    worker.on('message', (message: { id: number; inspection?: OpenCertInspection; error?: string }) => {
      const waiting = this.pending.get(message.id)
      if (!waiting) return
      this.settle(message.id, waiting)
      this.unrefWhenIdle(worker)
      if (message.inspection) waiting.resolve(message.inspection)
      else waiting.reject(new Error(`OpenCerts verification failed: ${message.error}`))
    })
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue
        this.settle(id, waiting)
        waiting.reject(error)
      }
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the OpenCerts worker stopped (exit code ${code})`)))
    this.worker = worker
    return worker
  }

  private unrefWhenIdle(worker: Worker): void {
    if (![...this.pending.values()].some((p) => p.worker === worker)) worker.unref()
  }

  private settle(id: number, waiting: Pending): void {
    this.pending.delete(id)
    this.waitingBytes -= waiting.bytes
  }
}
