import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import nodemailer from 'nodemailer'

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

/** SMTP when `smtpUrl` is set (`smtp://user:pass@host:587`, `smtps://…`); otherwise the outbox folder. */
export function createMailer(options: { smtpUrl?: string; outboxDir: string; from: string }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl)
    return {
      kind: 'smtp',
      async send(message) {
        await transport.sendMail({ from: options.from, ...message })
        return {}
      },
      async close() {
        transport.close()
      },
    }
  }
  fs.mkdirSync(options.outboxDir, { recursive: true, mode: 0o700 })
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    kind: 'outbox',
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message })
      const file = path.join(options.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`)
      await fs.promises.writeFile(file, info.message as Buffer, { mode: 0o600 })
      return { location: file }
    },
    async close() {},
  }
}
