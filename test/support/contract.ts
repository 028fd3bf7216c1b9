import type { FastifyInstance } from 'fastify'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/**
 * The OpenAPI document as a contract: the schemas it documents, compiled with ajv (JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1) against the document itself, so that its `$ref`s
 * (`#/components/schemas/Problem`) resolve as a reader of the document resolves them.
 */

export type OpenApiDocument = {
  paths: Record<string, Record<string, any>>
  webhooks?: Record<string, Record<string, any>>
  components?: unknown
}

const DOCUMENT_ID = 'https://credport.test/openapi.json'

/** A JSON pointer token (RFC 6901). */
const token = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1')

export class DocumentSchemas {
  private readonly ajv: Ajv2020
  private readonly compiled = new Map<string, ValidateFunction>()

  constructor(readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
    addFormats.default(this.ajv)
    this.ajv.addSchema({ ...structuredClone(document), $id: DOCUMENT_ID })
  }

  /** Problems of `value` against the schema at `path` (keys from the document root), none when it matches. */
  validate(path: string[], value: unknown): string[] {
    const pointer = path.map(token).join('/')
    let validate = this.compiled.get(pointer)
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` })
      this.compiled.set(pointer, validate)
    }
    if (validate(value)) return []
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`)
  }
}

/** The document path of a route (`/a/:id/b` → `/a/{id}/b`); a hidden alias maps to its documented `.json` form. */
export function documentedPath(document: OpenApiDocument, routeUrl: string): string | undefined {
  const path = routeUrl.replace(/:(\w+)/g, '{$1}')
  if (document.paths[path]) return path
  if (document.paths[`${path}.json`]) return `${path}.json`
  return undefined
}

/**
 * Checks one answer against the document: its status is documented for the operation, with the
 * answer's media type, and its body matches that schema. Returns what does not match.
 */
export function checkAnswer(
  schemas: DocumentSchemas,
  answer: { method: string; path: string; status: number; contentType: string; body: unknown },
): string[] {
  const method = answer.method.toLowerCase()
  const where = `${answer.method} ${answer.path} → ${answer.status}`
  const operation = schemas.document.paths[answer.path]?.[method]
  if (!operation) return [`${where}: the operation is not documented`]
  const response = operation.responses?.[String(answer.status)]
  if (!response) return [`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`]
  // Fastify never sends a body with a 204 (whatever reaches onSend), as HTTP requires.
  if (answer.status === 204) return response.content ? [`${where}: a 204 documented with a body`] : []
  if (!response.content) return answer.body === undefined ? [] : [`${where}: a body where none is documented`]
  const media = answer.contentType.split(';')[0]!.trim().toLowerCase()
  if (!response.content[media]) {
    return [`${where}: content type ${media} not documented (${Object.keys(response.content).join(', ')})`]
  }
  if (!response.content[media].schema) return []
  return schemas
    .validate(
      ['paths', answer.path, method, 'responses', String(answer.status), 'content', media, 'schema'],
      answer.body,
    )
    .map((problem) => `${where}: ${problem}`)
}

/**
 * Installs, on a test app before it listens, a check of every answer of a documented operation
 * (an API route: under /api/, or in the document) against the document; answers of other routes
 * (holder pages, /docs) and answers made before routing (404, 405) are not checked. Returns the
 * list the mismatches are recorded in. Routes added by any module are covered as they come: the
 * document is generated from them.
 */
export function installContractCheck(app: FastifyInstance): string[] {
  const mismatches: string[] = []
  let schemas: DocumentSchemas | undefined
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions
    if (!route.url || request.method === 'HEAD' || request.method === 'OPTIONS') return payload
    schemas ??= new DocumentSchemas(app.swagger() as OpenApiDocument)
    const found = documentedPath(schemas.document, route.url)
    // A hidden route on a documented path of another method (the unknown-type catch-all POST beside
    // the documented DELETE of a submission) is as undocumented as a hidden path.
    const hiddenMethod = route.schema?.hide && !schemas.document.paths[found ?? '']?.[request.method.toLowerCase()]
    const path = hiddenMethod ? undefined : found
    if (!path) {
      if (route.url.startsWith('/api/') && !route.schema?.hide) {
        mismatches.push(`${request.method} ${route.url}: an API route missing from the document`)
      }
      return payload
    }
    const contentType = String(reply.getHeader('content-type') ?? '')
    let body: unknown
    if (typeof payload === 'string' && payload.length > 0) {
      body = /json/.test(contentType) ? JSON.parse(payload) : payload
    } else if (payload !== null && payload !== undefined && payload !== '') {
      body = '(stream or buffer)'
    }
    mismatches.push(
      ...checkAnswer(schemas, { method: request.method, path, status: reply.statusCode, contentType, body }),
    )
    return payload
  })
  return mismatches
}
