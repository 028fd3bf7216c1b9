import fs from 'node:fs'
import path from 'node:path'
import type { Config } from './config.js'
import { openPglite, openPostgres, type Database, type Db } from './db/client.js'
import { systemClock, type Clock } from './lib/clock.js'
import { randomToken } from './lib/crypto.js'
import { SharedWindowLimiter } from './lib/shared-window-limiter.js'
import { WindowLimiter, type RateLimiter, type WindowRule } from './lib/window-limiter.js'
import { AccessTokenSigner, resolveSigningKey } from './modules/oauth/index.js'
import { ClientDirectory } from './modules/oauth/index.js'
import { DEFAULT_MAX_WAITING_BYTES, OpenCertVerifier } from './modules/assets/index.js'
import { UploadLinkSigner } from './modules/assets/index.js'
import { getOrCreateServerSecret } from './db/server-secrets.js'
import type { BlobStore } from './storage/blob-store.js'
import { openBlobStore } from './storage/open-blob-store.js'
import { makePrivate } from './storage/private-folder.js'
import { leftoverCutoff } from './jobs/purge-upload-leftovers.js'
import { checkWebhookSecretKey, SecretBox } from './modules/webhooks/index.js'
import { createMailer, outboxDirOf, type Mailer } from './mail/mailer.js'

/** Everything the application needs, built once; tests replace parts through `overrides`. */
export interface Deps {
  config: Config
  clock: Clock
  database: Database
  db: Db
  blobs: BlobStore
  /** Verifies OpenCerts documents in a worker thread. */
  openCerts: OpenCertVerifier
  tokens: AccessTokenSigner
  clients: ClientDirectory
  /**
   * A named per-key limit: in the database (SharedWindowLimiter), so that on PostgreSQL every
   * instance counts against it; on PGlite (one process) in memory (WindowLimiter).
   */
  rateLimiter(name: string, rule: WindowRule): RateLimiter
  uploads: UploadLinkSigner
  mailer: Mailer
  /** Encrypts the webhook endpoints' signing secrets with a key kept outside the database. */
  secretBox: SecretBox
  adminToken: string
  /** Where the admin token was taken from, for the start line. */
  adminTokenSource: 'ADMIN_TOKEN' | string
  close(): Promise<void>
}

export interface DepsOverrides {
  clock?: Clock
  mailer?: Mailer
  database?: Database
  blobs?: BlobStore
}

/** The composition root: opens the database (and migrates it), the blob store and the signers. */
export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const clock = overrides.clock ?? systemClock
  // Private to this user (0700 / 0600), tightened when it was not: it holds the database, the
  // documents and the admin token. Throws PrivateFolderError when it cannot be.
  makePrivate(config.dataDir)
  const pgliteDir = overrides.database || config.databaseUrl ? null : path.join(config.dataDir, 'pglite')
  const database =
    overrides.database ??
    (pgliteDir
      ? await openPglite({ dataDir: pgliteDir })
      : await openPostgres(config.databaseUrl!, config.databasePoolMax))
  try {
    await database.migrate()
    // PGlite writes its files 0666 when it creates the database, and some 0644 at every start.
    if (pgliteDir) makePrivate(pgliteDir)
    const blobs = overrides.blobs ?? (await openBlobStore(config))
    // Uploads a crash cut short. On PGlite this process has the data folder to itself, so none
    // is in progress; on PostgreSQL other instances may share the folder: only what no write can
    // still be using.
    await blobs.removeIncomplete(
      database.kind === 'pglite' ? null : leftoverCutoff({ clock, config }),
      Number.POSITIVE_INFINITY,
    )
    const signingKey = await resolveSigningKey(database.db, config.tokenSigningKey)
    const tokens = new AccessTokenSigner(signingKey, clock, config.tokenTtlSeconds)
    const uploads = new UploadLinkSigner({
      secret: await getOrCreateServerSecret(database.db, 'upload_link_key'),
      clock,
      publicUrl: config.publicUrl,
      ttlSeconds: config.uploadLinkTtlSeconds,
      maxBytes: config.uploadMaxBytes,
      // With S3, partners PUT straight to the bucket; the completion job checks what arrives.
      direct: blobs.presignPut ? { presignPut: blobs.presignPut.bind(blobs) } : undefined,
    })
    const admin = resolveAdminToken(config)
    const secretBox = new SecretBox(resolveWebhookSecretKey(config))
    await checkWebhookSecretKey(database.db, secretBox)
    // Room for two of the largest documents an upload link takes: one verified, one waiting.
    const openCerts = new OpenCertVerifier(Math.max(DEFAULT_MAX_WAITING_BYTES, 2 * config.uploadMaxBytes))
    const mailer =
      overrides.mailer ??
      createMailer({ smtpUrl: config.smtpUrl, outboxDir: outboxDirOf(config.dataDir), from: config.mailFrom })
    const clients = new ClientDirectory(database.db, clock)
    await clients.follow(database)
    return {
      config,
      clock,
      database,
      db: database.db,
      blobs,
      openCerts,
      tokens,
      clients,
      rateLimiter: (name, rule) =>
        database.kind === 'postgres'
          ? new SharedWindowLimiter(database.db, name, { ...rule, clock })
          : new WindowLimiter({ ...rule, clock }),
      uploads,
      mailer,
      secretBox,
      adminToken: admin.token,
      adminTokenSource: admin.source,
      async close() {
        await clients.close()
        await mailer.close()
        await openCerts.close()
        await blobs.close()
        await database.close()
      },
    }
  } catch (error) {
    await database.close().catch(() => {})
    throw error
  }
}

/** ADMIN_TOKEN, or the token kept in DATA_DIR/admin-token (generated with mode 0600 on first start). */
function resolveAdminToken(config: Config): { token: string; source: string } {
  if (config.adminToken) return { token: config.adminToken, source: 'ADMIN_TOKEN' }
  const file = path.join(config.dataDir, 'admin-token')
  try {
    fs.writeFileSync(file, `${randomToken(32)}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return { token: fs.readFileSync(file, 'utf8').trim(), source: file }
}

/**
 * The key that encrypts webhook secrets: WEBHOOK_SECRET_KEY, or one generated into
 * DATA_DIR/webhook-secret-key (mode 0600). Never in the database, so a copy of it cannot sign.
 */
function resolveWebhookSecretKey(config: Config): string {
  if (config.webhookSecretKey) return config.webhookSecretKey
  const file = path.join(config.dataDir, 'webhook-secret-key')
  try {
    fs.writeFileSync(file, `${randomToken(32)}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return fs.readFileSync(file, 'utf8').trim()
}
