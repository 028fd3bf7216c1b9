import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { createMailer, purgeOutbox } from '../../src/mail/mailer.js'

test('the outbox keeps recent mail and deletes older .eml files, at most `limit` per pass', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-outbox-'))
  try {
    const mailer = createMailer({ outboxDir: dir, from: 'Credport <no-reply@credport.invalid>' })
    const written: string[] = []
    for (let i = 0; i < 4; i++)
      written.push((await mailer.send({ to: `holder${i}@example.com`, subject: 'Your code', text: 'code' })).location!)
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not mail')
    const now = Date.now()
    const daysAgo = (days: number) => new Date(now - days * 24 * 3600_000)
    // Three written two days ago, one just now.
    for (const file of written.slice(0, 3)) fs.utimesSync(file, daysAgo(2), daysAgo(2))
    fs.utimesSync(path.join(dir, 'notes.txt'), daysAgo(2), daysAgo(2))

    const cutoff = daysAgo(1)
    assert.equal(await purgeOutbox(dir, cutoff, 2), 2)
    assert.equal(await purgeOutbox(dir, cutoff, 2), 1)
    assert.equal(await purgeOutbox(dir, cutoff, 2), 0)
    assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(written[3]!), 'notes.txt'].sort())
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a missing outbox folder is nothing to purge', async () => {
  assert.equal(
    await purgeOutbox(path.join(os.tmpdir(), `credport-none-${process.pid}-${Date.now()}`), new Date(), 10),
    0,
  )
})
