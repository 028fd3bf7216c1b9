import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const config = loadConfig({})
    assert.equal(config.port, 8080)
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.publicUrl, 'http://localhost:8080')
    assert.equal(config.dataDir, path.resolve('./data'))
    assert.equal(config.databaseUrl, undefined)
    assert.equal(config.tokenTtlSeconds, 7200)
    assert.equal(config.bodyLimitBytes, 1024 * 1024)
    assert.equal(config.logLevel, 'info')
    assert.equal(config.requestTimeoutMs, 5 * 60_000)
    assert.equal(config.idleTimeoutMs, 30_000)
  })

  it('parses durations, sizes and URLs', () => {
    const config = loadConfig({
      PORT: '9000',
      PUBLIC_URL: 'https://credport.example.edu/',
      TOKEN_TTL: '30m',
      BODY_LIMIT: '512kb',
      DATABASE_URL: 'postgres://u:p@db:5432/credport',
    })
    assert.equal(config.port, 9000)
    assert.equal(config.publicUrl, 'https://credport.example.edu')
    assert.equal(config.tokenTtlSeconds, 1800)
    assert.equal(config.bodyLimitBytes, 512 * 1024)
    assert.equal(config.databaseUrl, 'postgres://u:p@db:5432/credport')
  })

  it('PUBLIC_URL defaults to the configured port', () => {
    assert.equal(loadConfig({ PORT: '9123' }).publicUrl, 'http://localhost:9123')
  })

  it('treats empty variables as unset', () => {
    assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).port, 8080)
  })

  it('reports every problem at once', () => {
    let caught: unknown
    try {
      loadConfig({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://x',
        TOKEN_TTL: 'forever',
        ADMIN_TOKEN: 'short',
        TOKEN_SIGNING_KEY: 'too-short',
      })
    } catch (error) {
      caught = error
    }
    assert.ok(caught instanceof ConfigError)
    const names = caught.problems.map((p) => p.split(':')[0])
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'TOKEN_TTL', 'ADMIN_TOKEN', 'TOKEN_SIGNING_KEY']) {
      assert.ok(names.includes(name), `${name} missing from ${caught.problems.join('; ')}`)
    }
  })

  it('bounds the HTTP timeouts from below', () => {
    assert.equal(loadConfig({ REQUEST_TIMEOUT: '2m', IDLE_TIMEOUT: '5s' }).idleTimeoutMs, 5000)
    assert.throws(
      () => loadConfig({ REQUEST_TIMEOUT: '5s', IDLE_TIMEOUT: '0' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.deepEqual(
          error.problems.map((p) => p.split(':')[0]),
          ['REQUEST_TIMEOUT', 'IDLE_TIMEOUT'],
        )
        return true
      },
    )
  })

  it('reports a value out of range together with a malformed one (one message, not one per start)', () => {
    assert.throws(
      () => loadConfig({ PORT: '99999', TOKEN_TTL: '5', LOG_LEVEL: 'loud' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.deepEqual(error.problems.map((p) => p.split(':')[0]).sort(), ['LOG_LEVEL', 'PORT', 'TOKEN_TTL'])
        return true
      },
    )
  })

  it('checks ranges after parsing', () => {
    assert.throws(
      () => loadConfig({ PORT: '70000', TOKEN_TTL: '10s' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.problems.length, 2)
        return true
      },
    )
  })
})
