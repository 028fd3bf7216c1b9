import type { Command } from 'commander'
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointInput, WebhookEventType } from '../client/types.js'
import { CliError, clientFromEnv, EXIT, print, printJson } from './partner-commands.js'
import { shortDuration, shortTime, table } from './table.js'
import { listenForWebhooks } from './webhook-listener.js'

/**
 * `credport webhooks …`: the partner's webhook endpoints and their delivery logs through the SDK's
 * `client.webhooks`, and `listen`, a local receiver (webhook-listener.ts).
 */

const collect = (value: string, previous: string[] = []) => [...previous, value]

function count(name: string, min: number) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < min)
      throw new CliError(`${name} takes a whole number ≥ ${min}`, EXIT.usage)
    return Number(text)
  }
}

function describeEndpoint(endpoint: WebhookEndpoint & { secret?: string }): void {
  const state = endpoint.enabled ? 'yes' : `no${endpoint.disabled_reason ? ` (${endpoint.disabled_reason})` : ''}`
  const lines: Array<[string, string | null]> = [
    ['id', endpoint.id],
    ['url', endpoint.url],
    ['name', endpoint.name],
    ['description', endpoint.description],
    ['event types', endpoint.event_types ? endpoint.event_types.join(' ') : 'all'],
    ['enabled', state],
    ['created', shortTime(endpoint.created_at)],
    ['updated', shortTime(endpoint.updated_at)],
  ]
  if (endpoint.secret) lines.push(['secret', endpoint.secret])
  for (const [label, value] of lines) if (value !== null) print(`${`${label}:`.padEnd(13)}${value}`)
}

function deliveryRows(deliveries: WebhookDelivery[]): string[] {
  return table(
    ['TIME', 'EVENT', 'ATTEMPT', 'STATUS', 'CODE', 'DURATION', 'NEXT ATTEMPT', 'DELIVERY ID'],
    deliveries.map((d) => [
      shortTime(d.last_attempt_at ?? d.created_at),
      d.event_type,
      String(d.attempts),
      d.status,
      d.last_status_code === null ? (d.last_error ?? '-') : String(d.last_status_code),
      shortDuration(d.last_duration_ms),
      shortTime(d.next_attempt_at),
      d.id,
    ]),
  )
}

