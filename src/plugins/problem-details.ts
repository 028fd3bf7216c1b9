import { createHash, randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import fp from 'fastify-plugin'
import {
  AppError,
  ERROR_CATALOGUE,
  OAuthError,
  isErrorCode,
  toProblem,
  validationError,
  type ErrorCode,
} from '../errors.js'
import { escapeHtml } from '../lib/html.js'
import { issuesFromAjv, issuesInOneLine, type ValidationIssue } from '../lib/validation.js'
import { trackRouteMethods } from './method-not-allowed.js'
import { applySecurityHeaders, securityHeaderLines } from './security-headers.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Render errors of this route in the OAuth 2.0 format (RFC 6749 §5.2) instead of RFC 9457. */
    oauthErrors?: boolean
  }
  interface FastifyInstance {
    /**
     * Whether a route (other than a wildcard) serves `url` under any method: a catch-all route
     * hands such a request to the 404 handler, which answers 405 with `Allow`.
     */
    servesPath(url: string): boolean
  }
}

/** Maps Fastify's own errors (content-type parsing, body limits, bad URLs) onto the catalogue. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_json',
  FST_ERR_ASYNC_CONSTRAINT: 'invalid_parameter',
}

/**
 * The path of the request, without the query string (which may carry signatures) and with a
 * share link's token (`/s/{token}`, a bearer secret) masked: this is what logs and problems show.
 */
export function requestPath(request: { url: string }): string {
  const url = request.url
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  return path.replace(/^\/s\/[^/]+/, '/s/{token}')
}

function fastifyErrorToAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error
  if (error.validation) {
    const context = error.validationContext ?? 'body'
    const issues: ValidationIssue[] = issuesFromAjv(error.validation as never)
    if (context === 'body') return validationError(issues)
    const where = context === 'params' ? 'path' : context === 'querystring' ? 'query' : context
    return new AppError('invalid_parameter', `Invalid ${where} parameter`, {
      errors: issues.map((i) => ({ ...i, in: where })),
    })
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit
    return new AppError('body_too_large', `The body is larger than the limit of ${limit} bytes`, { limit })
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError(
      'unsupported_media_type',
      `Content-Type ${JSON.stringify(request.headers['content-type'] ?? '(none)')} is not accepted here; send application/json`,
    )
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined
  if (mapped) return new AppError(mapped, mapped === 'malformed_json' ? describeJsonError(error) : undefined)
  if (error instanceof SyntaxError || (error.statusCode === 400 && error.code?.startsWith('FST_ERR_CTP'))) {
    return new AppError('malformed_json', describeJsonError(error))
  }
  const status = error.statusCode ?? 500
  if (status === 404) return new AppError('not_found')
  if (status === 429) return new AppError('rate_limited')
  if (status >= 400 && status < 500)
    return new AppError(
      status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_parameter',
      error.message,
    )
  return new AppError('internal')
}

function describeJsonError(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The body is empty; a JSON object was expected'
  if (error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return 'Content-Length does not match the body that was sent'
  // The parser's own message can quote the body; say only what is wrong.
  return 'The body is not valid JSON: check quoting, commas and brackets, and that it is UTF-8'
}

/**
 * Answers the errors the router raises before any route or hook runs (malformed percent-encoding,
 * an over-long path parameter): the same problem body and security headers as every other error.
 * Fastify calls it through its `frameworkErrors` option.
 */
export function sendRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('invalid_parameter', 'A path parameter is longer than 500 characters')
      : new AppError('invalid_parameter', 'The path is not valid percent-encoded UTF-8')
  request.log.info({ code: error.code, status: problem.status }, 'request rejected')
  applySecurityHeaders(request, reply)
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send(toProblem(problem, requestPath(request), request.id))
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refused (not HTTP, a broken header or
 * framing, headers too large, or too slow to arrive) is answered as every other error, a problem
 * with the security headers, written straight to the socket (there is no request to answer
 * through), and the connection is closed. A connection already gone gets nothing.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('headers_too_large', 'The request line and headers are larger than 16 KiB')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AppError('request_timeout', 'The request did not arrive in full in time')
        : new AppError('malformed_request', 'The request is not valid HTTP/1.1; the connection is closed')
  const body = JSON.stringify(toProblem(problem, '', randomUUID()))
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}`,
    'content-type: application/problem+json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...securityHeaderLines(),
  ]
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`)
}

