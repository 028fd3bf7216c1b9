import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { sweepFolder } from '../lib/folder-sweep.js'

export interface MailMessage {
  to: string
  subject: string
  text: string
  html?: string
}

/** Sends mail: through SMTP, or on the embedded default into an outbox folder of `.eml` files. */
export interface Mailer {
  readonly kind: 'smtp' | 'outbox'
  /** Sends a message; for the outbox, `location` is the file written. */
  send(message: MailMessage): Promise<{ location?: string }>
  close(): Promise<void>
}

/** Where the embedded default writes mail: `DATA_DIR/outbox`. */
export function outboxDirOf(dataDir: string): string {
  return path.join(dataDir, 'outbox')
}

/**
 * Text parts go out quoted-printable, never base64: a plain-text part reads as is in a mail
 * source or in an outbox file (`cat data/outbox/*.eml`): ASCII text verbatim, other scripts as
 * `=XX` escapes around it, and a code on a line of its own intact.
 */
const TEXT_ENCODING = 'quoted-printable'

// nodemailer is loaded with the first message (its ~3 MiB of heap): a process that sends none, such
// as a server on PostgreSQL whose holders have not signed in yet, never loads it.
async function smtpTransport(url: string) {
  const { default: nodemailer } = await import('nodemailer')
  return nodemailer.createTransport(url)
}

async function outboxTransport() {
  const { default: nodemailer } = await import('nodemailer')
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
}

/** SMTP when `smtpUrl` is set (`smtp://user:pass@host:587`, `smtps://…`); otherwise the outbox folder. */
export function createMailer(options: { smtpUrl?: string; outboxDir: string; from: string }): Mailer {
  if (options.smtpUrl) {
    const smtpUrl = options.smtpUrl
    let transport: ReturnType<typeof smtpTransport> | undefined
    return {
      kind: 'smtp',
      async send(message) {
        transport ??= smtpTransport(smtpUrl)
        await (await transport).sendMail({ from: options.from, textEncoding: TEXT_ENCODING, ...message })
        return {}
      },
      async close() {
        if (transport) (await transport).close()
      },
    }
  }
  fs.mkdirSync(options.outboxDir, { recursive: true, mode: 0o700 })
  let transport: ReturnType<typeof outboxTransport> | undefined
  return {
    kind: 'outbox',
    async send(message) {
      transport ??= outboxTransport()
      const info = await (await transport).sendMail({ from: options.from, textEncoding: TEXT_ENCODING, ...message })
      const file = path.join(
        options.outboxDir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`,
      )
      await fs.promises.writeFile(file, info.message as Buffer, { mode: 0o600 })
      return { location: file }
    },
    async close() {},
  }
}

/**
 * How long mail stays in the outbox: its sign-in codes are long dead by then, and the files hold
 * email addresses, which are not kept longer than needed.
 */
export const OUTBOX_RETENTION_MS = 24 * 3600_000

/** Deletes up to `limit` `.eml` files of the outbox last written before `cutoff`; returns how many. */
export async function purgeOutbox(outboxDir: string, cutoff: Date, limit: number): Promise<number> {
  return sweepFolder(outboxDir, { before: cutoff, limit, name: (name) => name.endsWith('.eml') })
}
