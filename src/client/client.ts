import {
  CredportAuthError,
  CredportNetworkError,
  CredportProblemError,
  CredportTimeoutError,
  CredportValidationError,
  CredportWaitError,
  type ProblemDetails,
} from './errors.js'
import type {
  AccessToken,
  AssetUpload,
  CredentialType,
  NotFoundStatus,
  RedirectResponse,
  Revocation,
  SubmissionStatus,
  V1BatchPayload,
  V1CredentialType,
  V1Payload,
  V2BatchPayload,
  V2Payload,
  V2Response,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointWithSecret,
} from './types.js'

export interface ClientOptions {
  /** The server's base URL, e.g. `https://credport.example.edu`. */
  baseUrl: string
  clientId: string
  clientSecret: string
  /** Scopes to ask for; default: every scope the client holds. */
  scopes?: string[]
  /** The `fetch` to use; default the global one. */
  fetch?: typeof fetch
  /** Further attempts of a step that failed on the network, 429, 502, 503 or 504 (default 2). */
  retries?: number
  /** Longest wait before a retry, whatever `Retry-After` says (default 30 s). */
  maxRetryDelayMs?: number
  /** A token is renewed this long before it expires (default 60 s, at most half its lifetime). */
  refreshMarginMs?: number
}

export interface SubmitOptions {
  /** Sent as the `Idempotency-Key` header. */
  idempotencyKey?: string
}

/** Bytes of a document: anything `fetch` sends as a body. A file path is the CLI's business (it opens the file). */
export type UploadData = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | string

export interface UploadOptions {
  /** Default: the upload entry's `content_type`, else the Blob's type. */
  contentType?: string
  /** Called as bytes are handed to the network (sent, total; total undefined for a stream of unknown size). */
  onProgress?: (sent: number, total: number | undefined) => void
  signal?: AbortSignal
}

export type WaitUntil = 'opened' | 'verified' | 'final'

export interface WaitOptions {
  /** `opened`: the holder opened the link (or it ended); `verified`: accepted (canceled throws); `final`: verified or canceled. */
  until: WaitUntil
  /** Give up after this long (default 10 minutes): `CredportTimeoutError`. */
  timeoutMs?: number
  /** Time between polls (default 2 s). */
  intervalMs?: number
  signal?: AbortSignal
}

/** The bulk status call takes at most this many ids (spec §8). */
export const STATUS_CHUNK = 30

const WEBHOOKS_PATH = '/api/partner/v2/webhooks'

const RETRYABLE = new Set([429, 502, 503, 504])
const TOKEN_PATH = '/api/partner/v1/oauth/token.json'

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new CredportNetworkError(`HTTP ${response.status} with a body that is not JSON from ${response.url}`)
  }
}

/** The problem an error response carries, as a typed error. */
async function problemOf(response: Response): Promise<CredportProblemError> {
  const body = (await readJson(response).catch(() => undefined)) as Partial<ProblemDetails> | undefined
  const problem: ProblemDetails = {
    type: typeof body?.type === 'string' ? body.type : 'about:blank',
    title: typeof body?.title === 'string' ? body.title : response.statusText || `HTTP ${response.status}`,
    status: response.status,
    ...body,
  }
  const retryAfter = retryAfterMs(response)
  const seconds = retryAfter === undefined ? undefined : retryAfter / 1000
  return problem.type.endsWith('/problems/validation')
    ? new CredportValidationError(problem, seconds)
    : new CredportProblemError(problem, seconds)
}

function bytesOf(data: Exclude<UploadData, ReadableStream<Uint8Array>>): Blob {
  if (data instanceof Blob) return data
  if (typeof data === 'string') return new Blob([data])
  if (data instanceof ArrayBuffer) return new Blob([data])
  return new Blob([new Uint8Array(data.buffer, data.byteOffset, data.byteLength) as Uint8Array<ArrayBuffer>])
}

