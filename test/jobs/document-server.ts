import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import https from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

export const DOCS_HOST = 'docs.partner.test'
export const OTHER_HOST = 'other.partner.test'

/** A self-signed certificate for the test host names, made with `openssl` (null when it is not installed). */
export function makeTestCertificate(): { key: string; cert: string } | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-cert-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${DOCS_HOST}`,
        '-addext',
        `subjectAltName=DNS:${DOCS_HOST},DNS:${OTHER_HOST},DNS:localhost,IP:127.0.0.1`,
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    }
  } catch {
    return null
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void

/** An https server on 127.0.0.1 serving whatever each test registers under its own path. */
export class DocumentServer {
  private readonly handlers = new Map<string, Handler>()
  readonly hits = new Map<string, number>()
  private server: https.Server | undefined
  port = 0

  constructor(private readonly certificate: { key: string; cert: string }) {}

  async start(): Promise<void> {
    this.server = https.createServer(
      { key: this.certificate.key, cert: this.certificate.cert },
      (request, response) => {
        const pathname = new URL(request.url ?? '/', 'https://x').pathname
        this.hits.set(pathname, (this.hits.get(pathname) ?? 0) + 1)
        const handler = this.handlers.get(pathname)
        if (handler) handler(request, response)
        else response.writeHead(404).end()
      },
    )
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  /** Registers a handler; returns its URL on `host`. */
  serve(pathname: string, handler: Handler, host = DOCS_HOST): string {
    this.handlers.set(pathname, handler)
    return this.url(pathname, host)
  }

  /** Serves fixed bytes with 200. */
  serveBytes(pathname: string, bytes: Buffer, contentType = 'application/octet-stream'): string {
    return this.serve(pathname, (_request, response) =>
      response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length }).end(bytes),
    )
  }

  url(pathname: string, host = DOCS_HOST): string {
    return `https://${host}:${this.port}${pathname}`
  }

  hitsOf(pathname: string): number {
    return this.hits.get(pathname) ?? 0
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}
