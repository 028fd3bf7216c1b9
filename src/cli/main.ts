#!/usr/bin/env node
import { Command, Option } from 'commander'
import type { ClientCredentials, ClientView, PartnerView } from '../modules/admin/index.js'
import { VERSION } from '../version.js'
import { CredportAuthError, CredportProblemError } from '../client/errors.js'
import { AdminApiError, callAdmin, resolveConnection } from './admin-client.js'
import { addCorrectionCommands } from './correction-commands.js'
import { addBlobCommands } from './blob-commands.js'
import { addIssuerCommands, describeIssuer } from './issuer-commands.js'
import { addPartnerCommands, exitCodeOf } from './partner-commands.js'
import { addWebhookCommands } from './webhook-commands.js'

// A reader that went away (`credport webhooks list | head -1`) is no error: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

interface GlobalOptions {
  url?: string
  token?: string
}

const program = new Command()
  .name('credport')
  .description(
    'Administer a running Credport server (partners, clients: admin token) and use it as a partner ' +
      '(token, submit, status, wait, withdraw, revoke, webhooks: CREDPORT_CLIENT_ID and CREDPORT_CLIENT_SECRET).',
  )
  .version(VERSION)
  .addOption(new Option('--url <url>', 'server base URL').env('CREDPORT_URL'))
  .addOption(new Option('--token <token>', 'admin token (default: DATA_DIR/admin-token)').env('CREDPORT_ADMIN_TOKEN'))
  .showHelpAfterError()
  // A command line commander cannot parse (an unknown command or option, a missing argument) is a
  // usage error: exit code 2, as the README's table says, not commander's 1. Inherited by every
  // subcommand added below; --help and --version still exit 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))

const connection = () => resolveConnection(program.opts<GlobalOptions>())
const splitScopes = (text: string) => text.split(/[\s,]+/).filter(Boolean)
const collect = (value: string, previous: string[] = []) => [...previous, value]
const print = (line = ''): void => {
  process.stdout.write(`${line}\n`)
}

function printCredentials(created: ClientCredentials, json: boolean): void {
  if (json) {
    print(JSON.stringify(created))
    return
  }
  print(`partner_id:    ${created.partner_id}`)
  print(`client_id:     ${created.client_id}`)
  print(`client_secret: ${created.client_secret}`)
  print(`scopes:        ${created.scopes.join(' ')}`)
  print()
  print('Store the secret now: it is kept only as a hash and cannot be shown again.')
}

const partners = program.command('partners').description('manage partners')
type CreateOptions = {
  name: string
  displayName: string
  supportContact?: string
  scopes: string
  documentHost?: string[]
  json?: boolean
}

partners
  .command('create')
  .description('register a partner and create its first OAuth client')
  .requiredOption('--name <name>', 'partner name, for the operator')
  .requiredOption('--display-name <name>', 'the name holders see, e.g. "University A"')
  .requiredOption('--scopes <scopes>', 'space-separated scopes, e.g. "write.education read.submissions"')
  .option('--support-contact <contact>', 'where holders ask for help: an email address or an https URL')
  .option('--document-host <host>', 'host allowed for document URLs (repeatable)', collect)
  .option('--json', 'print one JSON object {partner_id, client_id, client_secret, scopes}')
  .action(async (options: CreateOptions) => {
    const created = await callAdmin<ClientCredentials>(connection(), 'POST', '/api/admin/partners', {
      name: options.name,
      display_name: options.displayName,
      ...(options.supportContact ? { support_contact: options.supportContact } : {}),
      scopes: splitScopes(options.scopes),
      ...(options.documentHost ? { document_hosts: options.documentHost } : {}),
    })
    printCredentials(created, Boolean(options.json))
  })

