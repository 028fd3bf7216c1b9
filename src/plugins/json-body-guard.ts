import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { validationError } from '../errors.js'
import { escapePointerToken, type ValidationIssue } from '../lib/validation.js'

const MAX_DEPTH = 32
const MAX_ISSUES = 20

/** A value met in the walk: where it sits is kept as a link to its parent, made a pointer only when reported. */
interface Visit {
  value: unknown
  parent: Visit | null
  key: string
  depth: number
}

function pointerOf(visit: Visit): string {
  const tokens: string[] = []
  for (let at: Visit | null = visit; at?.parent; at = at.parent) tokens.push(escapePointerToken(at.key))
  return tokens.length === 0 ? '' : `/${tokens.reverse().join('/')}`
}

/**
 * Text PostgreSQL cannot store (NUL characters, unpaired UTF-16 surrogates) and absurd nesting,
 * found without recursion so that no body can exhaust the stack.
 */
function findUnstorableJson(root: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const stack: Visit[] = [{ value: root, parent: null, key: '', depth: 0 }]
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const visit = stack.pop()!
    const { value, depth } = visit
    if (typeof value === 'string') {
      if (value.includes('\u0000')) issues.push({ pointer: pointerOf(visit), message: 'must not contain the NUL character (\\u0000)' })
      else if (!value.isWellFormed()) issues.push({ pointer: pointerOf(visit), message: 'must be valid Unicode (it contains an unpaired surrogate)' })
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    if (depth >= MAX_DEPTH) {
      issues.push({ pointer: pointerOf(visit), message: `is nested too deeply (more than ${MAX_DEPTH} levels)` })
      continue
    }
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue
      const child: Visit = { value: (value as Record<string, unknown>)[key], parent: visit, key, depth: depth + 1 }
      if (key.includes('\u0000') || !key.isWellFormed()) issues.push({ pointer: pointerOf(child), message: 'property name must be valid Unicode without NUL characters' })
      stack.push(child)
    }
  }
  return issues
}

/** Rejects, before any validation or storage, JSON bodies that could not be stored faithfully. */
export const jsonBodyGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    if (typeof request.body !== 'object' || request.body === null || Buffer.isBuffer(request.body)) return
    if (typeof (request.body as { pipe?: unknown }).pipe === 'function') return
    const issues = findUnstorableJson(request.body)
    if (issues.length > 0) throw validationError(issues)
  })
})
