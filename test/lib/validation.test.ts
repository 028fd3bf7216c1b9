import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Type } from 'typebox'
import { checkBody, FULL_CHECK_VALUES, holdsMoreValuesThan } from '../../src/lib/validation.js'

describe('holdsMoreValuesThan: every value counts one, the body itself included', () => {
  test('scalars, arrays and objects at the limit and one past it', () => {
    assert.equal(holdsMoreValuesThan('x', 1), false)
    assert.equal(holdsMoreValuesThan('x', 0), true)
    // The array and its three numbers: four values.
    assert.equal(holdsMoreValuesThan([1, 2, 3], 4), false)
    assert.equal(holdsMoreValuesThan([1, 2, 3], 3), true)
    // The object, its array, the array's object and that object's string: four.
    assert.equal(holdsMoreValuesThan({ a: [{ b: 'c' }] }, 4), false)
    assert.equal(holdsMoreValuesThan({ a: [{ b: 'c' }] }, 3), true)
  })

  test('a huge array is known to be over the limit without being walked', () => {
    assert.equal(holdsMoreValuesThan(new Array(1_000_000), 4000), true)
  })
})

describe('checkBody: every problem of a body up to FULL_CHECK_VALUES values, the first beyond', () => {
  const Schema = Type.Object(
    { list: Type.Array(Type.Object({ n: Type.Integer() }, { additionalProperties: false }), { maxItems: 10_000 }) },
    { additionalProperties: false },
  )
  const objects = (count: number, n: unknown) => Array.from({ length: count }, () => ({ n }))

  test('at the limit: one issue for each bad value, rules run too', () => {
    // 1 body + 1 array + 1999 objects + 1999 values = 4000 values.
    const checked = checkBody(Schema, { list: objects(1999, 'x') }, () => [{ pointer: '', message: 'a rule' }])
    assert.equal(FULL_CHECK_VALUES, 4000)
    assert.equal(checked.ok, false)
    assert.ok(!checked.ok)
    assert.equal(checked.firstOnly, false)
    assert.equal(checked.issues.length, 2000)
    assert.deepEqual(checked.issues.at(-1), { pointer: '', message: 'a rule' })
  })

  test('past the limit: the first issue only, said so, and no rules', () => {
    let rulesRan = false
    const checked = checkBody(Schema, { list: objects(2000, 'x') }, () => {
      rulesRan = true
      return []
    })
    assert.ok(!checked.ok)
    assert.equal(checked.firstOnly, true)
    assert.deepEqual(checked.issues, [{ pointer: '/list/0/n', message: 'must be an integer' }])
    assert.equal(rulesRan, false)
  })

  test('past the limit and valid: accepted after its rules, which still report every issue', () => {
    const body = { list: objects(5000, 1) }
    assert.deepEqual(checkBody(Schema, body), { ok: true, value: body })
    const ruled = checkBody(Schema, body, () => [
      { pointer: '/list/0', message: 'first' },
      { pointer: '/list/1', message: 'second' },
    ])
    assert.ok(!ruled.ok)
    assert.equal(ruled.firstOnly, false)
    assert.equal(ruled.issues.length, 2)
  })
})
