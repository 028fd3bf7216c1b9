import { randomUUID } from 'node:crypto'
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify'
import type { Deps } from './deps.js'
import { bodyValidator } from './lib/validation.js'
import { adminRoutes } from './modules/admin/index.js'
import { healthRoutes } from './modules/health/index.js'
import { oauthRoutes } from './modules/oauth/index.js'
import { openapiPlugin } from './plugins/openapi.js'
import { inputGuardPlugin } from './plugins/input-guard.js'
import { partnerAuthPlugin } from './plugins/partner-auth.js'
import { intakeRoutes, unknownTypeRoutes } from './modules/submissions/index.js'
import { correctionRoutes, statusRoutes } from './modules/submissions/index.js'
import { assetRoutes } from './modules/assets/index.js'
import { holderRoutes } from './modules/holder/index.js'
import { webhookRoutes } from './modules/webhooks/index.js'
import { jwksRoutes } from './modules/sharing/index.js'
import { answerClientError, problemDetailsPlugin, requestPath, sendRouterError } from './plugins/problem-details.js'
import { securityHeadersPlugin } from './plugins/security-headers.js'
import { VERSION } from './version.js'

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger']
}

/**
 * Log configuration: JSON lines (or readable text through `stream`) with request ids; never
 * headers, query strings or bodies.
 */
export function loggerOptions(level: string, stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        path: requestPath(req),
        request_id: req.id,
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      err: serializeError,
    },
  }
}

/**
 * Errors as logged: the first line of the message and the stack frames only. Database errors
 * carry the query's bound parameters (names, emails…) in their message and a `params` member;
 * neither reaches the log.
 */
export function serializeError(raw: Error) {
  const error = raw as Error & { code?: string; cause?: { code?: string } }
  return {
    type: error.name,
    message: String(error.message)
      .split('\n')[0]!
      .replace(/\bparams:.*$/i, 'params: [redacted]')
      .slice(0, 500),
    code: error.code ?? error.cause?.code ?? '',
    stack: (error.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n'),
  }
}

/** Builds the application (no listening): the server and the tests build the same app. */
export async function buildApp(deps: Deps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: deps.config.bodyLimitBytes,
    // (Fastify accepts boolean, hop count or address list; its overloads only type each alone.)
    trustProxy: deps.config.trustProxy as boolean,
    // Fastify turns Node's request timeout off by default: a client that stalls (or trickles a
    // body) would hold its connection, and an upload its temporary file, for ever.
    requestTimeout: deps.config.requestTimeoutMs,
    connectionTimeout: deps.config.idleTimeoutMs,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 500 },
    // Malformed percent-encoding and over-long path parameters fail in the router, before any
    // route: hand them to the error handler, so they too are problems with the security headers.
    // Requests Node's parser refuses (not HTTP, broken framing, headers too large) get a problem too.
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) =>
      sendRouterError(error, request as FastifyRequest, reply as FastifyReply),
  })
  // One validator for every route: all errors at once (a body's first only, when it is very large),
  // no coercion, unknown properties kept (and rejected by the schemas).
  app.setValidatorCompiler(bodyValidator())
  // JSON is the only body the API reads (the token endpoint adds forms, upload links raw bytes).
  app.removeContentTypeParser('text/plain')

  await app.register(problemDetailsPlugin)
  await app.register(securityHeadersPlugin)
  await app.register(inputGuardPlugin)
  await app.register(openapiPlugin, { publicUrl: deps.config.publicUrl, version: VERSION })
  await app.register(partnerAuthPlugin, {
    tokens: deps.tokens,
    clients: deps.clients,
    clock: deps.clock,
    rateLimitPerMinute: deps.config.partnerRateLimitPerMinute,
    limiter:
      deps.config.partnerRateLimitPerMinute > 0
        ? deps.rateLimiter('partner-requests', { max: deps.config.partnerRateLimitPerMinute, windowMs: 60_000 })
        : null,
  })

  await app.register(async (scope) => healthRoutes(scope, deps))
  await app.register(async (scope) => oauthRoutes(scope, deps))
  await app.register(async (scope) => adminRoutes(scope, deps))
  await app.register(async (scope) => intakeRoutes(scope, deps))
  await app.register(unknownTypeRoutes)
  await app.register(async (scope) => statusRoutes(scope, deps))
  await app.register(async (scope) => correctionRoutes(scope, deps))
  await app.register(async (scope) => assetRoutes(scope, deps))
  await app.register(async (scope) => holderRoutes(scope, deps))
  await app.register(async (scope) => webhookRoutes(scope, deps))
  await app.register(async (scope) => jwksRoutes(scope, deps))
  return app
}
