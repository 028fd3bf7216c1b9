import { Type, type Static, type TObject, type TSchema } from 'typebox'
import { nonBlank, nullable, PartnerChainSchema, strictObject } from '../credential-types/index.js'
import { credentialTypes } from '../credential-types/index.js'

/**
 * Body schemas of the intake endpoints (spec §3, §5): each route validates its body with the
 * schema its OpenAPI document shows, the credential type's fields schema plugged in, then with
 * the rules of intake-rules.ts. The client SDK checks bodies with the same schemas and rules, so
 * nothing here may import Node-only code (or anything beyond TypeBox and credential-types). Only the legacy v1 batch, whose items name their type inside,
 * has `AnyFields` in the document; its rules check each item's fields by its type.
 */

const ID_MAX = 255
const partnerId = (description: string) => nonBlank(description, ID_MAX)
const AnyFields = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  description: 'The credential type’s fields (spec §4).',
})

/** An `https:` URL, a `data:` URL, or null (v2 `asset_data`). */
const AssetData = nullable(
  Type.String({
    description:
      'The document as an https URL to fetch or a data: URL, instead of uploading it: such an asset gets no entry in asset_uploads.',
    maxLength: 30_000_000,
  }),
)

export const V2AssetSchema = strictObject(
  {
    asset_id: partnerId('Your id for this document, unique within the submission.'),
    asset_type: Type.String({
      description: 'pdf, png, jpg or open_cert; which ones a type accepts is in spec §4.',
      maxLength: 20,
    }),
    asset_data: Type.Optional(AssetData),
  },
  'A document attached to the credential. Upload its bytes to the link returned in asset_uploads (unless asset_data carries them).',
)

/** A v2 item (single add, and every item of a v2 batch), with `fields` of the given schema. */
export function v2ItemSchema<F extends TSchema>(fields: F) {
  return strictObject(
    {
      credential_id: partnerId('Your unique id for this credential.'),
      fields,
      assets: Type.Optional(
        nullable(Type.Array(V2AssetSchema, { description: 'Documents of this credential.', maxItems: 100 })),
      ),
      partner_chain: Type.Optional(PartnerChainSchema),
    },
    'One credential (v2 envelope, spec §3.2).',
  )
}

/** The v1 single-add envelope (spec §3.1). */
export function v1SingleSchema<F extends TSchema>(fields: F) {
  return strictObject(
    {
      id: partnerId('Your unique id for this submission (advice: "<PREFIX>-<UUID>").'),
      credential_type: Type.String({ description: 'Must equal the credential type of the path.', maxLength: 64 }),
      document_type: Type.String({
        description: 'Kind of document sent in data.document; allowed values per type in spec §4.',
        maxLength: 64,
      }),
      data: strictObject(
        {
          credential: fields,
          document: Type.Optional(
            nullable(
              Type.String({
                description: 'An https URL of a PDF/PNG/JPG, OpenCerts JSON as a string, or null.',
                maxLength: 30_000_000,
              }),
            ),
          ),
          partner_chain: Type.Optional(PartnerChainSchema),
        },
        'The credential and its document.',
      ),
    },
    'Add one credential (v1 envelope).',
  )
}

/** The legacy v1 batch (spec §5.2): items carry no documents. */
export const V1BatchSchema = strictObject(
  {
    id: partnerId('Your unique id for this batch.'),
    credentials: Type.Array(
      strictObject(
        {
          id: partnerId('Your unique id for this credential.'),
          credential_type: Type.String({ description: 'One of the v1 credential types.', maxLength: 64 }),
          data: strictObject(
            { credential: AnyFields, partner_chain: Type.Optional(PartnerChainSchema) },
            'The credential.',
          ),
        },
        'One credential of the batch.',
      ),
      { description: 'The credentials, at least one.', minItems: 1 },
    ),
  },
  'Add several credentials at once (legacy v1 batch).',
)

/** A v1 single add as validated, whatever its type. */
export type V1Single = Static<ReturnType<typeof v1SingleSchema<TObject>>>
/** A v1 batch as validated (each item's fields are checked by its type's schema in the rules). */
export type V1Batch = Static<typeof V1BatchSchema>
/** A v2 item as validated, whatever its type. */
export type V2Item = Static<ReturnType<typeof v2ItemSchema<TObject>>>
/** A v2 asset as validated. */
export type V2Asset = Static<typeof V2AssetSchema>
/**
 * A v2 batch as validated: its sections come from the credential types (each one item or an
 * array of items), so their names are not known to the compiler.
 */
export type V2Batch = { credential_id: string } & { readonly [section: string]: V2Item | V2Item[] | null | undefined }

/** The v2 batch (spec §5.1): one optional section per credential type, each item with its type's fields. */
export function v2BatchSchema() {
  const sections: Record<string, TSchema> = {}
  for (const def of credentialTypes) {
    const item = v2ItemSchema(def.fields)
    sections[def.batchSection.key] = Type.Optional(
      def.batchSection.kind === 'array'
        ? nullable(Type.Array(item, { description: `${def.title} credentials.` }))
        : Type.Unsafe({ ...item, type: ['object', 'null'], description: `One ${def.title.toLowerCase()} credential.` }),
    )
  }
  return Type.Unsafe<V2Batch>(
    strictObject(
      { credential_id: partnerId('Your unique id for the whole batch.'), ...sections },
      'Add several credentials at once, with documents uploaded afterwards (v2 batch).',
    ),
  )
}

/** The v2 batch body, one object for both of its routes (and anything that checks a batch outside HTTP). */
export const V2BatchSchema = v2BatchSchema()
