import { keccak_256 } from '@noble/hashes/sha3'
import { isRecord } from '../credential-types/index.js'

/**
 * Offline integrity check of an OpenAttestation v2 wrapped document (what OpenCerts are), the
 * same computation as `verifySignature` of `@govtechsg/open-attestation` v6:
 *
 *   every leaf of `data` (flattened to `a.b.0.c` paths) → keccak256(JSON.stringify({path: value}));
 *   those hashes + `privacy.obfuscatedData`, sorted → keccak256(JSON.stringify(sorted)) = targetHash;
 *   targetHash folded with each `signature.proof` entry (keccak256 of the byte-sorted pair) = merkleRoot.
 *
 * Whether the merkle root was really issued (document store, DNS, DID) needs the network and is
 * never checked here: `issuer_identity` is always `not_checked`.
 */

export type OpenCertRejectReason = 'not_wrapped' | 'integrity_failed' | 'invalid_json'

/** The verification stored with an `open_cert` asset and shown to the holder. */
export type OpenCertVerification =
  | { status: 'verified'; issuer_identity: 'not_checked'; target_hash: string; merkle_root: string }
  | { status: 'rejected'; reason: OpenCertRejectReason; issuer_identity: 'not_checked' }

const HEX_HASH = /^[0-9a-fA-F]{64}$/

function keccakHex(data: string | Uint8Array): string {
  return Buffer.from(keccak_256(data)).toString('hex')
}

class MalformedDocument extends Error {}

/** Bounds that keep verification cheap and the stack safe on hostile documents. */
const MAX_DEPTH = 64
const MAX_LEAVES = 100_000
/**
 * Every leaf's whole path is hashed, so a long key above many leaves is hashed once per leaf:
 * the paths' total length is bounded, which keeps hashing linear in the document's size (real
 * certificates use a few hundred kilobytes of paths at most).
 */
const MAX_PATH_CHARS = 4 * 1024 * 1024

/**
 * Flattens like the `flatley` package as OpenAttestation calls it: objects and arrays are
 * walked (array indexes become path segments), empty ones are leaves, keys containing `.` are
 * refused. Iterative (no recursion), with bounded depth, leaf count and total path length.
 */
function flatten(root: Record<string, unknown> | unknown[], out: Array<[string, unknown]>): void {
  // A stack of frames walked in document order: keys are pushed in reverse.
  const stack: Array<{ path: string; value: unknown; depth: number }> = []
  const pushChildren = (value: object, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) throw new MalformedDocument(`nested more than ${MAX_DEPTH} levels deep`)
    const keys = Object.keys(value)
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!
      if (key.includes('.')) throw new MalformedDocument('key names must not contain "."')
      stack.push({ path: prefix ? `${prefix}.${key}` : key, value: (value as Record<string, unknown>)[key], depth })
    }
  }
  pushChildren(root, '', 1)
  let pathChars = 0
  while (stack.length > 0) {
    const { path, value, depth } = stack.pop()!
    if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
      pushChildren(value, path, depth + 1)
      continue
    }
    if (out.push([path, value]) > MAX_LEAVES) throw new MalformedDocument(`more than ${MAX_LEAVES} fields`)
    pathChars += path.length
    if (pathChars > MAX_PATH_CHARS)
      throw new MalformedDocument(`field paths longer than ${MAX_PATH_CHARS} characters in all`)
  }
}

/** The targetHash a v2 document's `data` and `privacy.obfuscatedData` digest to. */
export function digestDocument(document: { data: Record<string, unknown>; privacy?: unknown }): string {
  const leaves: Array<[string, unknown]> = []
  flatten(document.data, leaves)
  const hashes = leaves.map(([path, value]) => keccakHex(JSON.stringify({ [path]: value })))
  const privacy = document.privacy
  const obfuscated = isRecord(privacy) && privacy.obfuscatedData !== undefined ? privacy.obfuscatedData : []
  if (!Array.isArray(obfuscated) || !obfuscated.every((h) => typeof h === 'string')) {
    throw new MalformedDocument('privacy.obfuscatedData must be an array of hashes')
  }
  // Plain string order (UTF-16 code units), as lodash's sortBy orders strings.
  const sorted = [...(obfuscated as string[]), ...hashes].sort()
  return keccakHex(JSON.stringify(sorted))
}

