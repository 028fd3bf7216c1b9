import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestApp } from '../support/app.js'

/** Sends `bytes` on a raw connection and resolves with everything the server wrote before it closed. */
async function rawExchange(t: TestApp, bytes: string): Promise<string> {
  const { hostname, port } = new URL(t.baseUrl)
  const socket = net.connect(Number(port), hostname)
  let received = ''
  socket.on('data', (chunk) => (received += chunk.toString('latin1')))
  socket.on('error', () => {})
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.write(bytes)
  await new Promise((resolve) => socket.once('close', resolve))
  return received
}

function parseAnswer(raw: string) {
  const [head, body] = [raw.slice(0, raw.indexOf('\r\n\r\n')), raw.slice(raw.indexOf('\r\n\r\n') + 4)]
  const [statusLine, ...lines] = head.split('\r\n')
  const headers = new Map(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  )
  return { status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(body) }
}

/**
 * Requests Node's HTTP parser refuses never reach a route: they too are answered with a problem
 * (with the security headers), not Fastify's own `{"error":"Bad Request",…}`, and the connection closes.
 */
describe('requests that are not valid HTTP', () => {
  let t: TestApp
  before(async () => {
    t = await startTestApp('pglite')
  })
  after(() => t.close())

  for (const [name, bytes, status, type] of [
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400, 'malformed_request'],
    [
      'a control character in a header',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n',
      400,
      'malformed_request',
    ],
    [
      'Content-Length together with Transfer-Encoding',
      'POST /api/partner/v2/add/requests/batch.json HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
      'malformed_request',
    ],
    [
      'headers larger than 16 KiB',
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
  ] as const) {
    test(`${name} → ${status} /problems/${type}, security headers, connection closed`, async () => {
      const answer = parseAnswer(await rawExchange(t, bytes))
      assert.equal(answer.status, status)
      assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/)
      assert.equal(answer.headers.get('connection'), 'close')
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff')
      assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'none'/)
      assert.equal(answer.body.type, `/problems/${type}`)
      assert.equal(answer.body.status, status)
      assert.match(answer.body.request_id, /^[0-9a-f-]{36}$/)
      // Its page exists, as every problem type's does.
      assert.equal((await t.request('GET', answer.body.type)).status, 200)
    })
  }

  test('the server goes on serving', async () => {
    assert.equal((await t.request('GET', '/healthz')).status, 200)
  })
})
