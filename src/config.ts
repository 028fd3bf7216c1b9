import path from 'node:path'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { parseDuration, parseByteSize } from './lib/units.js'
import { compileValidator } from './lib/validation.js'

const Duration = (description: string, fallback: string) =>
  Type.String({ description, default: fallback, pattern: '^\\s*\\d+\\s*(ms|s|m|h|d)?\\s*$' })
const ByteSize = (description: string, fallback: string) =>
  Type.String({ description, default: fallback, pattern: '^\\s*\\d+\\s*(b|kb|kib|mb|mib|gb|gib)?\\s*$' })

/**
 * Every environment variable Credport reads. This schema is the single source for parsing,
 * for the boot-time error report and for the README's configuration table.
 */
export const EnvSchema = Type.Object({
  PORT: Type.String({ description: 'TCP port to listen on.', default: '8080', pattern: '^\\d{1,5}$' }),
  HOST: Type.String({
    description: 'Interface to bind (use `0.0.0.0` in a container).',
    default: '127.0.0.1',
    minLength: 1,
  }),
  PUBLIC_URL: Type.Optional(
    Type.String({
      description: 'Public base URL used in redirect and upload links. Default `http://localhost:$PORT`.',
      pattern: '^https?://[^\\s/]+(/[^\\s]*)?$',
    }),
  ),
  TRUST_PROXY: Type.String({
    description:
      'Behind a reverse proxy: `true`, the number of proxy hops, or a comma-separated list of proxy addresses/CIDRs whose `X-Forwarded-For` is trusted (client IPs for rate limits). `false` when Credport faces clients directly.',
    default: 'false',
    minLength: 1,
  }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    description: 'Minimum log level (`fatal` … `trace`, or `silent`).',
    default: 'info',
  }),
  LOG_FORMAT: Type.Enum(['auto', 'pretty', 'json'], {
    description:
      'Log lines as JSON (`json`, for log collectors) or as readable text (`pretty`); `auto` is text when standard output is a terminal and JSON otherwise.',
    default: 'auto',
  }),
  DATA_DIR: Type.String({
    description:
      "Folder for the embedded database, document blobs, the generated admin token and the mail outbox. Private to the server's user (folders 0700, files 0600), made so at every start.",
    default: './data',
    minLength: 1,
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      description: 'A `postgres://` URL switches from the embedded PGlite database to a PostgreSQL server.',
      pattern: '^postgres(ql)?://',
    }),
  ),
  DATABASE_POOL_MAX: Type.String({
    description: 'Maximum connections in the PostgreSQL pool.',
    default: '10',
    pattern: '^[1-9]\\d{0,3}$',
  }),
  ADMIN_TOKEN: Type.Optional(
    Type.String({
      description:
        'Bearer token for the admin API and CLI. When unset, one is generated on first start into `DATA_DIR/admin-token` (mode 0600).',
      minLength: 24,
    }),
  ),
  TOKEN_SIGNING_KEY: Type.Optional(
    Type.String({
      description:
        'Secret (at least 32 characters) that signs partner access tokens (HS512). When unset, one is generated on first start and kept in the database, so every instance shares it.',
      minLength: 32,
    }),
  ),
  TOKEN_TTL: Duration('Lifetime of partner access tokens (`7200`, `120m`, `2h`).', '2h'),
  BODY_LIMIT: ByteSize('Largest accepted JSON request body (`1mb`, `512kb`, bytes).', '1mb'),
  SUBMISSION_TTL: Duration(
    'How long a submission waits for its holder (and how long its id stays idempotent) before it expires and its data is deleted.',
    '48h',
  ),
  UPLOAD_LINK_TTL: Duration('Lifetime of asset upload links.', '1h'),
  REQUEST_TIMEOUT: Duration(
    'Time a client has to send a whole request, body and uploads included; then the connection is closed.',
    '5m',
  ),
  IDLE_TIMEOUT: Duration(
    'A connection on which nothing is sent or received for this long is closed (stalled or deliberately slow clients).',
    '30s',
  ),
  UPLOAD_MAX_BYTES: ByteSize(
    'Largest accepted document (upload, fetched URL or inline data; a document sent inside the JSON body is also bounded by `BODY_LIMIT`, so send larger ones by upload link or URL).',
    '20mb',
  ),
  MAX_BATCH_ITEMS: Type.String({
    description: 'Most credentials in one batch.',
    default: '100',
    pattern: '^[1-9]\\d{0,4}$',
  }),
  SMTP_URL: Type.Optional(
    Type.String({
      description:
        'SMTP server for sign-in codes (`smtp://user:pass@host:587`, `smtps://…`). When unset, mail is written as `.eml` files to `DATA_DIR/outbox/`.',
      pattern: '^smtps?://',
    }),
  ),
  MAIL_FROM: Type.String({
    description: 'Sender of the sign-in emails.',
    default: 'Credport <no-reply@credport.invalid>',
    minLength: 3,
  }),
  MAX_BATCH_ASSETS: Type.String({
    description: 'Most assets (documents) in one batch.',
    default: '20',
    pattern: '^[1-9]\\d{0,4}$',
  }),
  OUTBOUND_ALLOW_PRIVATE: Type.Enum(['true', 'false'], {
    description:
      'Development only: `true` lets webhook endpoints target private and loopback addresses, and plain `http` to them. Off by default: endpoints must be `https` on public addresses.',
    default: 'false',
  }),
  WEBHOOK_SECRET_KEY: Type.Optional(
    Type.String({
      description:
        'Key (at least 32 characters) that encrypts the webhook signing secrets stored in the database. When unset, one is generated on first start into `DATA_DIR/webhook-secret-key` (mode 0600); instances sharing one PostgreSQL must set the same value: once an endpoint exists, an instance holding another key refuses to start (exit code 78).',
      minLength: 32,
    }),
  ),
  BLOB_STORE: Type.Enum(['fs', 's3'], {
    description:
      'Where documents are kept: `fs`, files under `DATA_DIR/blobs`; `s3`, an S3-compatible bucket (AWS S3, MinIO, Ceph, R2…) set by the `S3_*` variables, with uploads going straight to the bucket.',
    default: 'fs',
  }),
  S3_ENDPOINT: Type.Optional(
    Type.String({
      description: "With `BLOB_STORE=s3`: the store's URL (`http://minio:9000`); unset for AWS S3.",
      pattern: '^https?://[^\\s/]+/?$',
    }),
  ),
  S3_REGION: Type.String({
    description: "With `BLOB_STORE=s3`: the bucket's region (any value a non-AWS store accepts).",
    default: 'us-east-1',
    minLength: 1,
  }),
  S3_BUCKET: Type.Optional(
    Type.String({
      description: 'With `BLOB_STORE=s3` (then required): the bucket that holds the documents.',
      pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    }),
  ),
  S3_PREFIX: Type.String({
    description: 'With `BLOB_STORE=s3`: prefix of every key Credport writes (`credport/`), to share a bucket.',
    default: '',
    pattern: '^([A-Za-z0-9][A-Za-z0-9._-]*/)*$',
  }),
  S3_FORCE_PATH_STYLE: Type.Enum(['true', 'false'], {
    description:
      'With `BLOB_STORE=s3`: `true` addresses the bucket in the path (`http://host/bucket/key`), as MinIO and most self-hosted stores need; `false`, as a virtual host (AWS).',
    default: 'false',
  }),
  S3_ACCESS_KEY_ID: Type.Optional(
    Type.String({
      description:
        "With `BLOB_STORE=s3`: access key, set together with `S3_SECRET_ACCESS_KEY`. When both are unset, the AWS SDK's default credential chain (environment, shared files, instance role).",
      minLength: 1,
    }),
  ),
  S3_SECRET_ACCESS_KEY: Type.Optional(
    Type.String({ description: 'With `BLOB_STORE=s3`: the secret of `S3_ACCESS_KEY_ID`.', minLength: 1 }),
  ),
  PARTNER_RATE_LIMIT: Type.String({
    description:
      'Requests per minute each partner client may make with its access tokens (every partner route but the token endpoint); beyond it, 429 with `Retry-After`. Counted over a sliding minute (approximately): on PostgreSQL in the database, shared by every instance; on PGlite in memory. `0` turns the limit off.',
    default: '1200',
    pattern: '^\\d{1,7}$',
  }),
})
export type Env = Static<typeof EnvSchema>
const validateEnv = compileValidator(EnvSchema)

