import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { h } from 'preact'
import type { WalletModel } from '../../../src/modules/holder/views/models.js'
import { WalletPage } from '../../../src/modules/holder/views/wallet.js'
import {
  batchSampleFields,
  credentialView,
  documentView,
  example,
  headingLevels,
  pageContext,
  render,
  textOf,
} from './support.js'

const added = (day: number, partnerName = 'ABC University Network') => ({
  partnerName,
  acceptedAt: new Date(Date.UTC(2025, 0, day, 9)),
})

/** Groups deliberately out of registry order and credentials oldest first: the page orders them. */
const model: WalletModel = {
  groups: [
    {
      credentialType: 'microcredential',
      credentials: batchSampleFields('microcredential_items').map((fields, i) => ({
        ...credentialView('microcredential', fields),
        ...added(i + 10),
      })),
    },
    { credentialType: 'right_to_work', credentials: [] },
    {
      credentialType: 'education',
      credentials: [
        {
          ...credentialView('education', example('v1-education-open-cert.json').data.credential, {
            documents: [documentView()],
          }),
          ...added(2, 'University of Melbourne'),
        },
        { ...credentialView('education', batchSampleFields('education_items')[0]!), ...added(20) },
      ],
    },
  ],
}

describe('wallet', () => {
  const html = render(h(WalletPage, { ctx: pageContext('en', { path: '/holder/wallet' }), model }))

  it('groups by type in registry order, a heading per type, empty groups left out', () => {
    assert.match(html, /<h1>My wallet<\/h1>/)
    const groups = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1])
    assert.deepEqual(groups, ['Qualifications', 'Learning and development'])
    assert.ok(textOf(html).includes('Credentials in your wallet: 4'))
    assert.deepEqual(headingLevels(html).slice(0, 3), [1, 2, 3])
  })

  it('lists each group newest first, with when and from whom each was added', () => {
    const titles = [...html.matchAll(/<h3 class="title">([^<]*)<\/h3>/g)].map((m) => m[1])
    assert.deepEqual(titles, [
      'BSc — majoring in IT',
      'Bachelor of Commerce (Honours) — majoring in Finance',
      'AI Advanced',
      'AI Essentials',
    ])
    const text = textOf(html)
    assert.ok(text.includes('Added on 20 January 2025 from ABC University Network'), text)
    assert.ok(text.includes('Added on 2 January 2025 from University of Melbourne'))
    assert.match(html, /<time datetime="2025-01-20T09:00:00.000Z">20 January 2025<\/time>/)
  })

  it('shows issuer and documents on each card', () => {
    assert.ok(textOf(html).includes('Issued by University of Melbourne'))
    assert.match(html, /<h4 class="subhead">Documents<\/h4>/)
    assert.match(html, /<span class="file-icon pdf" aria-hidden="true">PDF<\/span>/)
    assert.doesNotMatch(html, /<iframe|<embed|<object/)
  })

  it('has an empty state', () => {
    const empty = render(h(WalletPage, { ctx: pageContext('id'), model: { groups: [] } }))
    assert.ok(textOf(empty).includes('Dompet Anda masih kosong.'))
    assert.doesNotMatch(empty, /<h2>/)
  })

  it('is in Thai with translated group names and dates', () => {
    const th = render(h(WalletPage, { ctx: pageContext('th'), model }))
    assert.match(th, /<html lang="th">/)
    assert.match(th, /<h2>คุณวุฒิการศึกษา<\/h2>/)
    assert.ok(textOf(th).includes('เพิ่มเมื่อ 20 มกราคม ค.ศ. 2025 จาก ABC University Network'), textOf(th))
  })
})