/** Folds a Merkle proof onto a leaf: each step hashes the byte-sorted concatenation of the pair. */
export function merkleRootOf(targetHash: string, proof: string[]): string {
  let node = Buffer.from(targetHash, 'hex')
  for (const step of proof) {
    const pair = [node, Buffer.from(step, 'hex')].sort(Buffer.compare)
    node = Buffer.from(keccak_256(Buffer.concat(pair)))
  }
  return node.toString('hex')
}

/** True when the value looks like a wrapped v2 document at all (else it is reported `not_wrapped`). */
function isWrapped(document: Record<string, unknown>): boolean {
  return isRecord(document.data) && isRecord(document.signature)
}

/** Verifies an already parsed OpenCerts document. */
export function verifyOpenCertDocument(document: unknown): OpenCertVerification {
  const rejected = (reason: OpenCertRejectReason): OpenCertVerification => ({
    status: 'rejected',
    reason,
    issuer_identity: 'not_checked',
  })
  if (!isRecord(document)) return rejected('invalid_json')
  if (!isWrapped(document)) return rejected('not_wrapped')
  const signature = document.signature as Record<string, unknown>
  const { targetHash, merkleRoot, proof } = signature
  if (
    signature.type !== 'SHA3MerkleProof' ||
    typeof targetHash !== 'string' ||
    typeof merkleRoot !== 'string' ||
    !HEX_HASH.test(targetHash) ||
    !HEX_HASH.test(merkleRoot) ||
    !Array.isArray(proof) ||
    !proof.every((step) => typeof step === 'string' && HEX_HASH.test(step))
  ) {
    return rejected('integrity_failed')
  }
  let digest: string
  try {
    digest = digestDocument(document as { data: Record<string, unknown>; privacy?: unknown })
  } catch (error) {
    if (error instanceof MalformedDocument) return rejected('integrity_failed')
    throw error
  }
  // The library compares the digest with targetHash as strings (it writes lower case).
  if (digest !== targetHash) return rejected('integrity_failed')
  if (merkleRootOf(targetHash, proof as string[]) !== merkleRoot.toLowerCase()) return rejected('integrity_failed')
  return {
    status: 'verified',
    issuer_identity: 'not_checked',
    target_hash: targetHash,
    merkle_root: merkleRoot.toLowerCase(),
  }
}

/** What an OpenCerts upload turned out to be: not a JSON object at all, or an object and its verification. */
export type OpenCertInspection = { object: false } | { object: true; verification: OpenCertVerification }

/** Parses the bytes of an `open_cert` document and, when they are a JSON object, verifies it. */
export function inspectOpenCert(bytes: Uint8Array): OpenCertInspection {
  const parsed = parseJsonDocument(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  if (!isRecord(parsed)) return { object: false }
  return { object: true, verification: verifyOpenCertDocument(parsed) }
}

/** Parses OpenCerts JSON (bytes or text) and verifies it; unparseable input is `invalid_json`. */
export function verifyOpenCert(input: Buffer | string): OpenCertVerification {
  const parsed = parseJsonDocument(input)
  if (parsed === undefined) return { status: 'rejected', reason: 'invalid_json', issuer_identity: 'not_checked' }
  return verifyOpenCertDocument(parsed)
}

/** JSON text (UTF-8, an optional byte-order mark tolerated) → value, or undefined when it is not JSON. */
export function parseJsonDocument(input: Buffer | string): unknown {
  let text = typeof input === 'string' ? input : input.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
