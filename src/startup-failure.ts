import net from 'node:net'
import { ConfigError } from './config.js'
import { WebhookSecretKeyMismatchError } from './modules/webhooks/index.js'
import { BlobStoreUnavailableError } from './storage/open-blob-store.js'
import { PrivateFolderError } from './storage/private-folder.js'

/** Why the server could not start, as one line for a person, and the exit code that says it. */
export interface StartupFailure {
  message: string
  exitCode: number
}

/** The server's exit codes (the README's table is this list). */
export const EXIT_CODES = {
  /** An unexpected failure: the message carries the stack. */
  failed: 1,
  /** The HTTP port could not be opened: in use, or not allowed (the same code as `webhooks listen`). */
  portUnavailable: 9,
  /** The PostgreSQL server (or the S3 bucket) could not be reached or refused the connection. */
  databaseUnavailable: 69,
  /** The data folder cannot be created or made private. */
  dataFolder: 77,
  /** The configuration is invalid (every problem listed), or a key does not match the database's. */
  configuration: 78,
} as const

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'])
/** PostgreSQL's SQLSTATEs for a refused connection: bad password, unknown role or database, no access. */
const REFUSED_LOGIN = new Set(['28P01', '28000', '3D000', '42501'])

/** The usual mistakes, each as one line without a stack trace; anything else with its stack. */
export function describeStartupFailure(
  error: unknown,
  context: { port: number; host: string; databaseUrl?: string },
): StartupFailure {
  if (error instanceof ConfigError) return { message: error.message, exitCode: EXIT_CODES.configuration }
  if (error instanceof WebhookSecretKeyMismatchError)
    return { message: error.message, exitCode: EXIT_CODES.configuration }
  if (error instanceof PrivateFolderError) return { message: error.message, exitCode: EXIT_CODES.dataFolder }
  if (error instanceof BlobStoreUnavailableError)
    return { message: error.message, exitCode: EXIT_CODES.databaseUnavailable }
  const code = errorCode(error)
  if (code === 'EADDRINUSE')
    return {
      message: `port ${context.port} on ${context.host} is already in use by another program: stop it, or set PORT to a free port`,
      exitCode: EXIT_CODES.portUnavailable,
    }
  if (code === 'EACCES' && isListenError(error))
    return {
      message: `this user may not listen on port ${context.port}: set PORT to 1024 or above (and put a proxy in front for 80/443)`,
      exitCode: EXIT_CODES.portUnavailable,
    }
  if (context.databaseUrl && (CONNECTION_ERRORS.has(code) || REFUSED_LOGIN.has(code)))
    return {
      message: `cannot use the PostgreSQL database at ${redactedDatabaseUrl(context.databaseUrl)} (${code}: ${firstLine(error)}): is it running and reachable, and are DATABASE_URL's user, password and database right?`,
      exitCode: EXIT_CODES.databaseUnavailable,
    }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
  return { message: `failed to start: ${detail}`, exitCode: EXIT_CODES.failed }
}

/** The database URL without its password (and without query parameters, which may hold one). */
export function redactedDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    parsed.search = ''
    return parsed.toString()
  } catch {
    return 'DATABASE_URL'
  }
}

function errorCode(error: unknown): string {
  const own = (error as { code?: unknown } | undefined)?.code
  if (typeof own === 'string') return own
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code
  if (typeof cause === 'string') return cause
  // A connection refused on every address of a name comes as an AggregateError of them.
  const first = (error as { errors?: Array<{ code?: unknown }> } | undefined)?.errors?.[0]?.code
  return typeof first === 'string' ? first : ''
}

function isListenError(error: unknown): boolean {
  return (error as { syscall?: unknown }).syscall === 'listen'
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split('\n')[0] ?? '').slice(0, 200)
}

/**
 * Fails with the listen error (EADDRINUSE, EACCES) when `port` cannot be opened on `host` now:
 * checked before the slow part of the start. The real listen later reports it too, should
 * another program take the port meanwhile.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  const probe = net.createServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject)
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()))
  })
}
