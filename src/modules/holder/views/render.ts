import { randomBytes } from 'node:crypto'
import type { FastifyReply } from 'fastify'
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'

/** A fresh nonce for one response's Content-Security-Policy. */
export function newNonce(): string {
  return randomBytes(16).toString('base64')
}

/**
 * The pages' policy: scripts only by this response's nonce, styles only from our stylesheet,
 * images from ourselves, no frames in either direction, forms posted only to ourselves.
 */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Sends a server-rendered page (Preact escapes every text and attribute value). The page goes out
 * as UTF-8 bytes encoded once here: the string Preact builds is a rope of thousands of pieces, which
 * Fastify would otherwise flatten to count its bytes and Node encode again to write it.
 */
export function sendPage(reply: FastifyReply, nonce: string, page: VNode<object>, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', pageCsp(nonce))
    .send(Buffer.from(`<!doctype html>${renderToString(page)}`, 'utf8'))
}
