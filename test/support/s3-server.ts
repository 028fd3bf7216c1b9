import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { S3Settings } from '../../src/config.js'

/**
 * An S3-compatible server (s3rver, installed by `npm ci`) on a free local port with one empty
 * bucket, in this test file's process. It checks a request's signature form and expiry, not its
 * bytes (see README, Running the tests): a tampered URL is refused by real S3, not by it.
 */
export interface TestS3 {
  settings: S3Settings
  /** BLOB_STORE=s3 and the S3_* variables of `settings`, for loadConfig or a server process. */
  env: Record<string, string>
  endpoint: string
  /** Stops answering (the port refuses connections) and keeps the objects: a store that is down. */
  stop(): Promise<void>
  /** Answers again, on the same port, with the same objects. */
  start(): Promise<void>
  close(): Promise<void>
}

export async function startS3Server(bucket = 'credport-test'): Promise<TestS3> {
  const { default: S3rver } = await import('s3rver')
  const directory = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 's3rver-'))
  const serve = (port: number) =>
    new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket, configs: [] }],
    })
  let server: InstanceType<typeof S3rver> | null = serve(0)
  const address = await server.run()
  const endpoint = `http://127.0.0.1:${address.port}`
  const settings: S3Settings = {
    endpoint,
    region: 'us-east-1',
    bucket,
    prefix: 'credport/',
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  }
  return {
    settings,
    endpoint,
    env: {
      BLOB_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_REGION: settings.region,
      S3_BUCKET: bucket,
      S3_PREFIX: settings.prefix,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async stop() {
      await server?.close()
      server = null
    },
    async start() {
      if (server) return
      server = serve(address.port)
      await server.run()
    },
    async close() {
      await server?.close()
      server = null
      fs.rmSync(directory, { recursive: true, force: true })
    },
  }
}
