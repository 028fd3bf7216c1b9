import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import { after, describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { createDeps } from '../../src/deps.js'
import { describeStartupFailure, EXIT_CODES } from '../../src/startup-failure.js'
import { startS3Server } from '../support/s3-server.js'

describe('BLOB_STORE=s3 configuration', () => {
  it('is the filesystem by default, and S3 with the S3_* variables', () => {
    assert.deepEqual(loadConfig({}).blobStore, { kind: 'fs' })
    const config = loadConfig({
      BLOB_STORE: 's3',
      S3_ENDPOINT: 'http://minio:9000/',
      S3_BUCKET: 'docs',
      S3_PREFIX: 'credport/',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    })
    assert.deepEqual(config.blobStore, {
      kind: 's3',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      bucket: 'docs',
      prefix: 'credport/',
      forcePathStyle: true,
      accessKeyId: 'id',
      secretAccessKey: 'secret',
    })
    // No keys: the SDK's default credential chain.
    assert.equal(loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'docs' }).blobStore.kind, 's3')
  })

  it('reports every S3 problem together with the others', () => {
    assert.throws(
      () =>
        loadConfig({
          BLOB_STORE: 's3',
          S3_ENDPOINT: 'minio:9000',
          S3_PREFIX: '/abs',
          S3_FORCE_PATH_STYLE: 'yes',
          S3_ACCESS_KEY_ID: 'only-the-id',
          PORT: 'eighty',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        const names = error.problems.map((p) => p.split(':')[0])
        for (const name of [
          'PORT',
          'S3_ENDPOINT',
          'S3_PREFIX',
          'S3_FORCE_PATH_STYLE',
          'S3_BUCKET',
          'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY',
        ])
          assert.ok(names.includes(name), `${name} missing from ${error.problems.join('; ')}`)
        assert.ok(!error.message.includes('only-the-id'), 'a key is not printed')
        return true
      },
    )
  })

  it('ignores the S3 variables with BLOB_STORE=fs', () => {
    assert.deepEqual(loadConfig({ S3_ENDPOINT: 'http://x:1' }).blobStore, { kind: 'fs' })
  })
})

describe('starting on S3', () => {
  const root = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'credport-s3-start-'))
  after(() => fs.rmSync(root, { recursive: true, force: true }))

  it('opens the bucket, and stops with exit code 69 naming it when it does not answer', async () => {
    const s3 = await startS3Server()
    try {
      const deps = await createDeps(loadConfig({ DATA_DIR: path.join(root, 'a'), LOG_LEVEL: 'silent', ...s3.env }))
      assert.equal(deps.blobs.kind, 's3')
      await deps.blobs.check?.()
      await deps.close()
      let caught: unknown
      await createDeps(
        loadConfig({ DATA_DIR: path.join(root, 'b'), LOG_LEVEL: 'silent', ...s3.env, S3_BUCKET: 'missing-bucket' }),
      ).catch((error) => {
        caught = error
      })
      const failure = describeStartupFailure(caught, { port: 1, host: '' })
      assert.equal(failure.exitCode, EXIT_CODES.databaseUnavailable)
      assert.match(failure.message, /the S3 bucket missing-bucket at http:\/\/127\.0\.0\.1:\d+ does not answer/)
      assert.ok(!failure.message.includes('S3RVER'), 'no credentials in the message')
    } finally {
      await s3.close()
    }
  })
})
