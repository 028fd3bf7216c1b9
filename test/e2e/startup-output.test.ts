import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { describeStartupFailure, EXIT_CODES, redactedDatabaseUrl } from '../../src/startup-failure.js'
import { freePort, PROJECT_ROOT, startServerProcess } from '../support/server-process.js'

/**
 * Runs the server as `npm start` does (`node bin/server.js`: dist/ while it matches the sources,
 * else the sources through tsx) until it exits on its own; its exit code and output.
 */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['bin/server.js'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
  return { code, out, err }
}

/** The usual mistakes end in one line on standard error: no stack trace. */
function assertOneLine(err: string, pattern: RegExp): void {
  const lines = err.trimEnd().split('\n')
  assert.equal(lines.length, 1, err)
  assert.match(lines[0]!, pattern)
  assert.doesNotMatch(err, /^\s+at /m)
}

const folders: string[] = []
const dataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-start-'))
  folders.push(dir)
  return path.join(dir, 'data')
}
after(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true })
})

describe('start-up output an operator can read', () => {
  it('a port in use: one line that says to set PORT, exit 9', async () => {
    const blocker = net.createServer()
    const port = await freePort()
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve))
    try {
      const { code, err } = await runUntilExit({ PORT: String(port), DATA_DIR: dataDir() })
      assert.equal(code, EXIT_CODES.portUnavailable, err)
      assertOneLine(err, new RegExp(`^credport: port ${port} on 127\\.0\\.0\\.1 is already in use .* set PORT`))
    } finally {
      blocker.close()
    }
  })

  it('an unreachable PostgreSQL: one line naming it without its password, exit 69', async () => {
    const closed = await freePort()
    const { code, out, err } = await runUntilExit({
      PORT: String(await freePort()),
      DATA_DIR: dataDir(),
      DATABASE_URL: `postgres://credport:hunter2-secret@127.0.0.1:${closed}/credport`,
    })
    assert.equal(code, EXIT_CODES.databaseUnavailable, err)
    assertOneLine(
      err,
      /^credport: cannot use the PostgreSQL database at postgres:\/\/credport:\*\*\*@127\.0\.0\.1:\d+\/credport \(ECONNREFUSED/,
    )
    assert.ok(!`${out}${err}`.includes('hunter2-secret'), 'the password is not printed')
  })

  it('PostgreSQL refusing the password: the same line with its SQLSTATE, exit 69', {
    skip: !process.env.TEST_DATABASE_URL && 'no PostgreSQL (run with npm test)',
  }, async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!)
    url.password = 'not-the-password'
    url.username = 'no_such_role'
    const { code, err } = await runUntilExit({
      PORT: String(await freePort()),
      DATA_DIR: dataDir(),
      DATABASE_URL: url.toString(),
    })
    assert.equal(code, EXIT_CODES.databaseUnavailable, err)
    assertOneLine(err, /^credport: cannot use the PostgreSQL database at .* \((28P01|28000)/)
    assert.ok(!err.includes('not-the-password'))
  })

  it('an invalid setting: one line listing it, exit 78', async () => {
    const { code, out, err } = await runUntilExit({ PORT: 'eighty', DATA_DIR: dataDir() })
    assert.equal(code, EXIT_CODES.configuration, err)
    assert.equal(out, '')
    assert.match(err, /^credport: Invalid configuration:\n\s+- PORT: /)
    assert.doesNotMatch(err, /^\s+at /m)
  })

  // One data folder for both: the second start is a restart, quicker than a first.
  const logsDataDir = dataDir()

  it('LOG_FORMAT=pretty writes readable lines, the listening line before the demo notice', async () => {
    const server = await startServerProcess({ DATA_DIR: logsDataDir, LOG_FORMAT: 'pretty' })
    try {
      // The notice is written right after the start line, possibly in a later chunk of the pipe.
      for (let waited = 0; !/Demo partner created.*\n/.test(server.stdout()) && waited < 10_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50))
      const lines = server.stdout().trimEnd().split('\n')
      const listening = lines.findIndex((line) => /^\[\d\d:\d\d:\d\d\] INFO: credport \S+ listening on http/.test(line))
      assert.ok(listening >= 0, server.stdout())
      assert.ok(!lines.some((line) => line.startsWith('{')), 'no JSON line')
      assert.ok(!lines[listening]!.includes('"details"'), 'the structured copy of the message is left out')
      const demo = lines.findIndex((line) => line.startsWith('Demo partner created'))
      assert.ok(demo > listening, 'the demo notice comes after the listening line')
    } finally {
      assert.equal(await server.stop(), 0)
    }
  })

  it('not on a terminal (and with LOG_FORMAT=json) log lines are JSON, the start line with its details', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir() })
    try {
      const start = server
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; details?: Record<string, unknown> })
        .find((entry) => entry.msg.includes('listening on'))
      assert.ok(start?.details, server.stdout())
      assert.equal(start.details.database, 'pglite')
      for (let waited = 0; !/Demo partner created.*\n/.test(server.stdout()) && waited < 10_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50))
      const out = server.stdout()
      assert.ok(
        out.indexOf('Demo partner created') > out.indexOf('listening on'),
        'the demo notice comes after the start line',
      )
      assert.match(String(start.details.address), /^http:\/\/127\.0\.0\.1:\d+$/)
    } finally {
      assert.equal(await server.stop(), 0)
    }
  })
})

describe('describeStartupFailure', () => {
  const context = { port: 80, host: '0.0.0.0', databaseUrl: 'postgres://u:p@db:5432/x?password=q' }

  it('a port below 1024 refused to this user says to pick another', () => {
    const error = Object.assign(new Error('listen EACCES'), { code: 'EACCES', syscall: 'listen' })
    const failure = describeStartupFailure(error, context)
    assert.equal(failure.exitCode, EXIT_CODES.portUnavailable)
    assert.match(failure.message, /may not listen on port 80: set PORT to 1024 or above/)
  })

  it('an EACCES that is not the listen socket is not mistaken for it', () => {
    const error = Object.assign(new Error('open EACCES'), { code: 'EACCES', syscall: 'open' })
    assert.equal(describeStartupFailure(error, context).exitCode, EXIT_CODES.failed)
  })

  it('a refused connection on every address (AggregateError) is the database unreachable', () => {
    const error = new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], '')
    assert.equal(describeStartupFailure(error, context).exitCode, EXIT_CODES.databaseUnavailable)
  })

  it('an unknown database (3D000) is the database unavailable; without DATABASE_URL the same code is not', () => {
    const error = Object.assign(new Error('database "x" does not exist'), { code: '3D000' })
    assert.equal(describeStartupFailure(error, context).exitCode, EXIT_CODES.databaseUnavailable)
    assert.equal(describeStartupFailure(error, { ...context, databaseUrl: undefined }).exitCode, EXIT_CODES.failed)
  })

  it('anything else keeps its stack', () => {
    const failure = describeStartupFailure(new TypeError('boom'), context)
    assert.equal(failure.exitCode, EXIT_CODES.failed)
    assert.match(failure.message, /^failed to start: TypeError: boom\n\s+at /)
  })

  it('the database URL is shown without password or query', () => {
    assert.equal(redactedDatabaseUrl(context.databaseUrl), 'postgres://u:***@db:5432/x')
    assert.equal(redactedDatabaseUrl('not a url'), 'DATABASE_URL')
  })
})
