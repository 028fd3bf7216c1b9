import assert from 'node:assert/strict'
import { randomBytes, scryptSync } from 'node:crypto'
import { test } from 'node:test'
import { hashSecret, SCRYPT, verifySecret } from '../../src/lib/crypto.js'

test('a new secret hash names its parameters, verifies, and needs at most 1 MiB', async () => {
  const hash = await hashSecret('the-secret')
  const [scheme, n, r, p, salt, key] = hash.split('$')
  assert.equal(scheme, 'scrypt')
  assert.deepEqual([Number(n), Number(r), Number(p)], [SCRYPT.N, SCRYPT.r, SCRYPT.p])
  assert.ok(salt && key)
  // scrypt's memory is 128·N·r bytes: 16 MiB blocks stay resident after each check (glibc arenas).
  assert.ok(128 * SCRYPT.N * SCRYPT.r <= 1024 * 1024)
  // The work factor did not fall below the common N = 16384, r = 8, p = 1.
  assert.ok(SCRYPT.N * SCRYPT.r * SCRYPT.p >= 16384 * 8)
  assert.equal(await verifySecret('the-secret', hash), true)
  assert.equal(await verifySecret('another-secret', hash), false)
})

test('a hash made with the earlier parameters (N = 16384, r = 8, p = 1) still verifies', async () => {
  const salt = randomBytes(16)
  const key = scryptSync('old-secret', salt, 32, { N: 16384, r: 8, p: 1 })
  const stored = ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$')
  assert.equal(await verifySecret('old-secret', stored), true)
  assert.equal(await verifySecret('old-secret!', stored), false)
})

test('a malformed stored hash is refused, not thrown', async () => {
  for (const stored of ['', 'scrypt', 'bcrypt$1$2$3$c2FsdA$aGFzaA', 'scrypt$1024$8$16$$']) {
    assert.equal(await verifySecret('x', stored), false, stored)
  }
})
