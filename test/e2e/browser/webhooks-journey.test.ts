import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { createClient, CredportWebhookError, verifyWebhook } from '../../../src/client/index.js'
import { readFixture } from '../../support/asset-factory.js'
import { browserSkipReason, Holder, launchChromium } from '../../support/browser.js'
import { freshBatch } from '../../support/intake-helpers.js'
import { freePort, readDemoClient, startServerProcess, type ServerProcess } from '../../support/server-process.js'
import { uniqueEmail } from './support.js'

/**
 * The partner's whole integration end to end, every part real: a server process (`npm start` on
 * its embedded database, the delivery job running on its own schedule), the SDK as a partner uses
 * it (token → the public v2 batch sample → every document uploaded), the holder in Chromium (the
 * redirect link, the code from the mail outbox, accept), and the partner's own receiver on
 * loopback (allowed by OUTBOUND_ALLOW_PRIVATE=true), which checks every request with
 * `verifyWebhook` and the endpoint's secret. The server's clock is the real one, so the
 * signatures' timestamps are checked against now.
 */

interface Verified {
  id: string
  event: { event_id: string; type: string; data: { id: string; request_id: string; status: string; asset_id?: string } }
}

/** The partner's receiver: verifies each request as received, answers 204 (400 when it does not verify). */
async function partnerReceiver(secret: () => string) {
  const verified: Verified[] = []
  const refused: string[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', async () => {
      const raw = Buffer.concat(chunks)
      try {
        const event = await verifyWebhook<Verified['event']>(request.headers, raw, secret())
        verified.push({ id: String(request.headers['webhook-id']), event })
        response.writeHead(204).end()
      } catch (error) {
        refused.push(error instanceof CredportWebhookError ? error.reason : String(error))
        response.writeHead(400).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/credport-events`,
    verified,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('webhooks end to end: SDK → server process → holder in Chromium → signed submission.verified', {
  skip: browserSkipReason(),
}, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-webhooks-e2e-'))
  let server: ServerProcess
  let browser: Browser
  let baseUrl: string
  let secret = ''
  let receiver: Awaited<ReturnType<typeof partnerReceiver>>
  before(async () => {
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    ;[server, browser, receiver] = await Promise.all([
      startServerProcess({
        DATA_DIR: dataDir,
        PORT: String(port),
        PUBLIC_URL: baseUrl,
        OUTBOUND_ALLOW_PRIVATE: 'true',
      }),
      launchChromium(),
      partnerReceiver(() => secret),
    ])
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
    await receiver?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('the receiver gets the uploads, the opening and the acceptance, each correctly signed; status says verified', async () => {
    const demo = readDemoClient(dataDir)
    const client = createClient({ baseUrl, clientId: demo.client_id, clientSecret: demo.client_secret })
    const endpoint = await client.webhooks.create({ url: receiver.url, name: 'end to end' })
    assert.match(endpoint.secret, /^whsec_/)
    secret = endpoint.secret

    // The partner: the public batch sample, every document uploaded.
    const { id, body } = freshBatch()
    const created = await client.submitBatch(body)
    assert.equal(created.asset_uploads.length, 4)
    for (const upload of created.asset_uploads) {
      const file = upload.content_type === 'image/png' ? 'documents/pixel.png' : 'documents/tiny.pdf'
      await client.uploadAsset(upload, new Uint8Array(readFixture(file)))
    }
    const received = await eventually('four asset.received', () =>
      receiver.verified.filter((v) => v.event.type === 'asset.received').length === 4 ? true : undefined,
    )
    assert.ok(received)

    // The holder: the redirect link in Chromium, the code from the outbox, accept.
    const holder = await Holder.create(browser, { baseUrl, config: { dataDir } }, { email: uniqueEmail('webhooks') })
    try {
      await holder.openLink(created.redirect_uri)
      await holder.signIn()
      assert.equal(new URL(holder.page.url()).pathname, '/holder/review')
      await holder.decide('accept')
      assert.match(await holder.page.locator('main h1').innerText(), /Added to your wallet/)
    } finally {
      await holder.close()
    }

    // The partner hears of it: a submission.verified that verifies with the endpoint's secret.
    const verified = await eventually('submission.verified at the receiver', () =>
      receiver.verified.find((v) => v.event.type === 'submission.verified'),
    )
    assert.equal(verified.id, verified.event.event_id, 'webhook-id is the event id')
    assert.equal(verified.event.data.id, id)
    assert.equal(verified.event.data.status, 'verified')
    assert.deepEqual(receiver.refused, [], 'every request verified')
    await assert.rejects(
      verifyWebhook({ 'webhook-id': verified.id, 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, '{}', secret),
      CredportWebhookError,
    )

    // In the order things happened: the four documents, the opening, the acceptance; each once.
    const types = receiver.verified.map((v) => v.event.type)
    assert.deepEqual(types, [...Array(4).fill('asset.received'), 'submission.opened', 'submission.verified'])
    assert.equal(new Set(receiver.verified.map((v) => v.id)).size, 6, 'no event twice')
    assert.deepEqual(
      receiver.verified
        .filter((v) => v.event.type === 'asset.received')
        .map((v) => v.event.data.asset_id)
        .sort(),
      created.asset_uploads.map((u) => u.asset_id).sort(),
    )
    const requestIds = new Set(receiver.verified.map((v) => v.event.data.request_id))
    assert.equal(requestIds.size, 1, 'every event names the same Credport request')

    assert.equal((await client.waitFor(id, { until: 'verified', timeoutMs: 10_000 })).status, 'verified')
    const status = await client.status(id)
    assert.equal(status.status, 'verified')
    assert.ok(status.opened_at && status.finalized_at)
    // The receiver answers before the server records the attempt: wait for the records.
    let log = await client.webhooks.deliveries(endpoint.id)
    for (const deadline = Date.now() + 15_000; log.deliveries.some((d) => d.status === 'pending'); ) {
      assert.ok(Date.now() < deadline, 'every attempt is recorded')
      await new Promise((r) => setTimeout(r, 100))
      log = await client.webhooks.deliveries(endpoint.id)
    }
    assert.deepEqual(
      log.deliveries.map((d) => [d.event_type, d.status, d.attempts, d.last_status_code]).sort(),
      [
        ...Array(4).fill(['asset.received', 'delivered', 1, 204]),
        ['submission.opened', 'delivered', 1, 204],
        ['submission.verified', 'delivered', 1, 204],
      ].sort(),
    )
  })
})
