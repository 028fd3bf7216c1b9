import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { describeEachBackend, type HttpResponse, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import {
  BATCH_SAMPLE_ID,
  STATUS_BULK,
  V1_BATCH,
  V2_BATCH,
  assertClientProblem,
  countSubmissions,
  example,
  replaceId,
  seededRandom,
  v1BatchOf,
  v1Path,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/**
 * Generated, seeded mutations of valid payloads (the v2 batch sample, a v1 single sample, the v2
 * career history sample, a v2 single add with a document, a v1 batch, a bulk status call): drop
 * each member, set it to null / a number / an array / an object / '' / '   ' / 100 000 characters /
 * NUL / a lone surrogate, add unknown keys at random depths, swap two values. Every answer must be
 * 201 (200 for status) or a 4xx problem (never 5xx, never a broken connection), and a 4xx must
 * store nothing.
 * Reproduce a failure with FUZZ_SEED=<seed> (printed in the test name).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2026)
/** Mutations per payload and backend; FUZZ_SCALE multiplies them for a longer local run. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1)
const mutationsFor = (n: number) => Math.round(n * SCALE)

type Path = Array<string | number>
type Mutation = { describe: string; apply: (root: any) => any; expect400?: boolean }

const LONG = 'x'.repeat(100_000)
const VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['a number', 42],
  ['an array', ['a']],
  ['an object', { a: 1 }],
  ['""', ''],
  ['"   "', '   '],
  ['100 000 characters', LONG],
  ['NUL', '\u0000'],
  ['a lone surrogate', 'a\ud800b'],
  ['true', true],
  ['a float', -1.5e300],
]
const UNKNOWN_KEYS = [
  'unknown',
  'a/b~c',
  '',
  ' ',
  'constructor',
  'toString',
  'ключ',
  'k'.repeat(300),
  'Full_Name',
  'credential_id ',
]

const pointer = (path: Path) => path.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')

function collectPaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path)
  if (Array.isArray(value)) value.forEach((v, i) => collectPaths(v, [...path, i], out))
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) collectPaths(v, [...path, k], out)
  return out
}

function getAt(root: any, path: Path): any {
  return path.reduce((node, token) => node[token], root)
}

/** A copy of `root` with the value at `path` replaced by `update(old)` (undefined deletes it). */
function update(root: any, path: Path, change: (parent: any, key: string | number) => void): any {
  if (path.length === 0) throw new Error('root')
  const copy = structuredClone(root)
  change(getAt(copy, path.slice(0, -1)), path.at(-1)!)
  return copy
}

function mutationsOf(base: unknown, random: () => number): Mutation[] {
  const paths = collectPaths(base)
  const list: Mutation[] = []
  for (const path of paths) {
    if (path.length === 0) {
      for (const [name, value] of VALUES) list.push({ describe: `body = ${name}`, apply: () => value })
      continue
    }
    list.push({
      describe: `drop ${pointer(path)}`,
      apply: (root) =>
        update(root, path, (parent, key) =>
          Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key],
        ),
    })
    for (const [name, value] of VALUES) {
      list.push({
        describe: `${pointer(path)} = ${name}`,
        apply: (root) => update(root, path, (parent, key) => void (parent[key] = structuredClone(value))),
        expect400: name === 'NUL' || name === 'a lone surrogate',
      })
    }
  }
  const objects = paths.filter((p) => {
    const node = getAt(base, p)
    return node && typeof node === 'object' && !Array.isArray(node)
  })
  for (const path of objects) {
    const key = UNKNOWN_KEYS[Math.floor(random() * UNKNOWN_KEYS.length)]!
    list.push({
      describe: `add unknown key ${JSON.stringify(key.slice(0, 20))} at ${pointer(path) || '/'}`,
      apply: (root) => {
        const copy = structuredClone(root)
        const node = getAt(copy, path)
        Object.defineProperty(node, key, {
          value: { injected: true },
          enumerable: true,
          configurable: true,
          writable: true,
        })
        return copy
      },
      expect400: true,
    })
  }
  const leaves = paths.filter((p) => p.length > 0)
  for (let i = 0; i < leaves.length; i++) {
    const [a, b] = [leaves[Math.floor(random() * leaves.length)]!, leaves[Math.floor(random() * leaves.length)]!]
    const related = pointer(a).startsWith(pointer(b)) || pointer(b).startsWith(pointer(a))
    if (related) continue
    list.push({
      describe: `swap ${pointer(a)} and ${pointer(b)}`,
      apply: (root) => {
        const copy = structuredClone(root)
        const [va, vb] = [structuredClone(getAt(copy, a)), structuredClone(getAt(copy, b))]
        getAt(copy, a.slice(0, -1))[a.at(-1)!] = vb
        getAt(copy, b.slice(0, -1))[b.at(-1)!] = va
        return copy
      },
    })
  }
  return list
}

/** Fisher–Yates with the seeded generator: the first `n` of a reproducible order. */
function pick<T>(list: T[], n: number, random: () => number): T[] {
  const copy = [...list]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy.slice(0, n)
}

interface Payload {
  name: string
  url: string
  /** The valid body the mutations are drawn from. */
  base: unknown
  /** The base with fresh ids (a mutation is applied to it), so that no request replays another. */
  fresh: () => unknown
  /** How many mutations to send (fewer when the body has fewer). */
  count: number
  /** 201 for an intake endpoint, 200 for status. */
  success: 200 | 201
}

/** A payload whose ids all contain `id`: fresh copies replace it with a new UUID. */
function withFreshIds(name: string, url: string, id: string, base: unknown, count: number): Payload {
  return { name, url, base, fresh: () => replaceId(base, id, randomUUID()), count: mutationsFor(count), success: 201 }
}

const FIXED_ID = '0f0f0f0f-1111-4222-8333-944444444444'
const PAYLOADS: Payload[] = [
  withFreshIds('v2 batch sample', V2_BATCH, BATCH_SAMPLE_ID, example('v2-batch.json'), 250),
  (() => {
    const base = example('v1-microcredential-partner-chain.json')
    return withFreshIds('v1 microcredential sample', v1Path('microcredential'), base.id, base, 120)
  })(),
  (() => {
    const base = example('v2-career-history.json')
    return withFreshIds('v2 career history sample', v2Path('career_history', false), base.credential_id, base, 80)
  })(),
  withFreshIds(
    'v2 universal credential with a document',
    v2Path('universal_credential'),
    FIXED_ID,
    {
      ...v2Body('universal_credential', FIXED_ID),
      assets: [{ asset_id: `${FIXED_ID}-asset`, asset_type: 'pdf' }],
    },
    80,
  ),
  withFreshIds(
    'v1 batch',
    V1_BATCH,
    FIXED_ID,
    v1BatchOf(['education', 'english_proficiency', 'right_to_work'], FIXED_ID),
    100,
  ),
  {
    name: 'bulk status',
    url: STATUS_BULK,
    base: { ids: ['id_1', 'id_2'] },
    fresh: () => ({ ids: ['id_1', 'id_2'] }),
    count: mutationsFor(60),
    success: 200,
  },
]

describeEachBackend(`fuzzing the intake endpoints (seed ${SEED})`, (use) => {
  for (const payload of PAYLOADS) {
    test(`up to ${payload.count} mutations of the ${payload.name} → ${payload.success} or a 4xx problem, and a 4xx stores nothing`, async () => {
      const t: TestApp = use()
      const { client, token } = await makePartnerWithToken(t)
      const random = seededRandom(SEED + PAYLOADS.indexOf(payload))
      const candidates = mutationsOf(payload.base, random)
      const mutations = pick(candidates, payload.count, random)
      assert.equal(mutations.length, Math.min(payload.count, candidates.length))
      assert.ok(mutations.length >= Math.min(payload.count, 40), `only ${mutations.length} distinct mutations`)
      const failures: string[] = []
      const statuses = new Map<number, number>()
      for (const mutation of mutations) {
        const context = `[seed ${SEED}] ${payload.name}: ${mutation.describe}`
        const before = await countSubmissions(t, client.partner_id)
        let response: HttpResponse
        try {
          response = await t.request('POST', payload.url, { json: mutation.apply(payload.fresh()), token })
        } catch (error) {
          failures.push(`${context}: request failed: ${(error as Error).message}`)
          continue
        }
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        const after = await countSubmissions(t, client.partner_id)
        try {
          if (response.status === 200 && payload.success === 200) {
            assert.ok(Array.isArray(response.body.credentials), context)
            assert.equal(after, before, context)
            assert.ok(!mutation.expect400, `${context}: answered, expected 400`)
          } else if (response.status === 201 && payload.success === 201) {
            assert.equal(typeof response.body.redirect_uri, 'string', context)
            const replayed = response.headers.get('idempotent-replayed') === 'true'
            assert.equal(after, before + (replayed ? 0 : 1), `${context}: one new submission per 201`)
            assert.ok(!mutation.expect400, `${context}: accepted, expected 400`)
          } else {
            assertClientProblem(response, context)
            assert.equal(after, before, `${context}: a ${response.status} left a submission behind`)
            if (mutation.expect400) assert.equal(response.status, 400, context)
          }
        } catch (error) {
          failures.push((error as Error).message.split('\n')[0]!)
        }
      }
      assert.deepEqual(failures, [], failures.join('\n'))
      // The generator did produce both outcomes (a fuzzer that only ever gets 400s tests little).
      assert.ok((statuses.get(payload.success) ?? 0) > 0, JSON.stringify([...statuses]))
      assert.ok((statuses.get(400) ?? 0) > 0, JSON.stringify([...statuses]))
      assert.equal((await t.request('GET', '/healthz')).status, 200, 'the server is still up')
    })
  }
})
