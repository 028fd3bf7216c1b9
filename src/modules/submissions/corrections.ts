import type { Static } from 'typebox'
import { notFound } from '../../errors.js'
import type { PartnerPrincipal } from '../../plugins/partner-auth.js'
import { requireScopes } from '../../plugins/partner-auth.js'
import { getCredentialType } from '../credential-types/index.js'
import type { RevocationSchema } from './corrections.schemas.js'
import { findCurrentByRefs, findCurrentItem } from './corrections.repo.js'
import { revokeByIssuer, withdrawByIssuer, type LifecycleDeps } from './lifecycle.js'
import { getStatus, type StatusDeps } from './status.js'
import { listItemsOf } from './submissions.repo.js'

/**
 * The issuer's corrections (Credport extensions of the partner API): withdrawing a submission the
 * holder has not decided, and revoking a credential they accepted. Another partner's ids are as
 * unknown as made-up ones (404); the scopes needed are those of the credential types concerned.
 */

/** The write scopes of credential types (an unknown type needs none here: it was checked at intake). */
const scopesOf = (types: Iterable<string>) => [
  ...new Set([...types].flatMap((type) => getCredentialType(type)?.scope ?? [])),
]

/**
 * The submission the partner's `id` names: its own id as sent, else — the `.json` suffix being
 * optional on v2 paths — the same id without it.
 */
async function submissionNamed(deps: LifecycleDeps, partnerId: string, id: string) {
  const bare = id.endsWith('.json') ? id.slice(0, -'.json'.length) : id
  const found = await findCurrentByRefs(deps.db, partnerId, [...new Set([id, bare])].filter(Boolean))
  const submission = found.find((s) => s.partnerRef === id) ?? found.find((s) => s.partnerRef === bare)
  if (!submission) throw notFound(`No submission with id ${JSON.stringify(bare)}`)
  return submission
}

/**
 * DELETE /api/partner/v2/add/requests/{id}: withdraws the partner's undecided submission (needs
 * the write scope of every credential type in it, as its batch did) and answers its status, as
 * the status API would (`canceled`, finalized when withdrawn). Idempotent on a canceled one.
 */
export async function withdraw(deps: LifecycleDeps & StatusDeps, principal: PartnerPrincipal, id: string) {
  const submission = await submissionNamed(deps, principal.partnerId, id)
  const items = await listItemsOf(deps.db, [submission.id])
  requireScopes(principal, scopesOf(items.map((item) => item.credentialType)))
  const { withdrawn } = await withdrawByIssuer(deps, { submissionId: submission.id })
  return { withdrawn, status: await getStatus(deps, principal.partnerId, submission.partnerRef) }
}

/**
 * POST /api/partner/v2/credentials/{credential_id}/revoke: revokes the partner's accepted
 * credential (needs its type's write scope). Idempotent: a repeat answers the first revocation.
 */
export async function revoke(
  deps: LifecycleDeps,
  principal: PartnerPrincipal,
  credentialId: string,
  reason: string,
): Promise<{ revoked: boolean; revocation: Static<typeof RevocationSchema> }> {
  const found = await findCurrentItem(deps.db, principal.partnerId, credentialId)
  if (!found) throw notFound(`No credential with id ${JSON.stringify(credentialId)}`)
  requireScopes(principal, scopesOf([found.item.credentialType]))
  const { item, revoked } = await revokeByIssuer(deps, {
    submissionId: found.submission.id,
    itemId: found.item.id,
    reason: reason.trim(),
  })
  return {
    revoked,
    revocation: {
      credential_id: item.partnerItemId,
      request_id: found.submission.id,
      status: 'revoked',
      revoked_at: item.revokedAt!.toISOString(),
      reason: item.revokeReason ?? '',
    },
  }
}
