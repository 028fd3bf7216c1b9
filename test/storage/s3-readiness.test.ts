import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startTestApp } from '../support/app.js'
import { startS3Server } from '../support/s3-server.js'

test('/readyz answers while the S3 bucket does, and 503 once it does not', async () => {
  const s3 = await startS3Server()
  const t = await startTestApp('pglite', s3.env)
  try {
    assert.equal(t.deps.blobs.kind, 's3')
    assert.equal((await t.request('GET', '/readyz')).status, 200)
    await s3.close()
    const down = await t.request('GET', '/readyz')
    assert.equal(down.status, 503)
    assert.match(down.body.detail, /document store is not reachable/)
    assert.equal((await t.request('GET', '/healthz')).status, 200, 'alive all the same')
  } finally {
    await t.close()
  }
})
