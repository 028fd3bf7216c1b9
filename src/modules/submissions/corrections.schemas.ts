import { Type } from 'typebox'

/**
 * Wire schemas of the issuer's corrections (Credport extensions): withdrawing an undecided
 * submission answers its status (status.schemas.ts); revoking an accepted credential takes a
 * reason and answers the revocation.
 */

/** Plain text: no control characters but tab and line breaks, and something besides spaces. */
const PLAIN_TEXT = '^(?=[\\s\\S]*\\S)[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$'

export const RevokeBodySchema = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      pattern: PLAIN_TEXT,
      description:
        'Why you revoke it, in plain text (1 to 500 characters): the holder reads it in their wallet, and so does anyone they shared the credential with. Write it for them; put no personal data in it.',
    }),
  },
  { additionalProperties: false },
)

export const RevocationSchema = Type.Object({
  credential_id: Type.String({ description: 'Your id of the credential.' }),
  request_id: Type.String({ description: 'Credport’s request id of its submission.' }),
  status: Type.Literal('revoked', { description: 'Its status as the status API reports it now.' }),
  revoked_at: Type.String({
    format: 'date-time',
    description: 'When it was revoked: the first revocation’s time, however often you call.',
  }),
  reason: Type.String({ description: 'The reason given by the first revocation (a later call does not change it).' }),
})
