import type { Deps } from '../../deps.js'
import { ALL_SCOPES } from '../oauth/scopes.js'
import type { ClientCredentials } from './admin.schemas.js'
import { countPartners } from './partners.repo.js'
import { createPartner } from './partners.service.js'

/**
 * On the embedded default, a first start with no partner creates a "Demo Partner" holding every
 * scope, so that the quick start works with no setup. Returns its credentials (shown once), or null.
 */
export async function ensureDemoPartner(deps: Deps): Promise<ClientCredentials | null> {
  if (deps.database.kind !== 'pglite') return null
  if ((await countPartners(deps.db)) > 0) return null
  return createPartner(deps, { name: 'Demo Partner', scopes: [...ALL_SCOPES] })
}

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