/** OAuth 2.0 error bodies for the token endpoint (RFC 6749 §5.2). */
function sendOAuthError(reply: FastifyReply, error: OAuthError, status = error.status): FastifyReply {
  return reply
    .status(status)
    .headers({ 'cache-control': 'no-store', pragma: 'no-cache', ...error.headers })
    .type('application/json')
    .send({ error: error.error, error_description: error.description })
}

/** Renders every error as `application/problem+json` (a wrong method as 405) and serves `/problems/{code}` pages. */
export const problemDetailsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((rawError: FastifyError, request, reply) => {
    if (request.raw.socket?.destroyed) {
      // The client went away mid-request (an aborted upload): nobody is left to answer, and it is
      // not a server error.
      request.log.info({ code: rawError.code ?? 'unknown' }, 'client closed the connection before the answer')
      return reply.hijack()
    }
    if (rawError instanceof OAuthError) return sendOAuthError(reply, rawError)
    const error = fastifyErrorToAppError(rawError, request)
    if (rawError instanceof AppError && rawError.code === 'service_unavailable') {
      // Deliberate and passing (busy, contended, database away): the caller is told when to retry.
      request.log.warn({ code: rawError.code, detail: rawError.detail }, 'service unavailable')
    } else if (error.status >= 500) {
      request.log.error({ err: rawError }, 'unhandled error')
    } else if (!(rawError instanceof AppError)) {
      request.log.info({ code: rawError.code, status: error.status }, 'request rejected')
    }
    if (request.routeOptions.config?.oauthErrors && error.status < 500) {
      // Body parsing failed before the token handler ran: still answer in the OAuth format, naming
      // each parameter at fault as the token handler's own answers do.
      const issues = (error.extensions.errors ?? []) as ValidationIssue[]
      const description = issues.length > 0 ? issuesInOneLine(issues) : (error.detail ?? error.message)
      return sendOAuthError(reply, new OAuthError('invalid_request', description))
    }
    return reply
      .status(error.status)
      .headers(error.headers)
      .type('application/problem+json')
      .send(toProblem(error, requestPath(request), request.id))
  })

  // Before any route is added: every route from here on is recorded.
  const routeMethods = trackRouteMethods(app)
  app.decorate('servesPath', (url: string) => routeMethods(url).length > 0)

  // No route: 405 with Allow when the path is served under other methods (before any
  // authentication, which belongs to a route), else 404.
  app.setNotFoundHandler((request, reply) => {
    const path = requestPath(request)
    const routes = routeMethods(request.url)
    const allow = routes.map((route) => route.method)
    if (allow.length > 0 && !allow.includes(request.method) && routes.some((route) => route.config?.oauthErrors)) {
      // The token endpoint keeps the OAuth error format (spec §7), a wrong method included.
      const error = new OAuthError(
        'invalid_request',
        `The token endpoint takes ${allow.join(', ')}, not ${request.method}`,
        { allow: allow.join(', ') },
      )
      return sendOAuthError(reply, error, 405)
    }
    const error =
      allow.length > 0 && !allow.includes(request.method)
        ? new AppError(
            'method_not_allowed',
            `${path} does not take ${request.method}; it takes ${allow.join(', ')}`,
            { allow },
            { allow: allow.join(', ') },
          )
        : new AppError('not_found', `No route for ${request.method} ${path}`)
    return reply
      .status(error.status)
      .headers(error.headers)
      .type('application/problem+json')
      .send(toProblem(error, path, request.id))
  })

  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get(
      '/problems/:code',
      { schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 64 }) }) } },
      async (request, reply) => {
        const { code } = request.params
        if (!isErrorCode(code)) throw new AppError('not_found', `No problem type named ${code}`)
        const entry = ERROR_CATALOGUE[code]
        return reply
          .type('text/html; charset=utf-8')
          .header(
            'content-security-policy',
            `default-src 'none'; style-src '${PAGE_STYLE_HASH}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
          )
          .send(problemPage(code, entry.status, entry.title, entry.help))
      },
    )
})

const PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}code{background:#f1f1f1;padding:0 .2em;border-radius:3px}'
const PAGE_STYLE_HASH = `sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}`

function problemPage(code: string, status: number, title: string, help: string): string {
  const helpHtml = escapeHtml(help).replace(/`([^`]+)`/g, '<code>$1</code>')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Credport problem types</title>
<style>${PAGE_STYLE}</style>
</head><body><main>
<p>Problem type <code>/problems/${escapeHtml(code)}</code> · HTTP ${status}</p>
<h1>${escapeHtml(title)}</h1>
<p>${helpHtml}</p>
<p>Every error response is an RFC 9457 <code>application/problem+json</code> body with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>, <code>instance</code> and <code>request_id</code>.</p>
</main></body></html>`
}
