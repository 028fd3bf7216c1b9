// Worker thread of OpenCertVerifier: parses and verifies OpenCerts documents off the event loop.
import { parentPort } from 'node:worker_threads'
import { inspectOpenCert } from './opencerts.js'

if (!parentPort) throw new Error('opencerts-worker runs as a worker thread (see opencerts-verifier.ts)')
const port = parentPort

port.on('message', ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  try {
    port.postMessage({ id, inspection: inspectOpenCert(bytes) })
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
