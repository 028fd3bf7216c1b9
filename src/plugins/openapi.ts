import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { ERROR_CATALOGUE, type ErrorCode } from '../errors.js'
import { ALL_SCOPES, SCOPE_DESCRIPTIONS } from '../modules/oauth/index.js'
import { operationExamples, problemExample } from './openapi-examples.js'
import { webhooksDocument } from './openapi-webhooks.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Problems the route's own logic answers with (a domain rule: an id in use, an unknown id), beyond
     * those its configuration implies (see `routeProblems`). Documented as its error answers.
     */
    problems?: readonly ErrorCode[]
    /**
     * The media types of a body the route reads as raw bytes, which no body schema describes (it
     * is never parsed): documented as its request body.
     */
    rawBody?: readonly string[]
  }
}

/** The parts of a route its documented error answers are derived from. */
export interface RouteDescription {
  config?: RouteOptions['config']
  schema?: { body?: unknown; params?: unknown; querystring?: unknown; security?: Array<Record<string, string[]>> }
}

/**
 * Every problem a route can answer with, derived in this one place from its configuration: a body
 * schema (400 invalid or malformed, 413, 415), path or query parameters (400), a partner bearer
 * token (401, 403 naming the scopes, 429 per client) or the admin token (401), and the route's own
 * `config.problems`; and on every route, the 500 of a bug (spec §7: for real bugs only, but any route
 * can have one). Routes whose client errors are in the OAuth format (`oauthErrors`) have only that
 * 500 here: the error handler answers a server error as a problem on every route.
 */
export function routeProblems(route: RouteDescription): ErrorCode[] {
  const config = route.config ?? {}
  if (config.oauthErrors) return ['internal']
  const codes = new Set<ErrorCode>()
  const schema = route.schema ?? {}
  if (schema.body)
    for (const code of ['validation', 'malformed_json', 'body_too_large', 'unsupported_media_type'] as const)
      codes.add(code)
  if (schema.params || schema.querystring) codes.add('invalid_parameter')
  if (config.partnerAuth)
    for (const code of ['unauthorized', 'insufficient_scope', 'rate_limited'] as const) codes.add(code)
  if (schema.security?.some((requirement) => 'adminToken' in requirement)) codes.add('unauthorized')
  for (const code of config.problems ?? []) codes.add(code)
  codes.add('internal')
  return [...codes].sort((a, b) => ERROR_CATALOGUE[a].status - ERROR_CATALOGUE[b].status)
}

/**
 * The security requirement of a partner route, from its `config.partnerAuth`: all of `allOf`, or
 * any one of `anyOf` (one requirement each: OpenAPI's alternatives). Scopes the body decides (a
 * batch) are named in the operation's description instead.
 */
export function partnerSecurity(route: RouteDescription): Array<Record<string, string[]>> | undefined {
  const requirement = route.config?.partnerAuth
  if (!requirement) return undefined
  if (requirement.anyOf?.length) return requirement.anyOf.map((scope) => ({ partnerToken: [scope] }))
  return [{ partnerToken: [...(requirement.allOf ?? [])] }]
}

