import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** A real `credport` server process, as `npm start` runs it (bin/server.js: dist/ when it is up to date, else src/ through tsx). */
export interface ServerProcess {
  child: ChildProcessWithoutNullStreams
  url: string
  stdout(): string
  stderr(): string
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>
}

/** Starts `node bin/server.js` with `env` on a free port (or on `env.PORT` when the test chose one, e.g. for its PUBLIC_URL). */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const child = spawn(process.execPath, ['bin/server.js'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${err}`)
    // Ready once the start line is logged (and the demo partner's line, printed right after it, is complete).
    const demo = out.indexOf('Demo partner created')
    if (out.includes('listening on') && (demo < 0 || out.indexOf('\n', demo) > 0)) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not start in ${timeoutMs} ms: ${out}\n${err}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}

/**
 * The demo client a first start on PGlite created: a server whose standard output is no terminal
 * (a test's pipe) writes its credentials to `DATA_DIR/demo-client.txt` instead of printing them.
 */
export function readDemoClient(dataDir: string): { client_id: string; client_secret: string; text: string } {
  const text = fs.readFileSync(path.join(dataDir, 'demo-client.txt'), 'utf8')
  const client_id = /client_id: +(\S+)/.exec(text)?.[1]
  const client_secret = /client_secret: +(\S+)/.exec(text)?.[1]
  if (!client_id || !client_secret) throw new Error(`no demo client in demo-client.txt: ${text}`)
  return { client_id, client_secret, text }
}

/** A JSON request to a server process (`token`: a bearer token), its answer with the body parsed. */
export async function callServer(
  server: ServerProcess,
  method: string,
  url: string,
  options: { token?: string; json?: unknown } = {},
) {
  const response = await fetch(server.url + url, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.json ? { 'content-type': 'application/json' } : {}),
    },
    body: options.json ? JSON.stringify(options.json) : undefined,
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined }
}
