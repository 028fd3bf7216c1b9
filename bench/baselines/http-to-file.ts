// Context for the upload probe: the least an HTTP server can do with an upload — node:http
// streams a PUT body into a new file in UPLOAD_DIR (a write stream with 1 MiB chunks, as
// Credport's blob store writes; no fsync, no hashing, no checks) and answers 201 with the byte
// count. It shows how fast one 15 MiB request can travel through HTTP on this machine at all.
// With `?durable=1` the file is fsynced before the answer (as Credport's blob store does before
// its 201), with `&sha256=1` the body is also hashed on the way (as Credport records every
// document's SHA-256): what a durable write and the hash cost a bare server.
// Gets PORT, HOST and UPLOAD_DIR from the harness.
import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

const dir = process.env.UPLOAD_DIR
if (!dir) throw new Error('http-to-file baseline: set UPLOAD_DIR')
fs.mkdirSync(dir, { recursive: true })

const server = http.createServer((request, response) => {
  if (request.method !== 'PUT') {
    response.writeHead(request.url === '/healthz' ? 200 : 404).end()
    return
  }
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams
  const durable = query.get('durable') === '1'
  const hash = query.get('sha256') === '1' ? createHash('sha256') : null
  const file = path.join(dir, randomUUID())
  const out = fs.createWriteStream(file, { flags: 'wx', highWaterMark: 1024 * 1024, flush: durable })
  const hasher = (hash: ReturnType<typeof createHash>) =>
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk)
        callback(null, chunk)
      },
    })
  ;(hash ? pipeline(request, hasher(hash), out) : pipeline(request, out)).then(
    async () => {
      response
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ bytes: out.bytesWritten, state: 'received', sha256: hash?.digest('hex') }))
      await fs.promises.rm(file, { force: true })
    },
    async () => {
      response.writeHead(500).end()
      await fs.promises.rm(file, { force: true })
    },
  )
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => process.exit(0)))

server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1')