/** The RFC 9457 problem body every error answer has (OAuth's token endpoint excepted). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'The problem type: `/problems/{code}`, a page on this server.' }),
    title: Type.String({ description: 'A short summary of the problem type.' }),
    status: Type.Integer({ description: 'The HTTP status code.' }),
    detail: Type.Optional(Type.String({ description: 'What went wrong with this request.' })),
    instance: Type.String({ description: 'The path of the request (without its query string).' }),
    request_id: Type.String({ description: 'The id of the request in the server log: quote it in a report.' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.String({
            description: 'A JSON pointer (RFC 6901) into the request body, or to the parameter.',
          }),
          message: Type.String({ description: 'What is wrong there.' }),
          in: Type.Optional(Type.String({ description: 'For a parameter: `path`, `query` or `header`.' })),
          parameter: Type.Optional(Type.String({ description: 'The header at fault, when `in` is `header`.' })),
        }),
        {
          description:
            'Invalid body or parameters: every problem found, each with a JSON pointer into the body (or naming the parameter).',
        },
      ),
    ),
    missing_scopes: Type.Optional(
      Type.Array(Type.String(), { description: 'On a 403 for a missing scope: the scopes the access token lacks.' }),
    ),
    allow: Type.Optional(Type.Array(Type.String(), { description: 'On a 405: the methods the path takes.' })),
    limit: Type.Optional(
      Type.Integer({ description: 'On a 413, or the 409 of the webhook endpoint limit: the limit that applies.' }),
    ),
    actual: Type.Optional(Type.Integer({ description: 'On a 413 for a batch: how many it holds.' })),
    counted: Type.Optional(
      Type.String({ description: 'On a 413 for a batch: what `limit` counts, `credentials` or `assets`.' }),
    ),
    limit_per_minute: Type.Optional(
      Type.Integer({ description: 'On a 429: the requests a minute this client may make.' }),
    ),
  },
  {
    description:
      'An RFC 9457 problem (`application/problem+json`). `type` is a page on this server explaining the problem and how to fix the request.',
  },
)

/** The OAuth 2.0 error body of the token endpoint (RFC 6749 §5.2). */
export const OAUTH_ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'string',
      enum: [
        'invalid_request',
        'invalid_client',
        'invalid_grant',
        'unauthorized_client',
        'unsupported_grant_type',
        'invalid_scope',
        'temporarily_unavailable',
      ],
      description: 'The OAuth error code.',
    },
    error_description: { type: 'string', description: 'What went wrong, for the developer.' },
  },
} as const

const OAUTH_ANSWERS: Record<number, string> = {
  400: 'The request is invalid (`invalid_request`, `invalid_grant`, `unsupported_grant_type`, `invalid_scope`).',
  401: 'Client authentication failed (`invalid_client`); with `WWW-Authenticate` when HTTP Basic was used.',
  429: 'Too many failed client authentications from this address (`temporarily_unavailable`); wait `Retry-After` seconds.',
}

type Responses = Record<string, unknown>

/** The error answers of one route, grouped by status, each listing its problem types with a link. */
function errorResponses(route: RouteDescription): Responses {
  const responses: Responses = {}
  if (route.config?.oauthErrors) {
    for (const [status, description] of Object.entries(OAUTH_ANSWERS)) {
      responses[status] = { description, content: { 'application/json': { schema: OAUTH_ERROR_SCHEMA } } }
    }
  }
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of routeProblems(route)) {
    const status = ERROR_CATALOGUE[code].status
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  for (const [status, codes] of byStatus) {
    const description = codes.map((code) => `[${ERROR_CATALOGUE[code].title}](/problems/${code})`).join('; ')
    responses[String(status)] = {
      description,
      content: {
        'application/problem+json': {
          schema: {
            allOf: [{ $ref: '#/components/schemas/Problem' }],
            properties: { type: { enum: codes.map((code) => `/problems/${code}`) }, status: { const: status } },
          },
        },
      },
    }
  }
  return responses
}

/**
 * Adds to a route's schema, for the document only (validation and serialization are untouched):
 * its error answers and its security requirement with scopes.
 */
export function documentRoute(route: RouteDescription & { schema?: Record<string, unknown> }): Record<string, unknown> {
  const schema = { ...(route.schema ?? {}) }
  const security = partnerSecurity(route)
  if (security) schema.security = security
  const fromBody = route.config?.partnerAuth?.fromBody
  if (fromBody) {
    const note = `**Scopes:** ${fromBody} (a 403 names the missing ones).`
    schema.description = schema.description ? `${schema.description}\n\n${note}` : note
  }
  schema.response = { ...(schema.response as Responses | undefined), ...errorResponses(route) }
  const raw = route.config?.rawBody
  if (raw && !schema.body) {
    schema.body = {
      description: 'The raw bytes of the document (not multipart), with the Content-Type of its declared type.',
      content: Object.fromEntries(raw.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])),
    }
  }
  return schema
}

interface MediaObject {
  schema?: { properties?: { type?: { enum?: string[] } } }
  example?: unknown
  examples?: Record<string, { summary: string; value: unknown }>
}
interface OperationObject {
  requestBody?: { content?: Record<string, MediaObject> }
  responses?: Record<string, { description?: string; content?: Record<string, MediaObject> }>
}

