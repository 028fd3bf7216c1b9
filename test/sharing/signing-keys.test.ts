import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { describeEachBackend, type TestApp } from '../support/app.js'
import {
  DEFAULT_OVERLAP_DAYS,
  publishedKeys,
  rotateSigningKey,
  signShareContent,
} from '../../src/modules/sharing/index.js'
import type { ShareContent } from '../../src/modules/sharing/index.js'

const DAY = 24 * 60 * 60 * 1000

const content = (t: TestApp): ShareContent => ({
  linkId: '00000000-0000-4000-8000-000000000000',
  includeDocuments: false,
  createdAt: t.clock.now(),
  expiresAt: new Date(t.clock.now().getTime() + 30 * DAY),
  holderNames: ['Jane Citizen'],
  credentials: [],
})

describeEachBackend('share signing keys: one made on first use, rotation with overlap', (use) => {
  test('a rotation signs with the new key at once; the old one stays published for the overlap, then goes', async () => {
    const t = use()
    const first = await signShareContent(t.deps, content(t), 'http://credport.test/s/x')
    const before = await publishedKeys(t.deps.db, t.clock.now())
    assert.ok(before.keys.length >= 1)
    const rotated = await rotateSigningKey(t.deps.db, t.clock.now())
    assert.ok(rotated.retired.length >= 1)
    assert.equal(rotated.retiresAt.getTime() - t.clock.now().getTime(), DEFAULT_OVERLAP_DAYS * DAY)

    const second = await signShareContent(t.deps, content(t), 'http://credport.test/s/x')
    const during = createLocalJWKSet(await publishedKeys(t.deps.db, t.clock.now()))
    const verified = await jwtVerify(second, during, { currentDate: t.clock.now() })
    assert.equal(verified.protectedHeader.kid, rotated.kid)
    // Signed before the rotation: still verifies during the overlap.
    await jwtVerify(first, during, { currentDate: t.clock.now() })

    t.clock.advance(DEFAULT_OVERLAP_DAYS * DAY + 1000)
    const after = await publishedKeys(t.deps.db, t.clock.now())
    assert.ok(after.keys.every((k) => !rotated.retired.includes(String(k.kid))))
    assert.ok(after.keys.some((k) => k.kid === rotated.kid))
    await assert.rejects(jwtVerify(first, createLocalJWKSet(after), { currentDate: t.clock.now() }))
  })
})
