// Upload throughput of 15 MiB documents through a presigned S3 URL as Credport issues it
// (asset_uploads[].url, a plain PUT) beside the same upload with the AWS SDK (PutObject), both to
// a local S3-compatible server (s3rver, in a process of its own: bench/lib/s3-server-process.ts).
// Credport is not on the byte path: the ratio shows what the URL costs. Used by `npm run bench:s3`
// (bench/s3-upload.ts) and by the `s3-upload` row of `npm run bench` (bench/scale-probes.ts).
import { fork } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { openS3BlobStore } from '../../src/storage/s3-blob-store.js'
import { median } from './measure.js'

export interface S3UploadResult {
  mib: number
  runs: number
  /** Median milliseconds of one upload. */
  presignedMs: number
  sdkMs: number
}

export const mibPerSecond = (mib: number, ms: number) => mib / (ms / 1000)

/** `runs` uploads of each kind, alternating, after one unmeasured upload of each. */
export async function measureS3Uploads(runs: number, mib: number): Promise<S3UploadResult> {
  const server = fork(new URL('./s3-server-process.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
  })
  const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-s3-'))
  try {
    const env = await new Promise<Record<string, string>>((resolve, reject) => {
      server.once('message', (m) => resolve(m as Record<string, string>))
      server.once('exit', (code) => reject(new Error(`the S3 server process exited (${code})`)))
    })
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
    try {
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
      return { mib, runs, presignedMs: median(times.presigned), sdkMs: median(times.sdk) }
    } finally {
      await store.close()
    }
  } finally {
    fs.rmSync(spool, { recursive: true, force: true })
    if (server.connected) server.disconnect()
    else server.kill()
  }
}