export interface Config {
  port: number
  host: string
  trustProxy: boolean | number | string
  publicUrl: string
  logLevel: string
  logFormat: 'auto' | 'pretty' | 'json'
  dataDir: string
  databaseUrl: string | undefined
  databasePoolMax: number
  adminToken: string | undefined
  tokenSigningKey: string | undefined
  tokenTtlSeconds: number
  bodyLimitBytes: number
  submissionTtlMs: number
  uploadLinkTtlSeconds: number
  /** Whole-request and idle-connection limits of the HTTP server. */
  requestTimeoutMs: number
  idleTimeoutMs: number
  uploadMaxBytes: number
  maxBatchItems: number
  maxBatchAssets: number
  /** Requests per minute per partner client; 0: no limit. */
  partnerRateLimitPerMinute: number
  smtpUrl: string | undefined
  mailFrom: string
  /** Webhook endpoints may target private and loopback addresses (and plain http to them). */
  outboundAllowPrivate: boolean
  webhookSecretKey: string | undefined
  /** Where document bytes live. */
  blobStore: BlobStoreConfig
}

export type BlobStoreConfig = { kind: 'fs' } | ({ kind: 's3' } & S3Settings)

export interface S3Settings {
  /** Unset for AWS S3. */
  endpoint: string | undefined
  region: string
  bucket: string
  /** '' or ends with '/'. */
  prefix: string
  forcePathStyle: boolean
  /** Both set, or both unset (the SDK's default credential chain). */
  accessKeyId: string | undefined
  secretAccessKey: string | undefined
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Parses the environment once, reporting every problem together. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = environment[key]
    if (value !== undefined && value !== '') picked[key] = value
  }
  const env = Value.Default(EnvSchema, picked) as Env
  const issues = validateEnv(env)
  const problems = issues.map(
    (issue) => `${issue.pointer.slice(1)}: ${issue.message} (got ${JSON.stringify(valueAt(env, issue.pointer))})`,
  )
  // The ranges below are checked on the values the schema let through, so that every problem is
  // reported at once: a bad LOG_LEVEL and a PORT out of range in one message.
  const invalid = new Set(issues.map((issue) => issue.pointer.slice(1).split('/')[0]))
  const within = <T>(key: keyof Env, value: () => T, ok: (parsed: T) => boolean, message: string): T => {
    if (invalid.has(key)) return undefined as T
    const parsed = value()
    if (!ok(parsed)) problems.push(`${key}: ${message} (got ${env[key]})`)
    return parsed
  }
  // Together with the schema's: a missing bucket and a malformed endpoint are reported at once.
  if (env.BLOB_STORE === 's3') {
    if (!env.S3_BUCKET) problems.push('S3_BUCKET: required with BLOB_STORE=s3')
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY))
      problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both, or neither (the default credential chain)')
  }
  const port = within(
    'PORT',
    () => Number(env.PORT),
    (n) => n >= 1 && n <= 65535,
    'must be between 1 and 65535',
  )
  const tokenTtlSeconds = within(
    'TOKEN_TTL',
    () => Math.floor(parseDuration(env.TOKEN_TTL) / 1000),
    (n) => n >= 60,
    'must be at least 60 seconds',
  )
  const bodyLimitBytes = within(
    'BODY_LIMIT',
    () => parseByteSize(env.BODY_LIMIT),
    (n) => n >= 1024,
    'must be at least 1kb',
  )
  const submissionTtlMs = within(
    'SUBMISSION_TTL',
    () => parseDuration(env.SUBMISSION_TTL),
    (n) => n >= 60_000,
    'must be at least 1 minute',
  )
  const uploadLinkTtlSeconds = within(
    'UPLOAD_LINK_TTL',
    () => Math.floor(parseDuration(env.UPLOAD_LINK_TTL) / 1000),
    (n) => n >= 60,
    'must be at least 60 seconds',
  )
  const requestTimeoutMs = within(
    'REQUEST_TIMEOUT',
    () => parseDuration(env.REQUEST_TIMEOUT),
    (n) => n >= 10_000,
    'must be at least 10 seconds',
  )
  const idleTimeoutMs = within(
    'IDLE_TIMEOUT',
    () => parseDuration(env.IDLE_TIMEOUT),
    (n) => n >= 1000,
    'must be at least 1 second',
  )
  const uploadMaxBytes = within(
    'UPLOAD_MAX_BYTES',
    () => parseByteSize(env.UPLOAD_MAX_BYTES),
    (n) => n >= 1024 && n <= 2 ** 31 - 1,
    'must be between 1kb and 2gb',
  )
  if (problems.length > 0) throw new ConfigError(problems)

  return {
    port,
    host: env.HOST,
    trustProxy:
      env.TRUST_PROXY === 'true'
        ? true
        : env.TRUST_PROXY === 'false'
          ? false
          : /^\d+$/.test(env.TRUST_PROXY)
            ? Number(env.TRUST_PROXY)
            : env.TRUST_PROXY,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: Number(env.DATABASE_POOL_MAX),
    adminToken: env.ADMIN_TOKEN,
    tokenSigningKey: env.TOKEN_SIGNING_KEY,
    tokenTtlSeconds,
    bodyLimitBytes,
    submissionTtlMs,
    uploadLinkTtlSeconds,
    requestTimeoutMs,
    idleTimeoutMs,
    uploadMaxBytes,
    maxBatchItems: Number(env.MAX_BATCH_ITEMS),
    maxBatchAssets: Number(env.MAX_BATCH_ASSETS),
    partnerRateLimitPerMinute: Number(env.PARTNER_RATE_LIMIT),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    outboundAllowPrivate: env.OUTBOUND_ALLOW_PRIVATE === 'true',
    webhookSecretKey: env.WEBHOOK_SECRET_KEY,
    blobStore:
      env.BLOB_STORE === 's3'
        ? {
            kind: 's3',
            endpoint: env.S3_ENDPOINT?.replace(/\/+$/, ''),
            region: env.S3_REGION,
            bucket: env.S3_BUCKET!,
            prefix: env.S3_PREFIX,
            forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
            accessKeyId: env.S3_ACCESS_KEY_ID,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          }
        : { kind: 'fs' },
  }
}

function valueAt(env: Record<string, unknown>, pointer: string): unknown {
  return env[pointer.slice(1)]
}
