import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Type } from 'typebox'
import { compileValidator } from '../../src/lib/validation.js'

const Body = Type.Object({
  event_types: Type.Union([Type.Array(Type.Enum(['a.b', 'c.d']), { minItems: 1 }), Type.Null()]),
  name: Type.Union([Type.String({ maxLength: 3 }), Type.Null()]),
})
const check = compileValidator(Body)

test('a value of one branch type that fails inside it reports what is wrong inside', () => {
  assert.deepEqual(check({ event_types: ['a.b', 'x.y'], name: null }), [
    { pointer: '/event_types/1', message: 'must be one of: "a.b", "c.d"' },
  ])
})

test('a value of no branch type reports the union', () => {
  assert.deepEqual(check({ event_types: 'a.b', name: 7 }), [
    { pointer: '/event_types', message: 'must be an array or null' },
    { pointer: '/name', message: 'must be a string or null' },
  ])
})

test('a value of one branch type that fails at itself (too short, too long) says so, not "must be an array or null"', () => {
  assert.deepEqual(check({ event_types: [], name: 'long' }), [
    { pointer: '/event_types', message: 'must contain at least one item' },
    { pointer: '/name', message: 'must be at most 3 characters long' },
  ])
})

test('a value matching the types of several branches reports the union (its message)', () => {
  const Either = Type.Object({
    v: Type.Union([Type.String({ minLength: 5 }), Type.String({ pattern: '^x' })], {
      errorMessage: 'must be five characters or more, or start with x',
    }),
  })
  assert.deepEqual(compileValidator(Either)({ v: 'ab' }), [
    { pointer: '/v', message: 'must be five characters or more, or start with x' },
  ])
})
