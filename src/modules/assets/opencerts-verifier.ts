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
 */
function newWorker(): Worker {
  if (EXTENSION !== '.ts') return new Worker(WORKER_FILE)
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_FILE.href)}) })`
  return new Worker(bootstrap, { eval: true })
}

type Pending = { worker: Worker; resolve(inspection: OpenCertInspection): void; reject(error: Error): void }

/**
 * Parses and verifies OpenCerts documents in a worker thread. A 20 MB document of many fields
 * takes seconds of JSON parsing and Keccak hashing; on the event loop that would stall every
 * other request for as long. One worker, started on first use and stopped by `close`; documents
 * queue for it in arrival order. A worker that dies fails what it was given, and the next
 * document starts a new one.
 */
export class OpenCertVerifier {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  /** Parses `bytes` and verifies the document they hold, in the worker. */
  inspect(bytes: Uint8Array): Promise<OpenCertInspection> {
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject })
      // Keeps the process alive only while documents are being verified.
      worker.ref()
      worker.postMessage({ id, bytes })
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
      this.pending.delete(message.id)
      if (![...this.pending.values()].some((p) => p.worker === worker)) worker.unref()
      if (message.inspection) waiting.resolve(message.inspection)
      else waiting.reject(new Error(`OpenCerts verification failed: ${message.error}`))
    })
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue
        this.pending.delete(id)
        waiting.reject(error)
      }
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the OpenCerts worker stopped (exit code ${code})`)))
    this.worker = worker
    return worker
  }
}