partners
  .command('list')
  .description('list partners and their clients')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const all = await callAdmin<PartnerView[]>(connection(), 'GET', '/api/admin/partners')
    if (options.json) return print(JSON.stringify(all, null, 2))
    if (all.length === 0)
      return print('No partners yet. Create one with: credport partners create --name … --display-name … --scopes …')
    for (const p of all) {
      print(`${p.name}  (${p.partner_id}, ${p.status})`)
      for (const line of describeIssuer(p)) print(line)
      if (p.document_hosts.length > 0) print(`  document hosts: ${p.document_hosts.join(', ')}`)
      for (const c of p.clients) {
        const state = c.revoked_at ? `revoked ${c.revoked_at}` : 'active'
        print(`  client ${c.client_id}  ${state}  scopes: ${c.scopes.join(' ')}`)
      }
    }
  })

addIssuerCommands(partners, connection)

const clients = program.command('clients').description('manage OAuth clients')

clients
  .command('create')
  .description('add a client to a partner (for secret rotation without downtime)')
  .requiredOption('--partner <partner_id>', 'the partner id')
  .option('--scopes <scopes>', "space-separated scopes (default: the partner's current scopes)")
  .option('--json', 'print JSON')
  .action(async (options: { partner: string; scopes?: string; json?: boolean }) => {
    const created = await callAdmin<ClientCredentials>(
      connection(),
      'POST',
      `/api/admin/partners/${encodeURIComponent(options.partner)}/clients`,
      options.scopes ? { scopes: splitScopes(options.scopes) } : {},
    )
    printCredentials(created, Boolean(options.json))
  })

clients
  .command('rotate-secret')
  .description("replace a client's secret (the old one stops working at once)")
  .argument('<client_id>')
  .option('--json', 'print JSON')
  .action(async (clientId: string, options: { json?: boolean }) => {
    const rotated = await callAdmin<ClientCredentials>(
      connection(),
      'POST',
      `/api/admin/clients/${encodeURIComponent(clientId)}/rotate-secret`,
    )
    printCredentials(rotated, Boolean(options.json))
  })

clients
  .command('revoke')
  .description('revoke a client: its secret and every token issued to it stop working')
  .argument('<client_id>')
  .option('--json', 'print JSON')
  .action(async (clientId: string, options: { json?: boolean }) => {
    const revoked = await callAdmin<ClientView>(
      connection(),
      'POST',
      `/api/admin/clients/${encodeURIComponent(clientId)}/revoke`,
    )
    if (options.json) return print(JSON.stringify(revoked))
    print(`client ${revoked.client_id} revoked at ${revoked.revoked_at}`)
  })

program
  .command('keys')
  .description("the instance's share link signing keys")
  .command('rotate')
  .description('a new key signs share links from now on; the old ones stay published for 7 days')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const rotated = await callAdmin<{ kid: string; retired: string[]; retires_at: string }>(
      connection(),
      'POST',
      '/api/admin/signing-keys/rotate',
    )
    if (options.json) return print(JSON.stringify(rotated))
    print(`signing key: ${rotated.kid}`)
    for (const kid of rotated.retired) print(`retired:     ${kid} (published until ${rotated.retires_at})`)
  })

addPartnerCommands(program)
addCorrectionCommands(program)
addWebhookCommands(program)
addBlobCommands(program)

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof AdminApiError) {
    process.stderr.write(`credport: ${error.message} (HTTP ${error.status})\n`)
    for (const issue of error.problem.errors ?? [])
      process.stderr.write(`  ${issue.pointer || '/'}: ${issue.message}\n`)
    process.exit(1)
  }
  process.stderr.write(`credport: ${error instanceof Error ? error.message : String(error)}\n`)
  if (error instanceof CredportProblemError) {
    for (const issue of error.errors) process.stderr.write(`  ${issue.pointer || '/'}: ${issue.message}\n`)
  }
  if (error instanceof CredportAuthError)
    process.stderr.write('  check CREDPORT_CLIENT_ID and CREDPORT_CLIENT_SECRET\n')
  process.exit(exitCodeOf(error))
})
