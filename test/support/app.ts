import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp, loggerOptions } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { createDeps, type Deps } from '../../src/deps.js'
import { ManualClock } from '../../src/lib/clock.js'
import { installContractCheck } from './contract.js'
import { backends, freshDatabase, type Backend } from './databases.js'
import { checkSdkAgreement } from './sdk-agreement.js'

export interface HttpResponse<T = any> {
  status: number
  headers: Headers
  body: T
  text: string
}

export interface RequestOptions {
  headers?: Record<string, string>
  /** A value to send as JSON, or a string / Buffer to send as is. */
  json?: unknown
  body?: string | Buffer
  token?: string
}

/** The real application on a real port, with a controllable clock and its own database. */
export interface TestApp {
  backend: Backend
  app: FastifyInstance
  deps: Deps
  clock: ManualClock
  config: Config
  baseUrl: string
  request<T = any>(method: string, url: string, options?: RequestOptions): Promise<HttpResponse<T>>
  /** The error-level log lines since the last call (and forgets them). */
  takeErrorLogs(): string[]
  /**
   * With the contract check on (`TestAppOptions.contract`): every answer of a documented operation
   * that the document does not describe (its status, media type or body), since the start.
   */
  contractMismatches: string[]
  close(): Promise<void>
}

/** Where a test app's log lines go, when a test reads more than its errors. */
export interface LogCapture {
  level: 'info' | 'debug'
  /** Receives every log line (JSON) at `level` and above. */
  lines: string[]
}

export interface TestAppOptions {
  /**
   * Check every answer of the API against /openapi.json (test/support/contract.ts): its status is
   * documented for the operation, with its media type, and its body matches the documented schema.
   * `CONTRACT_CHECK=1 npm test` turns it on for every suite.
   */
  contract?: boolean
}

/** Builds and starts the app on a fresh database of the given backend. */
export async function startTestApp(
  backend: Backend,
  env: Record<string, string> = {},
  logs?: LogCapture,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-test-'))
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://credport.test', LOG_LEVEL: 'silent', ...env })
  const clock = new ManualClock(new Date())
  const database = await freshDatabase(backend)
  const deps = await createDeps(config, { clock, database })
  // Error-level log lines are kept, so that a test can check a request logged none.
  const errorLogs: string[] = []
  const write = (line: string) => {
    logs?.lines.push(line)
    if (JSON.parse(line).level >= 50) errorLogs.push(line)
  }
  const app = await buildApp(deps, {
    logger: { ...(loggerOptions(logs?.level ?? 'error') as object), stream: { write } },
  })
  const contract = options.contract ?? process.env.CONTRACT_CHECK === '1'
  const contractMismatches = contract ? installContractCheck(app) : []
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    backend,
    app,
    deps,
    clock,
    config,
    baseUrl: address,
    request: (method, url, options = {}) => httpRequest(address, method, url, options),
    takeErrorLogs: () => errorLogs.splice(0),
    contractMismatches,
    async close() {
      await app.close()
      await deps.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Real HTTP to the running server (fetch), parsing JSON bodies when the response is JSON. */
export async function httpRequest<T = any>(
  baseUrl: string,
  method: string,
  url: string,
  options: RequestOptions = {},
): Promise<HttpResponse<T>> {
  const headers: Record<string, string> = { ...options.headers }
  let body: string | Buffer | undefined = options.body
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['content-type'] ??= 'application/json'
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  const response = await fetch(new URL(url, baseUrl), { method, headers, body: body as BodyInit | undefined })
  const text = await response.text()
  const type = response.headers.get('content-type') ?? ''
  const parsed = type.includes('json') && text ? JSON.parse(text) : text
  const answer = { status: response.status, headers: response.headers, body: parsed as T, text }
  checkSdkAgreement(method, new URL(url, baseUrl), options.json, answer)
  return answer
}

/**
 * Declares the same tests once per database backend (PGlite, and PostgreSQL when available),
 * each with its own app and fresh database. `use()` returns the current app inside tests.
 */
export function describeEachBackend(
  name: string,
  body: (use: () => TestApp) => void,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): void {
  for (const backend of backends()) describeOnBackend(backend, name, body, env, options)
}

/**
 * One backend's part of describeEachBackend: a slow file can be split in one file per backend
 * (`<name>.pglite.test.ts`, `<name>.postgres.test.ts`) that run at the same time. On `postgres`
 * without TEST_DATABASE_URL it declares nothing, as describeEachBackend would.
 */
export function describeOnBackend(
  backend: Backend,
  name: string,
  body: (use: () => TestApp) => void,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): void {
  if (!backends().includes(backend)) return
  describe(`${name} [${backend}]`, () => {
    let current: TestApp | undefined
    before(async () => {
      current = await startTestApp(backend, env, undefined, options)
    })
    after(async () => {
      const errors = current?.takeErrorLogs() ?? []
      const mismatches = [...new Set(current?.contractMismatches ?? [])]
      await current?.close()
      assert.deepEqual(errors, [], 'nothing in this suite logged an error the test did not expect')
      assert.deepEqual(mismatches, [], 'every answer in this suite is the one /openapi.json documents')
    })
    body(() => {
      if (!current) throw new Error('test app not started')
      return current
    })
  })
}
