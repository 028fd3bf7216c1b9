import { Type } from 'typebox'
import { ASSET_STATES, ITEM_STATUSES } from '../../db/states.js'

const Timestamp = (description: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description })

export const AssetStatusSchema = Type.Object({
  asset_id: Type.String({ description: 'Your asset_id (`document` for a v1 document).' }),
  asset_type: Type.String({ description: 'pdf, png, jpg or open_cert.' }),
  state: Type.Enum([...ASSET_STATES], {
    description:
      'awaiting_upload, awaiting_fetch, received, verified, rejected (see reason) or missing (never arrived).',
  }),
  reason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why the document was rejected (e.g. not_wrapped, integrity_failed, host_not_allowed).',
  }),
  bytes: Type.Union([Type.Integer(), Type.Null()], { description: 'Size of the received document.' }),
  sha256: Type.Union([Type.String(), Type.Null()], { description: 'Hex SHA-256 of the received document.' }),
  received_at: Timestamp('When the document arrived.'),
  verification: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), { description: 'OpenCerts verification details.' }),
  ),
})

export const StatusSchema = Type.Object({
  id: Type.String({ description: 'The id you asked about.' }),
  status: Type.Enum(['incomplete', 'verified', 'canceled'], {
    description: 'incomplete (waiting for the holder), verified (accepted) or canceled (declined or expired).',
  }),
  finalized_at: Timestamp('When it became verified or canceled; null while incomplete.'),
  request_id: Type.String({ description: 'Credport’s request id (the `content` of the redirect link).' }),
  created_at: Type.String({ format: 'date-time', description: 'When the submission was accepted.' }),
  expires_at: Type.String({
    format: 'date-time',
    description: 'When an incomplete submission expires (and its id may be used again).',
  }),
  opened_at: Timestamp('When the holder first opened the link.'),
  items: Type.Array(
    Type.Object({
      id: Type.String({ description: 'Your id of the credential.' }),
      credential_type: Type.String({ description: 'Its credential type.' }),
      status: Type.Enum([...ITEM_STATUSES], {
        description:
          'incomplete (waiting for the holder), accepted or declined (the holder decides each credential of a batch), revoked (by you, after acceptance), canceled (expired or withdrawn undecided).',
      }),
      assets: Type.Array(AssetStatusSchema, { description: 'Its documents.' }),
    }),
    { description: 'Per-credential detail (Credport extension).' },
  ),
})

export const NotFoundStatusSchema = Type.Object({
  id: Type.String({ description: 'The id you asked about.' }),
  status: Type.Literal('not_found', { description: 'No submission of yours has this id.' }),
  finalized_at: Type.Null({ description: 'Always null.' }),
})

export const BulkStatusBodySchema = Type.Object(
  {
    ids: Type.Array(
      Type.String({ minLength: 1, maxLength: 255, description: 'A submission id (v1 `id` or v2 `credential_id`).' }),
      {
        minItems: 1,
        maxItems: 30,
        description: '1 to 30 ids.',
      },
    ),
  },
  { additionalProperties: false },
)

export const BulkStatusResponseSchema = Type.Object({
  credentials: Type.Array(Type.Union([StatusSchema, NotFoundStatusSchema]), {
    description: 'One entry per id, in the order asked.',
  }),
})