/** `blob` as a stream of 64 KiB chunks that reports how much was taken by the network. */
function progressStream(blob: Blob, onProgress: (sent: number, total: number) => void): ReadableStream<Uint8Array> {
  const CHUNK = 64 * 1024
  let offset = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= blob.size) {
        controller.close()
        return
      }
      const chunk = new Uint8Array(await blob.slice(offset, offset + CHUNK).arrayBuffer())
      offset += chunk.byteLength
      controller.enqueue(chunk)
      onProgress(offset, blob.size)
    },
  })
}

/** A stream that counts what passes through it. */
function countingStream(
  stream: ReadableStream<Uint8Array>,
  onProgress: (sent: number, total: undefined) => void,
): ReadableStream<Uint8Array> {
  let sent = 0
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength
        controller.enqueue(chunk)
        onProgress(sent, undefined)
      },
    }),
  )
}

/**
 * A Credport partner API client: gets and caches access tokens (renewed before they expire, one
 * request for concurrent callers, a request answered 401 retried once with a fresh token), retries
 * idempotent steps (every intake call is idempotent by the partner's id) on network failures and
 * 429/502/503/504, and throws typed errors carrying the problem details.
 */
export function createClient(options: ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const retries = options.retries ?? 2
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000
  const refreshMarginMs = options.refreshMarginMs ?? 60_000

  let cached: AccessToken | undefined
  let refreshAt = 0
  let pending: Promise<AccessToken> | undefined

  const delayFor = (attempt: number, response?: Response) =>
    Math.min(
      maxRetryDelayMs,
      (response && retryAfterMs(response)) ?? 200 * 2 ** attempt + Math.floor(Math.random() * 100),
    )

  /** `fetch` with the retries of an idempotent step: network failures and 429/502/503/504. */
  async function withRetries(
    url: string,
    init: () => RequestInit,
    retryable: boolean,
    signal?: AbortSignal,
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let response: Response
      try {
        response = await doFetch(url, { ...init(), signal })
      } catch (error) {
        if (signal?.aborted) throw error
        if (!retryable || attempt >= retries) {
          throw new CredportNetworkError(`${url}: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          })
        }
        await sleep(delayFor(attempt), signal)
        continue
      }
      if (retryable && attempt < retries && RETRYABLE.has(response.status)) {
        await response.body?.cancel()
        await sleep(delayFor(attempt, response), signal)
        continue
      }
      return response
    }
  }

  async function requestToken(): Promise<AccessToken> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
    })
    if (options.scopes?.length) form.set('scope', options.scopes.join(' '))
    const response = await withRetries(
      baseUrl + TOKEN_PATH,
      () => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }),
      true,
    )
    const body = (await readJson(response)) as Record<string, unknown> | undefined
    if (!response.ok) {
      const error = typeof body?.error === 'string' ? body.error : `http_${response.status}`
      const description = typeof body?.error_description === 'string' ? body.error_description : undefined
      throw new CredportAuthError(response.status, error, description)
    }
    if (typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new CredportNetworkError(`the token endpoint answered no access token (HTTP ${response.status})`)
    }
    const lifetimeMs = body.expires_in * 1000
    const now = Date.now()
    refreshAt = now + lifetimeMs - Math.min(refreshMarginMs, lifetimeMs / 2)
    return {
      accessToken: body.access_token,
      expiresAt: new Date(now + lifetimeMs),
      scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [],
    }
  }

  /** The cached token, or a new one when it is missing or about to expire (one request however many callers wait). */
  function token(): Promise<AccessToken> {
    if (cached && Date.now() < refreshAt) return Promise.resolve(cached)
    pending ??= requestToken().then(
      (fresh) => {
        cached = fresh
        pending = undefined
        return fresh
      },
      (error: unknown) => {
        pending = undefined
        throw error
      },
    )
    return pending
  }

  /** A partner API call with the bearer token: JSON in, JSON out, problems thrown. */
  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    for (let renewed = false; ; renewed = true) {
      const used = await token()
      const response = await withRetries(
        baseUrl + path,
        () => ({
          method,
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${used.accessToken}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        true,
      )
      if (response.status === 401 && !renewed) {
        // Expired (or revoked) before we thought: forget it, unless another caller already replaced it.
        await response.body?.cancel()
        if (cached === used) {
          cached = undefined
          refreshAt = 0
        }
        continue
      }
      if (!response.ok) throw await problemOf(response)
      return (await readJson(response)) as T
    }
  }

  const idempotencyHeader = (options?: SubmitOptions): Record<string, string> =>
    options?.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}

  function submit<T extends CredentialType>(
    type: T,
    payload: V2Payload<T>,
    options?: SubmitOptions & { version?: 2 },
  ): Promise<V2Response>
  function submit<T extends V1CredentialType>(
    type: T,
    payload: V1Payload<T>,
    options: SubmitOptions & { version: 1 },
  ): Promise<RedirectResponse>
  /** Adds one credential: v2 (default) answers upload links for its documents, v1 only the redirect link. */
  function submit(
    type: CredentialType,
    payload: unknown,
    options: SubmitOptions & { version?: 1 | 2 } = {},
  ): Promise<RedirectResponse | V2Response> {
    const path =
      options.version === 1
        ? `/api/partner/v1/add/${encodeURIComponent(type)}.json`
        : `/api/partner/v2/add/requests/${encodeURIComponent(type)}.json`
    return call('POST', path, payload, idempotencyHeader(options))
  }

  function submitBatch(batch: V2BatchPayload, options?: SubmitOptions): Promise<V2Response>
  function submitBatch(batch: V1BatchPayload, options?: SubmitOptions): Promise<RedirectResponse>
  /** Adds a batch: a v2 batch (`credential_id` and sections) or a legacy v1 batch (`id` and `credentials`). */
  function submitBatch(
    batch: V2BatchPayload | V1BatchPayload,
    options?: SubmitOptions,
  ): Promise<V2Response | RedirectResponse> {
    const path = 'credentials' in batch ? '/api/partner/v1/add/batch.json' : '/api/partner/v2/add/requests/batch.json'
    return call('POST', path, batch, idempotencyHeader(options))
  }

  /**
   * PUTs one document's bytes to its upload link (an `asset_uploads` entry or its `url`). Retried
   * like the other steps when the bytes can be sent again (not a stream); a 409 on a retry means the
   * earlier attempt arrived (the link is single use), and counts as done.
   */
  async function uploadAsset(
    target: string | AssetUpload,
    data: UploadData,
    options: UploadOptions = {},
  ): Promise<unknown> {
    const url = typeof target === 'string' ? target : target.url
    const blob = data instanceof ReadableStream ? undefined : bytesOf(data)
    const contentType =
      options.contentType ?? (typeof target === 'string' ? undefined : target.content_type) ?? (blob?.type || undefined)
    if (!contentType) throw new TypeError('uploadAsset needs a contentType (application/pdf, image/png, …)')
    const onProgress = options.onProgress
    let attempts = 0
    const response = await withRetries(
      url,
      () => {
        attempts++
        let body: BodyInit
        if (blob) body = onProgress ? progressStream(blob, onProgress) : blob
        else body = onProgress ? countingStream(data as ReadableStream<Uint8Array>, onProgress) : (data as BodyInit)
        const streamed = body instanceof ReadableStream
        return {
          method: 'PUT',
          headers: { 'content-type': contentType },
          body,
          ...(streamed ? { duplex: 'half' } : {}),
        }
      },
      blob !== undefined,
      options.signal,
    )
    if (response.status === 409 && attempts > 1) {
      await response.body?.cancel()
      return undefined
    }
    if (!response.ok) throw await problemOf(response)
    if (blob && onProgress && blob.size === 0) onProgress(0, 0)
    return readJson(response)
  }

  /** The status of one submission, by the partner's id (404 problem when it is unknown). */
  function status(id: string): Promise<SubmissionStatus> {
    return call('GET', `/api/partner/v1/submissions/${encodeURIComponent(id)}/status.json`)
  }

  /** The statuses of any number of submissions, in the order asked, 30 per request; unknown ids come back `not_found`. */
  async function statusMany(ids: readonly string[]): Promise<Array<SubmissionStatus | NotFoundStatus>> {
    const results: Array<SubmissionStatus | NotFoundStatus> = []
    for (let i = 0; i < ids.length; i += STATUS_CHUNK) {
      const answer = await call<{ credentials: Array<SubmissionStatus | NotFoundStatus> }>(
        'POST',
        '/api/partner/v1/submissions/status.json',
        { ids: ids.slice(i, i + STATUS_CHUNK) },
      )
      results.push(...answer.credentials)
    }
    return results
  }

  /** Polls `status(id)` until the submission reaches `until`; its last status. */
  async function waitFor(id: string, options: WaitOptions): Promise<SubmissionStatus> {
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000)
    const interval = options.intervalMs ?? 2000
    for (;;) {
      const current = await status(id)
      const final = current.status !== 'incomplete'
      if (options.until === 'verified' && current.status === 'canceled') {
        throw new CredportWaitError(`submission ${id} was canceled (declined or expired), not verified`, current)
      }
      if (options.until === 'final' && final) return current
      if (options.until === 'verified' && current.status === 'verified') return current
      if (options.until === 'opened' && (current.opened_at !== null || final)) return current
      const left = deadline - Date.now()
      if (left <= 0) throw new CredportTimeoutError(`submission ${id} did not become ${options.until} in time`, current)
      await sleep(Math.min(interval, left), options.signal)
    }
  }

  /**
   * Withdraws a submission the holder has not decided (by your id of it): its status, `canceled`.
   * A canceled one is answered as it is; one the holder accepted is a 409 problem (revoke instead).
   */
  function withdraw(id: string): Promise<SubmissionStatus> {
    return call('DELETE', `/api/partner/v2/add/requests/${encodeURIComponent(id)}`)
  }

  /** Revokes a credential the holder accepted (by your id of it); a repeat answers the first revocation. */
  function revoke(credentialId: string, reason: string): Promise<Revocation> {
    return call('POST', `/api/partner/v2/credentials/${encodeURIComponent(credentialId)}/revoke`, { reason })
  }

  const endpointPath = (id: string) => `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`

  /** Webhook endpoints of the partner (spec §9): the secret comes only from `create` and `rotateSecret`. */
  const webhooks = {
    create: (input: WebhookEndpointInput) => call<WebhookEndpointWithSecret>('POST', WEBHOOKS_PATH, input),
    list: () => call<WebhookEndpoint[]>('GET', WEBHOOKS_PATH),
    get: (id: string) => call<WebhookEndpoint>('GET', endpointPath(id)),
    /** Changes some fields; `{ enabled: true }` re-enables an endpoint disabled after a 410. */
    update: (id: string, changes: Partial<WebhookEndpointInput>) =>
      call<WebhookEndpoint>('PUT', endpointPath(id), changes),
    /** A new secret; the old one still signs (beside it) for 24 hours. */
    rotateSecret: (id: string) => call<WebhookEndpointWithSecret>('PUT', `${endpointPath(id)}/secret`),
    delete: async (id: string): Promise<void> => {
      await call<undefined>('DELETE', endpointPath(id))
    },
    /** One page of the endpoint's deliveries, newest first. */
    deliveries: (id: string, page: { limit?: number; offset?: number } = {}) => {
      const query = new URLSearchParams()
      if (page.limit !== undefined) query.set('limit', String(page.limit))
      if (page.offset !== undefined) query.set('offset', String(page.offset))
      const search = query.size > 0 ? `?${query}` : ''
      return call<WebhookDeliveryPage>('GET', `${endpointPath(id)}/deliveries${search}`)
    },
    /** Sends a finished delivery again (a pending one is a 409 problem). */
    retry: (id: string, deliveryId: string) =>
      call<WebhookDelivery>('POST', `${endpointPath(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`),
  }

  return { baseUrl, token, submit, submitBatch, uploadAsset, status, statusMany, waitFor, withdraw, revoke, webhooks }
}

/** What `createClient` returns. */
export type CredportClient = ReturnType<typeof createClient>
