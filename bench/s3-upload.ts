// `npm run bench:s3`: upload throughput of 15 MiB documents through a presigned S3 URL as
// Credport issues it (asset_uploads[].url, a plain PUT) beside the same upload with the AWS SDK
// (PutObject), both to a local S3-compatible server (s3rver, started here on a free port, in a
// process of its own). Credport is not on the byte path: the ratio shows the URL costs nothing.
// Options (environment): BENCH_S3_RUNS (default 7), BENCH_S3_MIB (15).
import { fork } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { openS3BlobStore } from '../src/storage/s3-blob-store.js'

if (process.argv[2] === 'server') {
  const { startS3Server } = await import('../test/support/s3-server.js')
  const s3 = await startS3Server('bench')
  process.send?.(s3.env)
  process.on('disconnect', () => s3.close().then(() => process.exit(0)))
} else {
  const runs = Number(process.env.BENCH_S3_RUNS ?? 7)
  const mib = Number(process.env.BENCH_S3_MIB ?? 15)
  const server = fork(new URL(import.meta.url).pathname, ['server'], { execArgv: ['--import', 'tsx'] })
  const env = await new Promise<Record<string, string>>((resolve) => server.once('message', (m) => resolve(m as never)))
  const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-s3-'))
  const store = await openS3BlobStore(
    {
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION!,
      bucket: env.S3_BUCKET!,
      prefix: env.S3_PREFIX!,
      forcePathStyle: true,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    },
    spool,
  )
  const body = Buffer.alloc(mib * 1024 * 1024, '%PDF-1.7 bench ')
  const presigned = async (i: number) => {
    const url = await store.presignPut(`uploads/presigned-${i}`, {
      contentType: 'application/pdf',
      expiresInSeconds: 3600,
      now: new Date(),
    })
    // node:http, as the SDK's own handler, so that only the URL differs (not the HTTP client).
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/pdf', 'content-length': body.length },
      })
      request.on('response', (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      })
      request.on('error', reject)
      request.end(body)
    })
    if (status !== 200) throw new Error(`presigned PUT: ${status}`)
  }
  const sdk = async (i: number) => {
    await store.client.send(
      new PutObjectCommand({
        Bucket: store.bucket,
        Key: store.objectKey(`uploads/sdk-${i}`),
        Body: body,
        ContentType: 'application/pdf',
      }),
    )
  }
  const times = { presigned: [] as number[], sdk: [] as number[] }
  await presigned(-1)
  await sdk(-1)
  for (let i = 0; i < runs; i++) {
    for (const [name, upload] of [
      ['presigned', presigned],
      ['sdk', sdk],
    ] as const) {
      const start = performance.now()
      await upload(i)
      times[name].push(performance.now() - start)
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const mibps = (ms: number) => (mib / (ms / 1000)).toFixed(1)
  const p = median(times.presigned)
  const s = median(times.sdk)
  console.log(`${mib} MiB uploads, median of ${runs} (alternating), local s3rver:`)
  console.log(`  presigned URL (Credport's asset_uploads url), plain PUT: ${p.toFixed(0)} ms, ${mibps(p)} MiB/s`)
  console.log(`  AWS SDK PutObject:                                      ${s.toFixed(0)} ms, ${mibps(s)} MiB/s`)
  console.log(`  ratio (presigned / SDK throughput): ${(s / p).toFixed(2)}`)
  await store.close()
  fs.rmSync(spool, { recursive: true, force: true })
  server.disconnect()
}
