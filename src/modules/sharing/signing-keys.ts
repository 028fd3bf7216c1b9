import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { and, desc, gt, isNull, or } from 'drizzle-orm'
import { calculateJwkThumbprint, exportJWK } from 'jose'
import type { Executor } from '../../db/client.js'
import { signingKeys } from '../../db/schema.js'

export type SigningKeyRow = typeof signingKeys.$inferSelect

/** How long a key replaced by a rotation stays published by default: verifiers' caches and recent JWS keep verifying. */
export const DEFAULT_OVERLAP_DAYS = 7

/** A new Ed25519 key pair as stored: PKCS#8 PEM and the public JWK, its `kid` the JWK thumbprint (RFC 7638). */
async function newKeyRow(now: Date): Promise<SigningKeyRow> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const jwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(jwk)
  return {
    kid,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' },
    createdAt: now,
    retiresAt: null,
  }
}

/**
 * The key that signs now: the newest one no rotation has retired; made (and stored) the first
 * time. Instances share the table, so whichever signs, every instance publishes its public key.
 */
export async function currentSigningKey(db: Executor, now: Date): Promise<{ kid: string; key: KeyObject }> {
  let [row] = await db
    .select()
    .from(signingKeys)
    .where(isNull(signingKeys.retiresAt))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1)
  if (!row) {
    row = await newKeyRow(now)
    await db.insert(signingKeys).values(row)
  }
  return { kid: row.kid, key: createPrivateKey(row.privateKey) }
}

/** The public keys verifiers may meet: every key not past its retirement (RFC 7517 JWK Set). */
export async function publishedKeys(db: Executor, now: Date): Promise<{ keys: Array<Record<string, unknown>> }> {
  const rows = await db
    .select({ publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(or(isNull(signingKeys.retiresAt), gt(signingKeys.retiresAt, now)))
    .orderBy(desc(signingKeys.createdAt))
  return { keys: rows.map((row) => row.publicJwk) }
}

/**
 * Rotates: a new key signs from now on; the keys it replaces stop signing at once and stay
 * published for `overlapDays` (signatures made before the rotation keep verifying), then vanish.
 */
export async function rotateSigningKey(
  db: Executor,
  now: Date,
  overlapDays = DEFAULT_OVERLAP_DAYS,
): Promise<{ kid: string; retired: string[]; retiresAt: Date }> {
  const retiresAt = new Date(now.getTime() + overlapDays * 24 * 60 * 60 * 1000)
  const row = await newKeyRow(now)
  const retired = await db.transaction(async (tx) => {
    const old = await tx
      .update(signingKeys)
      .set({ retiresAt })
      .where(and(isNull(signingKeys.retiresAt)))
      .returning({ kid: signingKeys.kid })
    await tx.insert(signingKeys).values(row)
    return old.map((r) => r.kid)
  })
  return { kid: row.kid, retired, retiresAt }
}
