import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SubmissionRow } from '../../src/db/schema.js'
import { AppError } from '../../src/errors.js'
import {
  assertDecidable,
  assertFound,
  assertHeldBy,
  effectiveStatus,
  holderViewOf,
} from '../../src/modules/submissions/submission-state.js'

const NOW = new Date('2026-01-02T00:00:00Z')
const LATER = new Date('2026-01-03T00:00:00Z')
const EARLIER = new Date('2026-01-01T00:00:00Z')

function submission(overrides: Partial<SubmissionRow> = {}): SubmissionRow {
  return {
    id: 'a0000000-0000-4000-8000-000000000001',
    partnerId: 'a0000000-0000-4000-8000-000000000002',
    clientId: 'cpc_test',
    partnerRef: 'ref',
    isCurrent: true,
    envelope: 'v2-batch',
    redirectPath: 'batch',
    documentType: null,
    bodyHash: '',
    status: 'incomplete',
    createdAt: EARLIER,
    expiresAt: LATER,
    openedAt: null,
    finalizedAt: null,
    cancelReason: null,
    dataDeletedAt: null,
    holderId: 'h',
    ...overrides,
  }
}

const refused = (code: string) => (error: unknown) => error instanceof AppError && error.code === code

describe('submission state rules', () => {
  test('an incomplete submission past its expiry is canceled (finalized when it expired) and expired for its holder', () => {
    const expired = submission({ expiresAt: EARLIER })
    assert.deepEqual(effectiveStatus(expired, NOW), { status: 'canceled', finalizedAt: EARLIER })
    assert.equal(holderViewOf(expired, NOW), 'expired')
    assert.equal(holderViewOf(submission(), NOW), 'open')
    assert.equal(holderViewOf(submission({ status: 'verified', finalizedAt: NOW }), NOW), 'verified')
    assert.equal(holderViewOf(submission({ status: 'canceled', cancelReason: 'declined' }), NOW), 'declined')
    assert.equal(holderViewOf(submission({ status: 'canceled', cancelReason: 'expired' }), NOW), 'expired')
  })

  test('guards throw catalogued errors: not_found, forbidden, conflict', () => {
    assert.throws(() => assertFound(undefined), refused('not_found'))
    assert.throws(() => assertHeldBy(submission(), 'someone else'), refused('forbidden'))
    assert.doesNotThrow(() => assertDecidable(submission(), 'h', NOW))
    assert.throws(() => assertDecidable(submission(), 'someone else', NOW), refused('forbidden'))
    assert.throws(() => assertDecidable(submission({ status: 'verified' }), 'h', NOW), refused('conflict'))
    assert.throws(() => assertDecidable(submission({ expiresAt: NOW }), 'h', NOW), refused('conflict'))
  })
})
