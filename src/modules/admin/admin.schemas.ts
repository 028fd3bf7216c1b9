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

export const ClientViewSchema = Type.Object({
  client_id: Type.String({ description: 'OAuth client id.' }),
  scopes: ScopeList,
  created_at: Timestamp('When the client was created.'),
  secret_rotated_at: Type.Union([Timestamp('When the secret was last replaced.'), Type.Null()]),
  revoked_at: Type.Union([Timestamp('When the client was revoked.'), Type.Null()]),
})
export type ClientView = Static<typeof ClientViewSchema>

export const PartnerViewSchema = Type.Object({
  partner_id: Type.String({ format: 'uuid', description: 'Partner id.' }),
  name: Type.String({ description: 'Partner name shown to holders.' }),
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
    scopes: RequestedScopes,
    document_hosts: Type.Optional(Type.Array(Hostname, { description: 'Allow-listed document hosts.', maxItems: 50 })),
  },
  { additionalProperties: false },
)

export const CreateClientBodySchema = Type.Object(
  { scopes: Type.Optional(RequestedScopes) },
  { additionalProperties: false },
)
