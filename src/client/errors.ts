/** One problem in a request body: a JSON pointer into what was sent, and what is wrong there. */
export interface Issue {
  pointer: string
  message: string
}

/** An RFC 9457 problem details body as Credport sends it (`errors` on invalid bodies). */
export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  request_id?: string
  errors?: Issue[]
  [member: string]: unknown
}

/** Base class of every error the client throws. */
export class CredportError extends Error {
  override name = 'CredportError'
}

/**
 * The server answered with a problem (4xx/5xx `application/problem+json`): `status`, `type`
 * (`/problems/validation`, …), `errors` (every problem of an invalid body, with pointers).
 */
export class CredportProblemError extends CredportError {
  override name = 'CredportProblemError'
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string | undefined
  readonly errors: Issue[]
  readonly requestId: string | undefined
  /** Seconds the server asked to wait (429, 503), when it said. */
  readonly retryAfter: number | undefined
  readonly problem: ProblemDetails

  constructor(problem: ProblemDetails, retryAfter?: number) {
    super(`${problem.title}${problem.detail ? `: ${problem.detail}` : ''} (HTTP ${problem.status})`)
    this.problem = problem
    this.status = problem.status
    this.type = problem.type
    this.title = problem.title
    this.detail = problem.detail
    this.errors = problem.errors ?? []
    this.requestId = problem.request_id
    this.retryAfter = retryAfter
  }
}

/** The body failed validation (400 `/problems/validation` from the server, or `validate()` locally). */
export class CredportValidationError extends CredportProblemError {
  override name = 'CredportValidationError'
}

/** The token endpoint refused the client credentials (OAuth error format, RFC 6749 §5.2). */
export class CredportAuthError extends CredportError {
  override name = 'CredportAuthError'
  readonly status: number
  /** `invalid_client`, `invalid_scope`, … */
  readonly error: string
  readonly errorDescription: string | undefined

  constructor(status: number, error: string, errorDescription?: string) {
    super(`token request refused: ${error}${errorDescription ? ` (${errorDescription})` : ''} (HTTP ${status})`)
    this.status = status
    this.error = error
    this.errorDescription = errorDescription
  }
}

/** The server could not be reached, or answered something that is not Credport's (after the retries). */
export class CredportNetworkError extends CredportError {
  override name = 'CredportNetworkError'
}

/** `waitFor` ran out of time before the submission reached the state waited for. */
export class CredportTimeoutError extends CredportError {
  override name = 'CredportTimeoutError'
  readonly lastStatus: unknown
  constructor(message: string, lastStatus: unknown) {
    super(message)
    this.lastStatus = lastStatus
  }
}

/** `waitFor(…, { until: 'verified' })` saw the submission end otherwise (canceled: declined or expired). */
export class CredportWaitError extends CredportError {
  override name = 'CredportWaitError'
  readonly lastStatus: unknown
  constructor(message: string, lastStatus: unknown) {
    super(message)
    this.lastStatus = lastStatus
  }
}
