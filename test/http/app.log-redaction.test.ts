import assert from 'node:assert/strict'
import { it } from 'node:test'
import { serializeError } from '../../src/app.js'

it('logged errors keep neither bound query parameters nor multi-line messages', () => {
  const error = Object.assign(
    new Error('Failed query: insert into "holders" ("email") values ($1)\nparams: jo@example.com'),
    {
      params: ['jo@example.com'],
      cause: { code: '23505' },
    },
  )
  const logged = JSON.stringify(serializeError(error))
  assert.ok(!logged.includes('jo@example.com'), logged)
  assert.match(logged, /"code":"23505"/)
  assert.match(logged, /Failed query: insert into/)
})
