import fs from 'node:fs'
import path from 'node:path'

/** A problem answer from the server, carried to the CLI's error output. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: Array<{ pointer: string; message: string }> },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`)
    this.name = 'AdminApiError'
  }
}

export interface AdminConnection {
  url: string
  token: string
}

/** Finds the server (`--url`, CREDPORT_URL) and the admin token (`--token`, CREDPORT_ADMIN_TOKEN, DATA_DIR/admin-token). */
export function resolveConnection(
  options: { url?: string; token?: string },
  env: NodeJS.ProcessEnv = process.env,
): AdminConnection {
  const url = (options.url ?? env.CREDPORT_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
  const token =
    options.token ?? env.CREDPORT_ADMIN_TOKEN ?? readTokenFile(path.resolve(env.DATA_DIR ?? './data', 'admin-token'))
  return { url, token }
}

function readTokenFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    throw new Error(
      `No admin token: set CREDPORT_ADMIN_TOKEN, pass --token, or run where ${file} exists (it is created by the server's first start)`,
    )
  }
}

/** Calls the admin API (a JSON body, or raw bytes with `rawContentType`); throws AdminApiError with the server's problem on failure. */
export async function callAdmin<T>(
  connection: AdminConnection,
  method: string,
  pathname: string,
  body?: unknown,
  /** Sends `body` (bytes) as is with this Content-Type, instead of as JSON. */
  rawContentType?: string,
): Promise<T> {
  let response: Response
  const payload =
    body === undefined ? undefined : rawContentType ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body)
  try {
    response = await fetch(`${connection.url}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${connection.token}`,
        ...(body === undefined ? {} : { 'content-type': rawContentType ?? 'application/json' }),
      },
      body: payload,
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause
    const reason = cause?.code ?? cause?.errors?.[0]?.code ?? (error as Error).message
    throw new Error(
      `Cannot reach Credport at ${connection.url} (${reason}). Is the server running (npm start)? Set CREDPORT_URL if it listens elsewhere.`,
    )
  }
  const text = await response.text()
  const parsed = text ? JSON.parse(text) : undefined
  if (!response.ok) throw new AdminApiError(response.status, parsed ?? {})
  return parsed as T
}
