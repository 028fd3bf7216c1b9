import assert from 'node:assert/strict'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { freshBatch, statusPath, V2_BATCH } from '../support/intake-helpers.js'

/** Opens a raw connection, sends `head` (and nothing more), and resolves with what came back when the server closes it. */
async function stallAfter(t: TestApp, head: string, waitMs = 20_000): Promise<string> {
  const { hostname, port } = new URL(t.baseUrl)
  const socket = net.connect(Number(port), hostname)
  let received = ''
  socket.on('data', (chunk) => (received += chunk.toString('latin1')))
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.write(head)
  const closed = new Promise((resolve) => socket.once('close', resolve))
  // The wait is cancelled once the race is decided: a pending timer would keep this file's process
  // alive for up to `waitMs` after its last test.
  const waited = new AbortController()
  const outcome = await Promise.race([
    closed.then(() => 'closed'),
    sleep(waitMs, 'still open', { signal: waited.signal }).catch(() => 'cancelled'),
  ])
  waited.abort()
  socket.destroy()
  assert.equal(outcome, 'closed', 'the server closes a stalled connection')
  return received
}

// A client that stops sending (or trickles) must not hold a connection, or an upload's temporary
// file, for ever: IDLE_TIMEOUT closes a connection on which nothing arrives (1 s here).
describeEachBackend(
  'stalled clients',
  (use) => {
    test('a token request whose body never comes is cut off', async () => {
      const t = use()
      await stallAfter(
        t,
        'POST /api/partner/v1/oauth/token.json HTTP/1.1\r\nHost: credport.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=',
      )
      const health = await t.request('GET', '/healthz')
      assert.equal(health.status, 200, 'the server goes on serving')
    })

    test('an upload that stalls half-way is cut off and leaves nothing behind: the asset still awaits its bytes', async () => {
      const t = use()
      const { token } = await makePartnerWithToken(t)
      const { id, body } = freshBatch()
      const created = await t.request('POST', V2_BATCH, { json: body, token })
      assert.equal(created.status, 201, created.text)
      const link = new URL(created.body.asset_uploads[0].url)
      const pdf = fs.readFileSync(new URL('../fixtures/documents/tiny.pdf', import.meta.url))
      await stallAfter(
        t,
        `PUT ${link.pathname}${link.search} HTTP/1.1\r\nHost: credport.test\r\nContent-Type: application/pdf\r\nContent-Length: ${pdf.length + 1000}\r\n\r\n${pdf.toString('latin1')}`,
      )
      const status = await t.request('GET', statusPath(id), { token })
      const asset = status.body.items
        .flatMap((i: any) => i.assets)
        .find((a: any) => a.asset_id === created.body.asset_uploads[0].asset_id)
      assert.equal(asset.state, 'awaiting_upload')
      const incoming = path.join(t.config.dataDir, 'blobs', '.incoming')
      for (let i = 0; i < 50 && fs.existsSync(incoming) && fs.readdirSync(incoming).length > 0; i++) await sleep(100)
      assert.deepEqual(fs.existsSync(incoming) ? fs.readdirSync(incoming) : [], [], 'no temporary file is left')
    })
  },
  { IDLE_TIMEOUT: '1s' },
)

describeEachBackend('refused uploads', (use) => {
  test('an upload announcing more than its link allows → 413, and the connection closes without reading the rest', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t)
    const created = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
    const link = new URL(created.body.asset_uploads[0].url)
    const tooMany = created.body.asset_uploads[0].max_bytes + 1
    // Well within IDLE_TIMEOUT (30 s by default): only the answer can close the connection this soon.
    const answer = await stallAfter(
      t,
      `PUT ${link.pathname}${link.search} HTTP/1.1\r\nHost: credport.test\r\nContent-Type: application/pdf\r\nContent-Length: ${tooMany}\r\n\r\n%PDF-1.7\n`,
      10_000,
    )
    assert.match(answer, /^HTTP\/1\.1 413 /)
    assert.match(answer, /\r\nconnection: close\r\n/i)
  })
})
