import type { FastifyReply, FastifyRequest } from 'fastify'

/** The sign-in page. */
export const SIGN_IN_PATH = '/holder/sign-in'

/** Where a signed-in holder goes: the review of the submission they opened, else their wallet. */
export function signedInHome(request: FastifyRequest): string {
  return request.holder.session?.pendingSubmissionId ? '/holder/review' : '/holder/wallet'
}

/**
 * For routes that need a signed-in holder: true when there is one; otherwise answers
 * 303 → `/holder/sign-in` and returns false (the handler then returns the reply).
 */
export function requireSignedIn(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.holder.holder) return true
  void reply.header('cache-control', 'no-store').redirect(SIGN_IN_PATH, 303)
  return false
}
