// Context for the upload probe: the least an HTTP server can do with an upload — node:http
// streams a PUT body into a new file in UPLOAD_DIR (a write stream with 1 MiB chunks, as
// Credport's blob store writes; no fsync, no hashing, no checks) and answers 201 with the byte
// count. It shows how fast one 15 MiB request can travel through HTTP on this machine at all.
// Gets PORT, HOST and UPLOAD_DIR from the harness.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

const dir = process.env.UPLOAD_DIR
if (!dir) throw new Error('http-to-file baseline: set UPLOAD_DIR')
fs.mkdirSync(dir, { recursive: true })

const server = http.createServer((request, response) => {
  if (request.method !== 'PUT') {
    response.writeHead(request.url === '/healthz' ? 200 : 404).end()
    return
  }
  const file = path.join(dir, randomUUID())
  const out = fs.createWriteStream(file, { flags: 'wx', highWaterMark: 1024 * 1024 })
  pipeline(request, out).then(
    async () => {
      response
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ bytes: out.bytesWritten, state: 'received' }))
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
