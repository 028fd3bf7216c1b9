import type { ValidationIssue } from './lib/validation.js'

interface CatalogueEntry {
  status: number
  title: string
  /** Shown on `/problems/{code}`: what happened and how to fix the request. */
  help: string
}

/** The closed catalogue of problems Credport answers with. `type` is `/problems/{code}`. */
export const ERROR_CATALOGUE = {
  validation: {
    status: 400,
    title: 'Request body is invalid',
    help: 'The body did not match the schema of the endpoint. `errors` lists every problem, each with a JSON pointer into the body you sent and a message. Fix them all and send the request again.',
  },
  invalid_parameter: {
    status: 400,
    title: 'Request parameter is invalid',
    help: 'A path or query parameter is invalid. `errors` names each parameter and what is wrong with it.',
  },
  malformed_json: {
    status: 400,
    title: 'Request body is not valid JSON',
    help: 'The body could not be parsed as JSON. Check quoting, commas and the encoding (UTF-8), and that the body is not empty.',
  },
  malformed_request: {
    status: 400,
    title: 'Request is not valid HTTP',
    help: 'The request could not be read as HTTP/1.1: its request line, a header (a control character in it) or its framing (`Content-Length` together with `Transfer-Encoding`, a broken chunk, more bytes than `Content-Length` said) is malformed. Check the HTTP client, or the proxy in front of it. The connection is closed after this answer.',
  },
  request_timeout: {
    status: 408,
    title: 'Request took too long',
    help: 'The whole request, body included, did not arrive within the time the server allows (`REQUEST_TIMEOUT`, 5 minutes by default). Send it again over a faster connection; send large documents by upload link.',
  },
  headers_too_large: {
    status: 431,
    title: 'Request headers too large',
    help: 'The request line and headers together are larger than the server reads (16 KiB). Send fewer or shorter headers (cookies, tokens).',
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    help: 'Send `Authorization: Bearer <access_token>` with a token from `POST /api/partner/v1/oauth/token.json`. Tokens expire (see `expires_in`); get a new one when this happens. A token of a revoked client is no longer accepted.',
  },
  insufficient_scope: {
    status: 403,
    title: 'Missing scope',
    help: 'The access token is valid but lacks a scope this request needs; `missing_scopes` names them. Request a token with those scopes (`scope=` on the token request), or ask the operator to grant them to your client.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    help: 'The request is not allowed with these credentials.',
  },
  not_found: {
    status: 404,
    title: 'Not found',
    help: 'Nothing exists at this address for your client: the path is wrong, or the id is unknown (ids of other partners are never visible).',
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    help: 'The path exists, but not for this HTTP method. The `Allow` header, and `allow` in the problem, list the methods it takes (`HEAD` wherever `GET` is). The method is checked before the access token: send the request with one of those methods.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    help: 'The request conflicts with the current state of the resource.',
  },
  id_conflict: {
    status: 409,
    title: 'Id already used with a different body',
    help: 'Submissions are idempotent on your id (and on the Idempotency-Key header) for 48 hours: sending the same id with the same body returns the same redirect link, but the same id with a different body is refused. Use a new id for a new submission.',
  },
  webhook_limit: {
    status: 409,
    title: 'Too many webhook endpoints',
    help: 'A partner may have at most 10 webhook endpoints (`limit` in the problem). Delete one you no longer use, or send several event types to one endpoint.',
  },
  share_link_gone: {
    status: 410,
    title: 'Share link not available',
    help: 'The share link has expired, was revoked by its holder, or never existed (the three are answered alike). Ask the holder for a new link.',
  },
  body_too_large: {
    status: 413,
    title: 'Request body too large',
    help: 'The body is larger than the server accepts. Split the submission, or ask the operator about `BODY_LIMIT`.',
  },
  batch_too_large: {
    status: 413,
    title: 'Batch too large',
    help: 'A batch holds at most 100 credentials and 20 documents (the operator may configure other limits: `limit` in the problem says which applies). Split it into several batches.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported content type',
    help: 'Send the body with the `Content-Type` the endpoint expects: `application/json` for API calls.',
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    help: 'Slow down: wait the number of seconds given in `Retry-After` before trying again.',
  },
  internal: {
    status: 500,
    title: 'Internal server error',
    help: 'Something went wrong on the server. It is logged with the `request_id` of the response: quote it when you report the problem.',
  },
  service_unavailable: {
    status: 503,
    title: 'Service unavailable',
    help: 'The server cannot serve requests right now (for example, its database is unreachable). Try again shortly.',
  },
} as const satisfies Record<string, CatalogueEntry>

export type ErrorCode = keyof typeof ERROR_CATALOGUE

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code)
}

/** A catalogued failure that domain code throws; rendered as an RFC 9457 problem. */
export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    /** Extra problem members, e.g. `errors` or `missing_scopes`. */
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? ERROR_CATALOGUE[code].title)
    this.name = 'AppError'
    this.status = ERROR_CATALOGUE[code].status
  }
}

/** At most this many problems are listed in one answer (a pathological body can have thousands). */
export const MAX_LISTED_ISSUES = 1000

/**
 * A 400 listing the problems found in a request body: every one, or (`firstOnlyOver`: a body of
 * more values than that, too large to be checked in full; lib/validation.ts) the first.
 */
export function validationError(issues: ValidationIssue[], options: { firstOnlyOver?: number } = {}): AppError {
  const n = issues.length
  const listed = n > MAX_LISTED_ISSUES ? `; the first ${MAX_LISTED_ISSUES} are listed` : ''
  const detail = options.firstOnlyOver
    ? `${n} problem${n === 1 ? '' : 's'} in the request body, where checking stopped: a body of more than ${options.firstOnlyOver.toLocaleString('en')} values is checked up to its first problem, so send it again once this is fixed`
    : `${n} problem${n === 1 ? '' : 's'} in the request body${listed}`
  return new AppError('validation', detail, { errors: issues.slice(0, MAX_LISTED_ISSUES) })
}

export function notFound(detail = 'No such resource'): AppError {
  return new AppError('not_found', detail)
}

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance: string
  request_id: string
  [extension: string]: unknown
}

/** Renders a catalogued error as an `application/problem+json` body. */
export function toProblem(error: AppError, instance: string, requestId: string): Problem {
  const entry = ERROR_CATALOGUE[error.code]
  return {
    type: `/problems/${error.code}`,
    title: entry.title,
    status: entry.status,
    ...(error.detail ? { detail: error.detail } : {}),
    instance,
    request_id: requestId,
    ...error.extensions,
  }
}

/**
 * The token endpoint's own error codes (RFC 6749 §5.2), answered in the OAuth format, and
 * `temporarily_unavailable` (RFC 6749 §4.1.2.1), which Credport answers with 429 when an address
 * must wait before its client secrets are checked again.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable'

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description)
    this.name = 'OAuthError'
  }

  get status(): number {
    if (this.error === 'temporarily_unavailable') return 429
    return this.error === 'invalid_client' ? 401 : 400
  }
}
