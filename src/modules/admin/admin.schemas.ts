import { Type, type Static } from 'typebox'
import { ALL_SCOPES } from '../oauth/index.js'

const Timestamp = (description: string) => Type.String({ format: 'date-time', description })
const ScopeList = Type.Array(Type.String({ description: 'A scope.' }), { description: 'Scopes granted to the client.' })
const RequestedScopes = Type.Array(Type.Enum([...ALL_SCOPES], { description: `One of ${ALL_SCOPES.join(', ')}.` }), {
  description: 'Scopes to grant.',
  minItems: 1,
  maxItems: 32,
})
const Hostname = Type.String({
  description: 'A host name (no scheme, no path) whose https documents may be fetched for this partner.',
  pattern:
    '^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$',
  errorMessage: 'must be a host name such as docs.example.edu',
})

const DisplayName = Type.String({
  description: 'The name holders see, e.g. "University A" (one line).',
  minLength: 1,
  maxLength: 120,
  // No control characters, no line or paragraph separator (U+2028, U+2029), and none of the
  // bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that could
  // make the name read as another on the holder's and the verifier's pages.
  pattern: '^(?=.*\\S)[^\\p{Cc}\\u2028-\\u202E\\u2066-\\u2069]+$',
  errorMessage: 'must not be blank or hold control characters (line breaks, tabs, text-direction overrides)',
})
const SupportContact = Type.String({
  description: 'Where holders can ask the partner for help: an email address or an https URL.',
  minLength: 3,
  maxLength: 320,
})

export const ClientViewSchema = Type.Object({
  client_id: Type.String({ description: 'OAuth client id.' }),
  scopes: ScopeList,
  created_at: Timestamp('When the client was created.'),
  secret_rotated_at: Type.Union([Timestamp('When the secret was last replaced.'), Type.Null()]),
  revoked_at: Type.Union([Timestamp('When the client was revoked.'), Type.Null()]),
})
export type ClientView = Static<typeof ClientViewSchema>

/** The most bytes a logo may have. */
export const LOGO_MAX_BYTES = 256 * 1024
/** What a logo may be. */
export const LOGO_CONTENT_TYPES = ['image/png', 'image/svg+xml'] as const

export const LogoViewSchema = Type.Object(
  {
    url: Type.String({
      description:
        'Where Credport serves the logo (a path on this server; `v` changes with the logo, so it may be cached for long).',
    }),
    content_type: Type.Enum([...LOGO_CONTENT_TYPES], { description: '`image/png` or `image/svg+xml`.' }),
    bytes: Type.Integer({ description: 'Size of the logo as served (an SVG after sanitising).' }),
    sha256: Type.String({ description: 'SHA-256 of the logo as served (hex); also its ETag.' }),
    updated_at: Timestamp('When the logo was uploaded.'),
  },
  { description: 'The partner’s logo, shown to holders beside its display name.' },
)
export type LogoView = Static<typeof LogoViewSchema>

export const PartnerViewSchema = Type.Object({
  partner_id: Type.String({ format: 'uuid', description: 'Partner id.' }),
  name: Type.String({ description: 'Partner name, for the operator (holders see `display_name`).' }),
  display_name: Type.String({
    description:
      'The name holders see ("University A wants to add 10 credentials to your wallet"). For partners registered before display names existed, their `name`.',
  }),
  support_contact: Type.Union([Type.String(), Type.Null()], {
    description: 'Where holders can ask the partner for help: an email address or an https URL; null when none.',
  }),
  logo: Type.Union([LogoViewSchema, Type.Null()], { description: 'The logo; null when none was uploaded.' }),
  status: Type.String({ description: '`active` or `suspended`.' }),
  document_hosts: Type.Array(Type.String(), { description: 'Hosts documents may be fetched from.' }),
  created_at: Timestamp('When the partner was registered.'),
  clients: Type.Array(ClientViewSchema, { description: 'The partner’s OAuth clients, oldest first.' }),
})
export type PartnerView = Static<typeof PartnerViewSchema>

export const ClientCredentialsSchema = Type.Object({
  partner_id: Type.String({ description: 'Partner id.' }),
  client_id: Type.String({ description: 'OAuth client id.' }),
  client_secret: Type.String({ description: 'The client secret. Shown once: it is stored only as a hash.' }),
  scopes: ScopeList,
})
export type ClientCredentials = Static<typeof ClientCredentialsSchema>

export const CreatePartnerBodySchema = Type.Object(
  {
    name: Type.String({
      description: 'Partner name.',
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      errorMessage: 'must not be blank',
    }),
    display_name: DisplayName,
    support_contact: Type.Optional(SupportContact),
    scopes: RequestedScopes,
    document_hosts: Type.Optional(Type.Array(Hostname, { description: 'Allow-listed document hosts.', maxItems: 50 })),
  },
  { additionalProperties: false },
)

export const UpdatePartnerBodySchema = Type.Object(
  {
    display_name: Type.Optional(DisplayName),
    support_contact: Type.Optional(
      Type.Union([SupportContact, Type.Null()], { description: 'An email address or an https URL; null removes it.' }),
    ),
  },
  { additionalProperties: false, minProperties: 1, description: 'The members to change; the others stay.' },
)

export const LogoReceiptSchema = Type.Object({
  partner_id: Type.String({ format: 'uuid', description: 'Partner id.' }),
  logo: LogoViewSchema,
  removed: Type.Array(Type.String(), {
    description:
      'For an SVG: what the sanitiser removed (scripts, event handlers, external references, unknown elements…); empty when nothing was.',
  }),
})
export type LogoReceipt = Static<typeof LogoReceiptSchema>

export const CreateClientBodySchema = Type.Object(
  { scopes: Type.Optional(RequestedScopes) },
  { additionalProperties: false },
)