/** Adds `credport webhooks …` to the program. */
export function addWebhookCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('manage webhook endpoints, read their delivery logs, or receive events locally (listen)')

  webhooks
    .command('create')
    .description('register an endpoint; prints its signing secret, shown this once only')
    .argument('<url>', 'https URL that receives the events (http to loopback only with OUTBOUND_ALLOW_PRIVATE=true)')
    .option('--name <name>', 'a name of your choice')
    .option('--description <text>', 'a description of your choice')
    .option('--event-type <type>', 'only this event type (repeatable; default every event)', collect)
    .option('--json', 'print the endpoint with its secret as one JSON object')
    .action(
      async (url: string, options: { name?: string; description?: string; eventType?: string[]; json?: boolean }) => {
        const input: WebhookEndpointInput = { url }
        if (options.name !== undefined) input.name = options.name
        if (options.description !== undefined) input.description = options.description
        if (options.eventType) input.event_types = options.eventType as WebhookEventType[]
        const created = await clientFromEnv().webhooks.create(input)
        if (options.json) return printJson(created)
        describeEndpoint(created)
        print()
        print('Store the secret now: it is shown only at creation (and by `credport webhooks rotate`), never again.')
      },
    )

  webhooks
    .command('list')
    .description('list your endpoints (never their secrets)')
    .option('--json', 'print one JSON object per endpoint')
    .action(async (options: { json?: boolean }) => {
      const all = await clientFromEnv().webhooks.list()
      if (options.json) {
        for (const endpoint of all) printJson(endpoint)
        return
      }
      if (all.length === 0) return print('No webhook endpoints yet. Create one with: credport webhooks create <url>')
      const rows = all.map((e) => [
        e.id,
        e.enabled ? 'yes' : `no (${e.disabled_reason ?? 'partner'})`,
        e.event_types ? e.event_types.join(',') : 'all',
        e.name ?? '-',
        e.url,
      ])
      for (const line of table(['ID', 'ENABLED', 'EVENTS', 'NAME', 'URL'], rows)) print(line)
    })

  webhooks
    .command('get')
    .description('show one endpoint')
    .argument('<id>', 'endpoint id')
    .option('--json', 'print it as one JSON object')
    .action(async (id: string, options: { json?: boolean }) => {
      const endpoint = await clientFromEnv().webhooks.get(id)
      if (options.json) printJson(endpoint)
      else describeEndpoint(endpoint)
    })

  webhooks
    .command('update')
    .description('change an endpoint; --enable turns one back on (also one disabled after a 410)')
    .argument('<id>', 'endpoint id')
    .option('--endpoint-url <url>', 'the new URL (--url names the server, not the endpoint)')
    .option('--name <name>', 'the new name')
    .option('--description <text>', 'the new description')
    .option('--event-type <type>', 'only this event type (repeatable; replaces the list)', collect)
    .option('--all-events', 'every event type (clears the list)')
    .option('--enable', 'turn the endpoint on')
    .option('--disable', 'turn the endpoint off (events meanwhile are not queued for it)')
    .option('--json', 'print the endpoint as one JSON object')
    .action(
      async (
        id: string,
        options: {
          endpointUrl?: string
          name?: string
          description?: string
          eventType?: string[]
          allEvents?: boolean
          enable?: boolean
          disable?: boolean
          json?: boolean
        },
      ) => {
        if (options.enable && options.disable) throw new CliError('--enable or --disable, not both', EXIT.usage)
        if (options.eventType && options.allEvents)
          throw new CliError('--event-type or --all-events, not both', EXIT.usage)
        const changes: Partial<WebhookEndpointInput> = {}
        if (options.endpointUrl !== undefined) changes.url = options.endpointUrl
        if (options.name !== undefined) changes.name = options.name
        if (options.description !== undefined) changes.description = options.description
        if (options.eventType) changes.event_types = options.eventType as WebhookEventType[]
        if (options.allEvents) changes.event_types = null
        if (options.enable) changes.enabled = true
        if (options.disable) changes.enabled = false
        if (Object.keys(changes).length === 0) {
          throw new CliError(
            'nothing to change: give --endpoint-url, --name, --description, --event-type, --all-events, --enable or --disable',
            EXIT.usage,
          )
        }
        const updated = await clientFromEnv().webhooks.update(id, changes)
        if (options.json) printJson(updated)
        else describeEndpoint(updated)
      },
    )

  webhooks
    .command('rotate')
    .description('give an endpoint a new secret (printed once); the old one keeps signing beside it for 24 hours')
    .argument('<id>', 'endpoint id')
    .option('--json', 'print the endpoint with its new secret as one JSON object')
    .action(async (id: string, options: { json?: boolean }) => {
      const rotated = await clientFromEnv().webhooks.rotateSecret(id)
      if (options.json) return printJson(rotated)
      print(`id:          ${rotated.id}`)
      print(`secret:      ${rotated.secret}`)
      print()
      print('Store the secret now: it is not shown again. For 24 hours each request carries two signatures,')
      print('one per secret, so switch your receiver to the new one within that time.')
    })

  webhooks
    .command('delete')
    .description('delete an endpoint and its delivery log')
    .argument('<id>', 'endpoint id')
    .option('--json', 'print {id, deleted: true}')
    .action(async (id: string, options: { json?: boolean }) => {
      await clientFromEnv().webhooks.delete(id)
      if (options.json) printJson({ id, deleted: true })
      else print(`deleted ${id}`)
    })

  webhooks
    .command('deliveries')
    .description("an endpoint's delivery log, newest first (kept 30 days)")
    .argument('<id>', 'endpoint id')
    .option('--limit <n>', 'deliveries per page (1-100)', count('--limit', 1), 20)
    .option('--offset <n>', 'skip this many (the next page)', count('--offset', 0), 0)
    .option('--json', 'print one JSON object per delivery (with its attempt log)')
    .action(async (id: string, options: { limit: number; offset: number; json?: boolean }) => {
      const page = await clientFromEnv().webhooks.deliveries(id, { limit: options.limit, offset: options.offset })
      if (options.json) for (const delivery of page.deliveries) printJson(delivery)
      else if (page.deliveries.length === 0) print(options.offset > 0 ? 'No more deliveries.' : 'No deliveries yet.')
      else for (const line of deliveryRows(page.deliveries)) print(line)
      if (page.next_offset !== null) process.stderr.write(`more: --offset ${page.next_offset}\n`)
    })

  webhooks
    .command('retry')
    .description('send a delivered or failed delivery again now (a pending one is refused: exit 4)')
    .argument('<id>', 'endpoint id')
    .argument('<delivery_id>', 'delivery id (the DELIVERY ID column of `deliveries`)')
    .option('--json', 'print the delivery as one JSON object')
    .action(async (id: string, deliveryId: string, options: { json?: boolean }) => {
      const delivery = await clientFromEnv().webhooks.retry(id, deliveryId)
      if (options.json) printJson(delivery)
      else
        print(
          `${delivery.id}  ${delivery.event_type}  ${delivery.status}, next attempt ${shortTime(delivery.next_attempt_at)}`,
        )
    })

  webhooks
    .command('listen')
    .description('receive webhooks locally: verify each request, print each event (for trying an integration)')
    .requiredOption('--port <port>', 'TCP port (0: any free port)', count('--port', 0))
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--path <path>', 'path that takes the requests', '/')
    .option('--secret <whsec>', "the endpoint's signing secret (default CREDPORT_WEBHOOK_SECRET)")
    .option('--create', 'register this receiver as an endpoint (with its own secret) and delete it on exit')
    .option('--event-type <type>', 'with --create: only this event type (repeatable)', collect)
    .option('--exit-after <n>', 'stop after n verified events', count('--exit-after', 1))
    .option('--json', 'print one JSON object per request received')
    .addHelpText(
      'after',
      '\nThe server delivers to a loopback or private address only when it runs with OUTBOUND_ALLOW_PRIVATE=true\n(development only).',
    )
    .action(listenForWebhooks)
}
