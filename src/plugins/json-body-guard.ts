import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { validationError } from '../errors.js'
import { escapePointerToken, type ValidationIssue } from '../lib/validation.js'

const MAX_DEPTH = 32
const MAX_ISSUES = 20

/**
 * Text PostgreSQL cannot store (NUL characters, unpaired UTF-16 surrogates) and absurd nesting,
 * found without recursion so that no body can exhaust the stack.
 */
function findUnstorableJson(root: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [{ value: root, pointer: '', depth: 0 }]
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value, pointer, depth } = stack.pop()!
    if (typeof value === 'string') {
      if (value.includes('\u0000')) issues.push({ pointer, message: 'must not contain the NUL character (\\u0000)' })
      else if (!value.isWellFormed()) issues.push({ pointer, message: 'must be valid Unicode (it contains an unpaired surrogate)' })
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    if (depth >= MAX_DEPTH) {
      issues.push({ pointer, message: `is nested too deeply (more than ${MAX_DEPTH} levels)` })
      continue
    }
    for (const [key, child] of Object.entries(value)) {
      const childPointer = `${pointer}/${escapePointerToken(key)}`
      if (key.includes('\u0000') || !key.isWellFormed()) issues.push({ pointer: childPointer, message: 'property name must be valid Unicode without NUL characters' })
      stack.push({ value: child, pointer: childPointer, depth: depth + 1 })
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