/** The description of a success answer, which the route schemas leave to the operation's summary. */
function successDescription(path: string, status: string): string {
  if (status === '201' && path.includes('/add/')) {
    return 'Accepted; the same answer again when the same id (or Idempotency-Key) comes with the same body within 48 hours (then with `Idempotent-Replayed: true`)'
  }
  return { 200: 'OK', 201: 'Created', 204: 'Done; no body' }[status] ?? 'Success'
}
interface Document {
  paths?: Record<string, Record<string, OperationObject>>
  webhooks?: Record<string, unknown>
}

/**
 * Adds the examples (openapi-examples.ts) to the generated document: request and success bodies
 * from the public samples, and one example per problem type of each error answer.
 */
export function addExamples<T extends Document>(document: T): T {
  const examples = operationExamples()
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const own = examples[`${method} ${path}`]
      if (own?.request) {
        for (const media of Object.values(operation.requestBody?.content ?? {})) media.example = own.request
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (response.description === 'Default Response') response.description = successDescription(path, status)
        const success = own?.responses[status]
        const json = response.content?.['application/json']
        if (success && json) json.example = success
        const problem = response.content?.['application/problem+json']
        if (!problem) continue
        const codes = (problem.schema?.properties?.type?.enum ?? []).map(
          (type) => type.slice('/problems/'.length) as ErrorCode,
        )
        problem.examples = Object.fromEntries(
          codes.map((code) => [code, { summary: ERROR_CATALOGUE[code].title, value: problemExample(code, path) }]),
        )
      }
    }
  }
  return document
}

/**
 * The Content-Security-Policy of the API reference (Swagger UI, `/docs/*`): its own scripts and
 * styles only, no inline script or style (its one inline style, the logo's, is left out with the
 * top bar); `connect-src` lets it fetch the document, and a token and "Try it out" requests from
 * the public URL (which may be another origin than the one the page was opened on).
 */
export function docsContentSecurityPolicy(publicUrl: string): string {
  const origin = new URL(publicUrl).origin
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${origin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
}

/** `/openapi.json` generated from the route schemas, and browsable docs at `/docs`. */
export const openapiPlugin = fp(async (app: FastifyInstance, options: { publicUrl: string; version: string }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credport partner API',
        version: options.version,
        description:
          'Submit credentials for a holder to review and add to their wallet. Wire-compatible with the "Add to SEEK Pass" partner API. Errors are RFC 9457 problem details (`application/problem+json`); each problem type is a page on this server, `/problems/{code}`.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          partnerToken: {
            type: 'oauth2',
            description:
              'OAuth 2.0 client credentials: the client id and secret (in the body or with HTTP Basic) give an access token; send it as `Authorization: Bearer <token>`.',
            flows: {
              clientCredentials: {
                tokenUrl: `${options.publicUrl}/api/partner/v1/oauth/token.json`,
                scopes: Object.fromEntries(ALL_SCOPES.map((scope) => [scope, SCOPE_DESCRIPTIONS[scope]])),
              },
            },
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN or DATA_DIR/admin-token' },
        },
        schemas: { Problem: ProblemSchema },
      },
    },
    transformObject: (documents) =>
      'openapiObject' in documents
        ? // The events Credport POSTs to partners' endpoints: OpenAPI 3.1 `webhooks`, beside the paths.
          (addExamples({
            ...structuredClone(documents.openapiObject),
            webhooks: webhooksDocument(),
          } as Document) as typeof documents.openapiObject)
        : documents.swaggerObject,
    transform: ({ schema, url, route }) => ({
      schema: documentRoute({ ...route, schema: schema as Record<string, unknown> }) as typeof schema,
      url,
    }),
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: docsContentSecurityPolicy(options.publicUrl),
    theme: { title: 'Credport partner API reference' },
    // BaseLayout: no top bar, whose Swagger logo is an SVG with an inline <style> the CSP refuses
    // (and whose URL box would browse other documents). validatorUrl stays unset: no online validator badge.
    uiConfig: { deepLinking: true, layout: 'BaseLayout', persistAuthorization: false },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
})
