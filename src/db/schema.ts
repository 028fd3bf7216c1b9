import { sql } from 'drizzle-orm'
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()

/** An organisation that submits credentials: education provider, test provider, employer… */
export const partners = pgTable('partners', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** Hosts whose https URLs Credport may fetch documents from on this partner's behalf. */
  documentHosts: text('document_hosts').array().notNull().default(sql`'{}'::text[]`),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  createdAt: createdAt(),
})

/** OAuth 2.0 confidential clients; a partner may hold several (secret rotation without downtime). */
export const oauthClients = pgTable(
  'oauth_clients',
  {
    clientId: text('client_id').primaryKey(),
    partnerId: uuid('partner_id').notNull().references(() => partners.id),
    /** scrypt hash in PHC-like form `scrypt$N$r$p$salt$hash`; the secret itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('oauth_clients_partner_idx').on(t.partnerId)],
)

/** Server-wide generated secrets (the token signing key), shared by every instance. */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
})
