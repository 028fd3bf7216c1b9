import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { createMailer } from '../../src/mail/mailer.js'
import { signInCodeMessage } from '../../src/modules/holder/auth/sign-in-mail.js'
import { parseEml } from '../support/outbox.js'

/** The MIME parts of a multipart .eml: each part's headers (lower-cased names) and its raw body. */
function partsOf(raw: string): Array<{ headers: Record<string, string>; body: string }> {
  const boundary = /boundary="?([^";\n]+)"?/i.exec(raw)?.[1]
  assert.ok(boundary, 'a multipart message')
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const text = part.replace(/^\r?\n/, '')
      const split = text.indexOf('\n\n')
      const headers = Object.fromEntries(
        text
          .slice(0, split)
          .replace(/\n[ \t]+/g, ' ')
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      )
      return { headers, body: text.slice(split + 2) }
    })
}

const CASES = [
  {
    locale: 'en',
    subject: 'Your sign-in code for University A’s credentials',
    sentence: 'Your Credport sign-in code is 407213. Use it to see the credentials University A wants to add',
  },
  {
    locale: 'id',
    subject: 'Kode masuk Anda untuk kredensial dari University A',
    sentence: 'Kode masuk Credport Anda adalah 407213. Gunakan kode ini untuk melihat kredensial',
  },
  {
    locale: 'th',
    subject: 'รหัสเข้าสู่ระบบสำหรับข้อมูลรับรองจาก University A',
    sentence: 'รหัสเข้าสู่ระบบ Credport ของคุณคือ 407213 ใช้รหัสนี้เพื่อดูข้อมูลรับรองที่ University A',
  },
] as const

describe('sign-in mail in the outbox: readable text part in every language', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-mail-'))
  after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const mailer = createMailer({ outboxDir: dir, from: 'Credport <no-reply@credport.invalid>' })

  for (const { locale, subject, sentence } of CASES) {
    it(`${locale}: text/plain quoted-printable (not base64) with the code as is, an HTML part, the translated subject`, async () => {
      const message = signInCodeMessage({
        to: 'holder@example.com',
        code: '407213',
        locale,
        validMinutes: 10,
        issuer: 'University A',
      })
      const { location } = await mailer.send(message)
      const raw = fs.readFileSync(location!, 'utf8')
      const parts = partsOf(raw)
      const text = parts.find((p) => /^text\/plain/i.test(p.headers['content-type'] ?? ''))
      const html = parts.find((p) => /^text\/html/i.test(p.headers['content-type'] ?? ''))
      assert.ok(text && html, 'a text and an HTML part')
      assert.match(text.headers['content-type']!, /charset=utf-8/i)
      assert.equal(text.headers['content-transfer-encoding'], 'quoted-printable')
      assert.notEqual(html.headers['content-transfer-encoding'], 'base64')
      assert.doesNotMatch(raw, /content-transfer-encoding:\s*base64/i)
      // `cat` shows the code: alone on its line, in the raw bytes of the file.
      assert.match(text.body, /^ {4}407213$/m)
      const parsed = parseEml(raw)
      assert.equal(parsed.subject, subject)
      assert.ok(parsed.text.startsWith(sentence), parsed.text)
      assert.doesNotMatch(parsed.subject, /\d{6}/)
      if (locale !== 'th') assert.ok(text.body.replace(/=\n/g, '').includes(sentence.slice(0, 30)), 'ASCII text as is')
    })
  }

  it('without an issuer: the plain subject; the issuer name cannot break the subject line', async () => {
    const plain = signInCodeMessage({ to: 'a@example.com', code: '123456', locale: 'en', validMinutes: 10 })
    assert.equal(plain.subject, 'Your Credport sign-in code')
    const hostile = signInCodeMessage({
      to: 'a@example.com',
      code: '123456',
      locale: 'en',
      validMinutes: 10,
      issuer: 'Uni\r\nBcc: victim@example.com <b>',
    })
    assert.equal(hostile.subject, 'Your sign-in code for Uni Bcc: victim@example.com <b>’s credentials')
    assert.match(hostile.html ?? '', /Uni Bcc: victim@example\.com &lt;b&gt;/)
    const raw = fs.readFileSync((await mailer.send(hostile)).location!, 'utf8')
    const head = raw.slice(0, raw.indexOf('\n\n'))
    assert.doesNotMatch(head, /^Bcc:/im)
    assert.equal(parseEml(raw).subject, hostile.subject)
  })
})
