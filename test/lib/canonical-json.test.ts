import assert from 'node:assert/strict'
import { test } from 'node:test'
import { canonicalJson, hashJson } from '../../src/lib/canonical-json.js'
import { example } from '../support/intake-helpers.js'

/**
 * JSON.stringify with every object's keys sorted, as long as no key looks like an array index
 * (engines list those first whatever the insertion order, so this reference cannot sort them).
 */
function reference(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  )
}

/** A small seeded generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const KEYS = [
  'a',
  'b',
  'Z',
  'é',
  '日本',
  '__proto__',
  'constructor',
  '',
  ' ',
  '"q"',
  '1.5',
  '-1',
  '\u0000',
  '\ud83d\ude00',
]
const STRINGS = ['', 'x', 'ü', '\n\t"\\', '\u2028', '\ud800', 'a/b', '</script>']

function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 5 : 7))
  switch (pick) {
    case 0:
      return null
    case 1:
      return next() < 0.5
    case 2:
      return [0, -0, 1.5, -1e21, 1e-7, 2 ** 53, 123456789][Math.floor(next() * 7)]
    case 3:
      return STRINGS[Math.floor(next() * STRINGS.length)]
    case 4:
      return Math.floor(next() * 1000)
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1))
    default: {
      const object: Record<string, unknown> = {}
      for (let i = Math.floor(next() * 5); i > 0; i--) {
        Object.defineProperty(object, KEYS[Math.floor(next() * KEYS.length)]!, {
          value: value(next, depth + 1),
          enumerable: true,
          configurable: true,
          writable: true,
        })
      }
      return object
    }
  }
}

test('equals JSON.stringify with sorted keys on 2 000 generated JSON values', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const v = value(random(seed), 0)
    assert.equal(canonicalJson(v), reference(v), `seed ${seed}`)
  }
})

/** The same value with every object's keys inserted in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed)
  if (value === null || typeof value !== 'object') return value
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(copy, key, {
      value: reversed((value as Record<string, unknown>)[key]),
      enumerable: true,
      configurable: true,
      writable: true,
    })
  }
  return copy
}

test('lossless and independent of key order, array-index-like keys included', () => {
  const keys = [...KEYS, '9', '10', '0', '4294967295']
  for (let seed = 1; seed <= 500; seed++) {
    const next = random(seed)
    const v = value(next, 0)
    const withIndexKeys = {
      [keys[Math.floor(next() * keys.length)]!]: v,
      [keys[Math.floor(next() * keys.length)]!]: [v],
    }
    for (const candidate of [v, withIndexKeys]) {
      const text = canonicalJson(candidate)
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(candidate)), `seed ${seed}`)
      assert.equal(canonicalJson(reversed(candidate)), text, `seed ${seed}`)
    }
  }
  // Plain code-unit order for every key: "10" before "9", index-like or not.
  assert.equal(canonicalJson({ a: 3, 9: 1, 10: 2, Z: 0 }), '{"10":2,"9":1,"Z":0,"a":3}')
})

test('the same value written with its keys in another order gives the same text and hash', () => {
  const a = JSON.parse('{"b":{"y":[1,{"q":1,"p":2}],"x":null},"a":"é"}')
  const b = JSON.parse('{"a":"é","b":{"x":null,"y":[1,{"p":2,"q":1}]}}')
  assert.equal(canonicalJson(a), '{"a":"é","b":{"x":null,"y":[1,{"p":2,"q":1}]}}')
  assert.equal(hashJson(a), hashJson(b))
  assert.notEqual(hashJson(a), hashJson({ ...b, a: 'e' }))
})

test('members JSON leaves out are left out; array holes and undefined become null', () => {
  assert.equal(canonicalJson({ b: undefined, a: () => 1, c: [undefined, 1] }), '{"c":[null,1]}')
  assert.equal(canonicalJson(undefined), 'null')
  assert.equal(canonicalJson({ when: new Date(0) }), '{"when":"1970-01-01T00:00:00.000Z"}')
})

test('the hashes of the public samples are pinned: stored body hashes must keep matching after an upgrade', () => {
  // Changing the canonical form turns every replay within SUBMISSION_TTL of an earlier version
  // into a 409: if this fails, that change needs a migration, not a new expected value.
  const hashOf = (file: string) => hashJson(example(file))
  assert.equal(hashOf('v2-batch.json'), '84eda49269d43cfe3d3e46ce56db95a0f2b0fbff72599d5fd3a831e9f84b732c')
  assert.equal(
    hashOf('v1-microcredential-pdf.json'),
    '6e6508868d13475ef59e6496fa81c9310671e9de37b5857adfe59dc67805a6cf',
  )
})
