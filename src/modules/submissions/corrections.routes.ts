import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../deps.js'
import { principalOf } from '../../plugins/partner-auth.js'
import { ALL_SCOPES } from '../oauth/index.js'
import { revoke, withdraw } from './corrections.js'
import { RevocationSchema, RevokeBodySchema } from './corrections.schemas.js'
import { StatusSchema } from './status.schemas.js'

const WRITE_SCOPES = ALL_SCOPES.filter((scope) => scope.startsWith('write.'))
const CORRECTIONS = ['Corrections (Credport extension)']

/**
 * The issuer's corrections (Credport extensions, spec-compatible paths under v2): withdraw an
 * undecided submission, revoke an accepted credential. A token needs a write scope to be heard at
 * all; which ones exactly depends on the credentials concerned (checked once they are found).
 */
export async function correctionRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  // One route: the `.json` suffix, optional on v2 paths, arrives in `:id` and is taken off there.
  app.delete(
    '/api/partner/v2/add/requests/:id',
    {
      config: {
        partnerAuth: {
          anyOf: WRITE_SCOPES,
          fromBody: 'the write.* scope of every credential type in the submission (as its batch needed)',
        },
        problems: ['not_found', 'conflict'],
      },
      schema: {
        tags: CORRECTIONS,
        summary: 'Withdraw a submission the holder has not decided',
        description: [
          'Takes back a submission sent by mistake, before the holder decided: it becomes `canceled` (finalized now), its credentials and documents are deleted, the holder’s link says it was withdrawn by the issuer, and a `submission.withdrawn` event is sent. The answer is its status, as `GET /api/partner/v1/submissions/{id}/status.json` answers it.',
          '`{id}` is your id of the submission (v1 `id`, v2 `credential_id` of a single add or of a batch); `.json` after it is optional.',
          '**Idempotent:** a submission already canceled — withdrawn before, declined by the holder, or expired — is left as it is and its status answered (200, no event). **After the holder accepted** it is a 409: the credentials are theirs; revoke them one by one (`POST /api/partner/v2/credentials/{credential_id}/revoke`).',
        ].join('\n\n'),
        params: Type.Object({
          id: Type.String({
            minLength: 1,
            maxLength: 260,
            description: 'Your id of the submission (optionally followed by `.json`).',
          }),
        }),
        response: { 200: StatusSchema },
      },
    },
    async (request) => {
      const { withdrawn, status } = await withdraw(deps, principalOf(request), request.params.id)
      request.log.info(
        { request_id_of_submission: status.request_id, partner_id: principalOf(request).partnerId, withdrawn },
        withdrawn ? 'submission withdrawn by its issuer' : 'withdrawal repeated: nothing changed',
      )
      return status
    },
  )

  for (const [url, hide] of [
    ['/api/partner/v2/credentials/:credential_id/revoke', false],
    ['/api/partner/v2/credentials/:credential_id/revoke.json', true],
  ] as const) {
    app.post(
      url,
      {
        config: {
          partnerAuth: { anyOf: WRITE_SCOPES, fromBody: 'the write.* scope of the credential’s type' },
          problems: ['not_found', 'conflict'],
        },
        schema: {
          hide,
          tags: CORRECTIONS,
          summary: 'Revoke a credential the holder accepted',
          description: [
            'Revokes a credential in a holder’s wallet (a degree rescinded, a licence withdrawn): it stays in the wallet, marked revoked with your reason and the date, and every share page and signed JSON that includes it says “revoked by the issuer on …”. The status API then reports the item `revoked`, and a `credential.revoked` event is sent.',
            '**Idempotent:** revoking it again answers the first revocation (its date and reason) and changes nothing. A credential the holder has not accepted (still undecided, declined, or its submission expired or withdrawn) is a 409: withdraw an undecided submission instead.',
          ].join('\n\n'),
          params: Type.Object({
            credential_id: Type.String({
              minLength: 1,
              maxLength: 255,
              description: 'Your id of the credential (v2 `credential_id`, v1 batch item `id`).',
            }),
          }),
          body: RevokeBodySchema,
          response: { 200: RevocationSchema },
        },
      },
      async (request) => {
        const { revoked, revocation } = await revoke(
          deps,
          principalOf(request),
          request.params.credential_id,
          request.body.reason,
        )
        request.log.info(
          { request_id_of_submission: revocation.request_id, partner_id: principalOf(request).partnerId, revoked },
          revoked ? 'credential revoked by its issuer' : 'revocation repeated: nothing changed',
        )
        return revocation
      },
    )
  }
}
