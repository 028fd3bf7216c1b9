import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import type { LogoReceipt, PartnerView } from '../modules/admin/index.js'
import { type AdminConnection, callAdmin } from './admin-client.js'

/** Media types of logo files, by extension. */
const LOGO_TYPES: Record<string, string> = { '.png': 'image/png', '.svg': 'image/svg+xml' }

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`)
}

/** What holders see of a partner, as `partners list` and `partners update` print it. */
export function describeIssuer(p: PartnerView): string[] {
  const lines = [`  shown to holders as: ${p.display_name}`]
  if (p.support_contact) lines.push(`  support contact: ${p.support_contact}`)
  if (p.logo) lines.push(`  logo: ${p.logo.content_type}, ${p.logo.bytes} bytes, ${p.logo.url}`)
  return lines
}

/**
 * `partners update` (display name, support contact) and `partners logo set|remove`: what holders
 * see of a partner before they sign in.
 */
export function addIssuerCommands(partners: Command, connection: () => AdminConnection): void {
  partners
    .command('update')
    .description('change what holders see of a partner: its display name and support contact')
    .argument('<partner_id>')
    .option('--display-name <name>', 'the name holders see, e.g. "University A"')
    .option('--support-contact <contact>', 'where holders ask for help: an email address or an https URL')
    .option('--remove-support-contact', 'remove the support contact')
    .option('--json', 'print JSON')
    .action(
      async (
        partnerId: string,
        options: { displayName?: string; supportContact?: string; removeSupportContact?: boolean; json?: boolean },
      ) => {
        const body = {
          ...(options.displayName !== undefined ? { display_name: options.displayName } : {}),
          ...(options.supportContact !== undefined ? { support_contact: options.supportContact } : {}),
          ...(options.removeSupportContact ? { support_contact: null } : {}),
        }
        if (Object.keys(body).length === 0)
          throw new Error('Nothing to change: pass --display-name, --support-contact or --remove-support-contact')
        const updated = await callAdmin<PartnerView>(
          connection(),
          'PATCH',
          `/api/admin/partners/${encodeURIComponent(partnerId)}`,
          body,
        )
        if (options.json) return print(JSON.stringify(updated))
        print(`${updated.name}  (${updated.partner_id})`)
        for (const line of describeIssuer(updated)) print(line)
      },
    )

  const logo = partners.command('logo').description("manage a partner's logo (PNG or SVG, at most 256 KB)")

  logo
    .command('set')
    .description('upload a PNG or SVG file as the partner’s logo (an SVG is sanitised; what was removed is listed)')
    .argument('<partner_id>')
    .argument('<file>', 'a .png or .svg file')
    .option('--json', 'print JSON')
    .action(async (partnerId: string, file: string, options: { json?: boolean }) => {
      const type = LOGO_TYPES[path.extname(file).toLowerCase()]
      if (!type) throw new Error(`${file}: a logo is a .png or .svg file`)
      const bytes = fs.readFileSync(file)
      const receipt = await callAdmin<LogoReceipt>(
        connection(),
        'PUT',
        `/api/admin/partners/${encodeURIComponent(partnerId)}/logo`,
        bytes,
        type,
      )
      if (options.json) return print(JSON.stringify(receipt))
      print(`logo: ${receipt.logo.content_type}, ${receipt.logo.bytes} bytes, served at ${receipt.logo.url}`)
      if (receipt.removed.length > 0) {
        process.stderr.write('The SVG was sanitised; removed:\n')
        for (const item of receipt.removed) process.stderr.write(`  ${item}\n`)
      }
    })

  logo
    .command('remove')
    .description('remove the partner’s logo')
    .argument('<partner_id>')
    .action(async (partnerId: string) => {
      await callAdmin(connection(), 'DELETE', `/api/admin/partners/${encodeURIComponent(partnerId)}/logo`)
      print('logo removed')
    })
}
