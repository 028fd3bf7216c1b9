import fs from 'node:fs'
import path from 'node:path'
import type { Deps } from '../../deps.js'
import { ALL_SCOPES } from '../oauth/index.js'
import type { ClientCredentials } from './admin.schemas.js'
import { countPartners } from './partners.repo.js'
import { uploadLogo } from './partner-logo.js'
import { createPartner } from './partners.service.js'

/**
 * On the embedded default, a first start with no partner creates a "Demo Partner" holding every
 * scope, so that the quick start works with no setup. Returns its credentials (shown once), or null.
 */
export async function ensureDemoPartner(deps: Deps): Promise<ClientCredentials | null> {
  if (deps.database.kind !== 'pglite') return null
  if ((await countPartners(deps.db)) > 0) return null
  const credentials = await createPartner(deps, {
    name: 'Demo Partner',
    displayName: DEMO_DISPLAY_NAME,
    scopes: [...ALL_SCOPES],
  })
  await uploadLogo(deps, credentials.partner_id, 'image/svg+xml', Buffer.from(DEMO_LOGO_SVG, 'utf8'))
  return credentials
}

/** What holders see of the demo partner: a made-up university, with a built-in logo. */
export const DEMO_DISPLAY_NAME = 'Demo University'
const DEMO_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="${DEMO_DISPLAY_NAME}">
<title>${DEMO_DISPLAY_NAME}</title>
<rect width="64" height="64" rx="14" fill="#1d4e89"/>
<path d="M32 13 8 25l24 12 20-10v14h4V25z" fill="#ffffff"/>
<path d="M18 34v9c0 4 6.3 8 14 8s14-4 14-8v-9l-14 7z" fill="#f2b134"/>
</svg>`

/** The text printed once for the demo partner: its credentials and a curl command that works as printed. */
export function demoPartnerBanner(credentials: ClientCredentials, publicUrl: string): string {
  return [
    '',
    'Demo partner created (shown once: the secret is stored only as a hash)',
    `  client_id:     ${credentials.client_id}`,
    `  client_secret: ${credentials.client_secret}`,
    '',
    'Get an access token:',
    `  curl -s ${publicUrl}/api/partner/v1/oauth/token.json \\`,
    `    -d grant_type=client_credentials -d client_id=${credentials.client_id} -d client_secret=${credentials.client_secret}`,
    '',
  ].join('\n')
}

/** Where the demo client's credentials are written when standard output is no terminal. */
export const DEMO_CLIENT_FILE = 'demo-client.txt'

/**
 * Hands the demo client's secret to the person starting the server, and to no log: on a terminal
 * the banner itself is the text to print; otherwise (a pipe, a file, a log collector, which keep
 * what they carry) the banner goes into `DATA_DIR/demo-client.txt` (mode 0600, replacing any older
 * one) and the text to print only names that file. Returns the text for standard output.
 */
export function deliverDemoCredentials(
  credentials: ClientCredentials,
  options: { publicUrl: string; dataDir: string; terminal: boolean },
): string {
  const banner = demoPartnerBanner(credentials, options.publicUrl)
  if (options.terminal) return `${banner}\n`
  const file = path.join(options.dataDir, DEMO_CLIENT_FILE)
  fs.rmSync(file, { force: true })
  const note =
    'This file is the only copy of the secret: store the secret where your partner client keeps it, then delete this file.'
  fs.writeFileSync(file, `${banner.trimStart()}\n${note}\n`, { mode: 0o600, flag: 'wx' })
  return `Demo partner created: its client id and secret are in ${file} (readable by this user only; standard output is no terminal, so the secret is not printed)\n`
}
