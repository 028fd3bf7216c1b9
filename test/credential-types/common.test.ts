import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Type } from 'typebox'
import {
  copyOf,
  isCalendarDate,
  isRecord,
  isYearMonth,
  notBefore,
  nullable,
} from '../../src/modules/credential-types/common.js'
import { credentialTypes } from '../../src/modules/credential-types/registry.js'
import type { Json } from './support.js'

describe('common helpers', () => {
  test('isCalendarDate', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '1999-12-31', '2024-01-01'])
      assert.equal(isCalendarDate(ok), true, ok)
    const bad = [
      '2023-02-29',
      '1900-02-29',
      '2024-02-30',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-1-01',
      ' 2024-01-01',
    ]
    for (const value of [...bad, 20240101, null]) assert.equal(isCalendarDate(value), false, String(value))
  })
  test('copyOf: a deep copy that shares nothing with the original, a __proto__ key kept as a key', () => {
    const original = JSON.parse('{"a":{"b":[1,{"c":"x"}]},"n":null,"__proto__":{"polluted":true}}') as Json
    const copy = copyOf(original)
    assert.deepEqual(copy, original)
    assert.notEqual(copy.a, original.a)
    assert.notEqual((copy.a as Json).b, (original.a as Json).b)
    ;(((copy.a as Json).b as Json[])[1] as Json).c = 'changed'
    assert.equal((((original.a as Json).b as Json[])[1] as Json).c, 'x')
    assert.equal(Object.getPrototypeOf(copy), Object.prototype)
    assert.ok(Object.hasOwn(copy, '__proto__'))
    assert.deepEqual(Object.keys(copy), ['a', 'n', '__proto__'])
    assert.equal((copy as { polluted?: unknown }).polluted, undefined)
  })
  test('isYearMonth', () => {
    assert.equal(isYearMonth('2024-12'), true)
    for (const bad of ['2024-13', '2024-00', '2024-1', '2024-01-01', 202401])
      assert.equal(isYearMonth(bad), false, String(bad))
  })
  test('isRecord', () => {
    assert.equal(isRecord({}), true)
    for (const bad of [null, [], 'x', 1, undefined]) assert.equal(isRecord(bad), false, String(bad))
  })
  test('notBefore', () => {
    const dates = { from: '2024-02-29', to: '2024-02-28' }
    assert.deepEqual(notBefore(dates, 'to', 'from'), [{ pointer: '/to', message: 'must not be before from' }])
    assert.deepEqual(notBefore(dates, 'to', 'from', isCalendarDate, '/items/0'), [
      { pointer: '/items/0/to', message: 'must not be before from' },
    ])
    assert.deepEqual(notBefore({ from: '2024-02-29', to: '2024-02-29' }, 'to', 'from'), [])
    assert.deepEqual(
      notBefore({ from: '2024-02-30', to: '2024-02-28' }, 'to', 'from'),
      [],
      'malformed input: no opinion',
    )
    assert.deepEqual(notBefore({ to: '2024-02-28' }, 'to', 'from'), [])
  })
  test('nullable refuses a schema without a single type', () => {
    assert.throws(() => nullable(Type.Union([Type.String(), Type.Number()])), TypeError)
  })
})

/** Calls `visit` on every sub-schema with its location, e.g. `education.transcript.subjects[]`. */
function walk(schema: Json, where: string, visit: (schema: Json, where: string) => void): void {
  visit(schema, where)
  for (const [key, sub] of Object.entries<Json>(schema.properties ?? {})) walk(sub, `${where}.${key}`, visit)
  if (schema.items) walk(schema.items, `${where}[]`, visit)
  for (const [i, sub] of (schema.anyOf ?? []).entries()) walk(sub, `${where}|${i}`, visit)
}

const types = (schema: Json): string[] => [schema.type ?? []].flat()

describe('schemas are documented, closed and bounded', () => {
  for (const def of credentialTypes) {
    test(def.name, () => {
      walk(def.fields as Json, def.name, (schema, where) => {
        for (const [key, sub] of Object.entries<Json>(schema.properties ?? {})) {
          assert.ok(typeof sub.description === 'string' && sub.description.trim(), `${where}.${key} has a description`)
        }
        if (types(schema).includes('object')) assert.equal(schema.additionalProperties, false, `${where} is closed`)
        if (types(schema).includes('array')) assert.equal(typeof schema.maxItems, 'number', `${where} has maxItems`)
        if (types(schema).includes('string')) {
          const anchored = typeof schema.pattern === 'string' && /^\^.*\$$/.test(schema.pattern)
          assert.ok(typeof schema.maxLength === 'number' || anchored || schema.format, `${where} has a bounded length`)
        }
      })
    })
  }
})
