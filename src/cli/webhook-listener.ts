import http from 'node:http'
import type { CredportClient } from '../client/client.js'
import { CredportProblemError } from '../client/errors.js'
import type { WebhookEndpointWithSecret, WebhookEventType } from '../client/types.js'
import { CredportWebhookError, verifyWebhook } from '../client/webhooks.js'
import { CliError, clientFromEnv, EXIT, print, printJson } from './partner-commands.js'
import { shortTime } from './table.js'

/**
 * `credport webhooks listen`: a local HTTP receiver for trying an integration. Each request is
 * checked with the SDK's `verifyWebhook` (204 when it verifies; 400 or 401 with a short reason
 * when not) and printed as one line. With `--create` it registers itself as an endpoint (through
 * the SDK) and deletes that endpoint when it stops (SIGINT, SIGTERM or `--exit-after`).
 */

export interface ListenOptions {
  port: number
  host: string
  path: string
  secret?: string
  create?: boolean
  eventType?: string[]
  exitAfter?: number
  json?: boolean
}

/** Largest request body taken (Credport's events are a few hundred bytes). */
const MAX_BODY_BYTES = 1024 * 1024
const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/
const LOOPBACK_HINT =
  'Credport delivers to a loopback or private address only when the server runs with OUTBOUND_ALLOW_PRIVATE=true (development only).'

interface ReceivedEvent {
  type?: string
  data?: { id?: string; request_id?: string; status?: string; asset_id?: string }
}

type Outcome =
  | { verified: true; webhookId: string; event: ReceivedEvent; duplicate: boolean }
  | { verified: false; statusCode: number; reason: string }

const note = (line: string) => process.stderr.write(`${line}\n`)

function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    request.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined))
    request.on('error', reject)
  })
}

function printOutcome(outcome: Outcome, json: boolean): void {
  const receivedAt = new Date().toISOString()
  if (json) {
    if (outcome.verified) {
      const { webhookId, event, duplicate } = outcome
      printJson({ received_at: receivedAt, verified: true, webhook_id: webhookId, duplicate, event })
    } else
      printJson({ received_at: receivedAt, verified: false, status_code: outcome.statusCode, reason: outcome.reason })
    return
  }
  const time = shortTime(receivedAt)
  if (!outcome.verified) {
    print(`${time}  refused ${outcome.statusCode}  ${outcome.reason}`)
    return
  }
  const { type = '?', data = {} } = outcome.event
  const parts = [time, type.padEnd(20), data.id ?? '-', data.status ?? '-', `request ${data.request_id ?? '-'}`]
  if (data.asset_id) parts.push(`asset ${data.asset_id}`)
  if (outcome.duplicate) parts.push('(again: same webhook-id)')
  print(parts.join('  '))
}

/** The host as it goes in a URL: a wildcard interface is reached on 127.0.0.1, an IPv6 address in brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

async function register(client: CredportClient, url: string, eventTypes?: string[]) {
  try {
    return await client.webhooks.create({
      url,
      name: 'credport webhooks listen',
      description: 'a local receiver; deleted when it stops',
      ...(eventTypes ? { event_types: eventTypes as WebhookEventType[] } : {}),
    })
  } catch (error) {
    if (error instanceof CredportProblemError && error.errors.some((issue) => issue.pointer === '/url')) {
      throw new CliError(`the server refused ${url} as an endpoint. ${LOOPBACK_HINT}`, EXIT.refused)
    }
    throw error
  }
}

/** Runs the receiver; resolves once it has stopped. */
export async function listenForWebhooks(options: ListenOptions): Promise<void> {
  const json = Boolean(options.json)
  if (!options.path.startsWith('/')) throw new CliError(`--path must start with /, not ${options.path}`, EXIT.usage)
  if (options.create && options.secret)
    throw new CliError('--create makes an endpoint with its own secret: drop --secret', EXIT.usage)
  if (options.eventType && !options.create) throw new CliError('--event-type goes with --create', EXIT.usage)
  const client = options.create ? clientFromEnv() : undefined
  let secret = options.create ? '' : (options.secret ?? process.env.CREDPORT_WEBHOOK_SECRET ?? '')
  if (!client) {
    if (!secret) throw new CliError('give --secret whsec_… (or CREDPORT_WEBHOOK_SECRET), or --create', EXIT.usage)
    if (!SECRET_PATTERN.test(secret)) throw new CliError('the secret is not whsec_ followed by base64', EXIT.usage)
  }

  const seen = new Set<string>()
  let verifiedCount = 0
  let stop: () => Promise<void> = async () => {}

  const server = http.createServer(async (request, response) => {
    const answer = (statusCode: number, reason?: string, headers: Record<string, string> = {}) => {
      response.writeHead(statusCode, reason ? { 'content-type': 'text/plain; charset=utf-8', ...headers } : headers)
      response.end(reason ? `${reason}\n` : undefined)
    }
    const pathname = new URL(request.url ?? '/', 'http://receiver').pathname
    if (pathname !== options.path) return answer(404, `this receiver takes POST ${options.path}`)
    if (request.method !== 'POST') return answer(405, 'POST only', { allow: 'POST' })
    const body = await readBody(request).catch(() => undefined)
    if (!body) return answer(413, 'body too large')
    let outcome: Outcome
    try {
      const event = await verifyWebhook<ReceivedEvent>(request.headers, body, secret)
      const webhookId = String(request.headers['webhook-id'])
      outcome = { verified: true, webhookId, event, duplicate: seen.has(webhookId) }
      seen.add(webhookId)
    } catch (error) {
      if (error instanceof CredportWebhookError) {
        outcome = { verified: false, statusCode: error.reason === 'missing_headers' ? 400 : 401, reason: error.reason }
      } else outcome = { verified: false, statusCode: 400, reason: 'body_not_json' }
    }
    if (outcome.verified) answer(204)
    else answer(outcome.statusCode, outcome.reason)
    printOutcome(outcome, json)
    if (outcome.verified && options.exitAfter && ++verifiedCount >= options.exitAfter) void stop()
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CliError(`cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`, EXIT.listen),
      ),
    )
    server.listen(options.port, options.host, resolve)
  })
  const port = (server.address() as { port: number }).port
  const base = `http://${urlHost(options.host)}:${port}`
  const url = options.path === '/' ? base : `${base}${options.path}`

  let endpoint: WebhookEndpointWithSecret | undefined
  if (client) {
    try {
      endpoint = await register(client, `${base}${options.path}`, options.eventType)
    } catch (error) {
      server.close()
      throw error
    }
    secret = endpoint.secret
  }

  const stopped = new Promise<void>((resolve) => {
    let stopping = false
    stop = async () => {
      if (stopping) return
      stopping = true
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      server.close()
      server.closeAllConnections()
      if (client && endpoint) {
        try {
          await client.webhooks.delete(endpoint.id)
          note(`endpoint ${endpoint.id} deleted`)
        } catch (error) {
          note(`credport: could not delete endpoint ${endpoint.id}: ${(error as Error).message}`)
          process.exitCode = EXIT.failed
        }
      }
      note('stopped')
      resolve()
    }
    const onSignal = () => void stop()
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })

  if (json) note(`listening on ${url}`)
  else print(`listening on ${url}`)
  if (endpoint) note(`endpoint ${endpoint.id} registered for ${endpoint.url} (deleted when this stops)`)
  else note(LOOPBACK_HINT)
  note('Ctrl-C stops.')
  await stopped
}
