// The mail an app on the embedded default (no SMTP_URL) writes as .eml files in DATA_DIR/outbox,
// read back for tests: the HTTP-level holder tests and the browser tests both read it here.
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** A server whose mail goes to `DATA_DIR/outbox`: a test app, or a server process and its data folder. */
export interface MailingServer {
  config: { dataDir: string }
}

export interface OutboxMail {
  file: string
  to: string
  subject: string
  text: string
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (/base64/i.test(encoding ?? '')) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (/quoted-printable/i.test(encoding ?? '')) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return body
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeBody(data.replace(/_/g, ' '), 'quoted-printable'),
  )
}

/** The parts of a nodemailer `.eml` a test needs: To, Subject and the plain-text body (decoded). */
export function parseEml(raw: string, file = ''): OutboxMail {
  const normalised = raw.replace(/\r\n/g, '\n')
  const split = normalised.indexOf('\n\n')
  const head = split === -1 ? normalised : normalised.slice(0, split)
  const body = split === -1 ? '' : normalised.slice(split + 2)
  const header = (name: string) =>
    new RegExp(`^${name}:[ \\t]*(.*(?:\\n[ \\t].*)*)`, 'mi')
      .exec(head)?.[1]
      ?.replace(/\n[ \t]+/g, ' ')
      .trim() ?? ''
  const boundary = /boundary="?([^";\n]+)"?/i.exec(head)?.[1]
  let text = decodeBody(body, header('Content-Transfer-Encoding'))
  if (boundary) {
    const part = body.split(`--${boundary}`).find((p) => /content-type:\s*text\/plain/i.test(p)) ?? ''
    const trimmed = part.replace(/^\n/, '')
    const partSplit = trimmed.indexOf('\n\n')
    const partHead = trimmed.slice(0, partSplit)
    text = decodeBody(trimmed.slice(partSplit + 2).trim(), /content-transfer-encoding:\s*(\S+)/i.exec(partHead)?.[1])
  }
  return { file, to: decodeWords(header('To')), subject: decodeWords(header('Subject')), text }
}

/** The outbox folder of an app on the embedded default (no SMTP_URL): `DATA_DIR/outbox`. */
export const outboxDir = (t: MailingServer) => path.join(t.config.dataDir, 'outbox')

/** Every mail in the outbox addressed to `email`, oldest first. */
export function mailsTo(t: MailingServer, email: string): OutboxMail[] {
  const dir = outboxDir(t)
  if (!fs.existsSync(dir)) return []
  const wanted = email.toLowerCase()
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => {
      const file = path.join(dir, name)
      return { file, mtime: fs.statSync(file).mtimeMs, mail: parseEml(fs.readFileSync(file, 'utf8'), file) }
    })
    .filter(({ mail }) => mail.to.toLowerCase().replace(/^.*<([^>]+)>.*$/, '$1') === wanted)
    .sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file))
    .map(({ mail }) => mail)
}

/** The 6-digit code in a sign-in mail's text. */
export function codeIn(mail: OutboxMail): string {
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(mail.text)?.[1]
  if (!code) throw new Error(`no 6-digit code in ${mail.file}:\n${mail.text}`)
  return code
}

/**
 * The code of the newest sign-in mail to `email`, waiting up to `timeoutMs` for one to arrive
 * (the mail is written after the database commit). `after` skips mails already seen (their count).
 */
export async function latestSignInCode(
  t: MailingServer,
  email: string,
  options: { after?: number; timeoutMs?: number } = {},
): Promise<{ code: string; mail: OutboxMail }> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000)
  for (;;) {
    const mails = mailsTo(t, email)
    if (mails.length > (options.after ?? 0)) {
      const mail = mails.at(-1)!
      return { code: codeIn(mail), mail }
    }
    if (Date.now() > deadline) throw new Error(`no sign-in mail to ${email} in ${outboxDir(t)}`)
    await sleep(50)
  }
}
