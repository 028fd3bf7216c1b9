import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { h } from 'preact'
import { shortEmail } from '../../../src/modules/holder/views/layout.js'
import { OutcomePage } from '../../../src/modules/holder/views/outcome.js'
import { WalletItemNotFoundPage, WalletItemPage, WalletPage } from '../../../src/modules/holder/views/wallet.js'
import {
  foldForSearch,
  groupEntries,
  searchEntries,
  searchQuery,
  type WalletEntry,
} from '../../../src/modules/holder/views/wallet-model.js'
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

/** The page without the one script signed-in pages carry (it only tells the server the time zone): nothing else needs script. */
const withoutTimeZoneHint = (html: string) =>
  html.replace(/<script nonce="[^"]*" src="\/holder\/static\/time-zone\.js" defer><\/script>/, '')

const added = (day: number, partnerName = 'ABC University Network') => ({
  partnerName,
  acceptedAt: new Date(Date.UTC(2025, 0, day, 9)),
})

/** Kinds deliberately out of registry order and credentials oldest first: the page orders them. */
const entries: WalletEntry[] = [
  ...batchSampleFields('microcredential_items').map((fields, i) => ({
    ...credentialView('microcredential', fields),
    id: `micro-${i}`,
    ...added(i + 10),
  })),
  {
    ...credentialView('education', example('v1-education-open-cert.json').data.credential, {
      documents: [documentView()],
    }),
    id: 'melbourne',
    ...added(2, 'Université Numérique'),
  },
  { ...credentialView('education', batchSampleFields('education_items')[0]!), id: 'bsc', ...added(20) },
]

/** Before any of the samples' expiry dates. */
const TODAY = '2025-06-01'

const wallet = (query = '', locale: 'en' | 'id' | 'th' = 'en', today = TODAY) =>
  render(h(WalletPage, { ctx: pageContext(locale, { path: '/holder/wallet' }), entries, query, today }))

describe('wallet page', () => {
  const html = wallet()

  it('has a heading and a summary instead of a count line', () => {
    assert.match(html, /<h1>My wallet<\/h1>/)
    const text = textOf(html)
    assert.ok(text.includes('4 credentials, from ABC University Network and Université Numérique'), text)
    assert.doesNotMatch(text, /Credentials in your wallet/)
  })

  it('groups by kind in registry order, each heading with its count, and links to each kind', () => {
    const headings = [...html.matchAll(/<h2 id="(kind-[a-z_]+)">([^<]*)/g)].map((m) => [m[1], m[2]!.trim()])
    assert.deepEqual(headings, [
      ['kind-education', 'Qualifications'],
      ['kind-microcredential', 'Learning and development'],
    ])
    assert.ok(textOf(html).includes('Qualifications 2 2 credentials'), 'the count, and the words for screen readers')
    assert.match(html, /<nav class="wallet-kinds" aria-label="Kinds of credentials">/)
    assert.match(html, /href="#kind-education"/)
    assert.deepEqual(headingLevels(html), [1, 2, 2])
  })

  it('shows compact rows: title linking to its own page, issuer, date added; newest first; no card, no document', () => {
    const rows = [...html.matchAll(/<a class="row-title" href="([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]])
    assert.deepEqual(rows, [
      ['/holder/wallet/bsc', 'BSc — majoring in IT'],
      ['/holder/wallet/melbourne', 'Bachelor of Commerce (Honours) — majoring in Finance'],
      ['/holder/wallet/micro-1', 'AI Advanced'],
      ['/holder/wallet/micro-0', 'AI Essentials'],
    ])
    assert.match(html, /<span class="row-issuer">University of Melbourne<\/span>/)
    assert.match(html, /Added <time datetime="2025-01-20T09:00:00.000Z">/)
    assert.doesNotMatch(html, /class="card"|<iframe|<dl/)
  })

  it('has a search form that needs no script: GET to the wallet, labelled, keeping the query', () => {
    assert.match(html, /<form class="wallet-search" method="get" action="\/holder\/wallet">/)
    assert.match(html, /<label for="q">Search your wallet<\/label>/)
    assert.match(wallet('mélbourne'), /<input type="search" id="q" name="q" value="mélbourne"/)
    assert.doesNotMatch(withoutTimeZoneHint(html), /<script/)
  })

  it('filters on the server, case- and accent-insensitively, and says how many match', () => {
    const found = wallet('COMMERCE')
    assert.ok(textOf(found).includes('1 credential matches “COMMERCE”.'))
    assert.match(found, /href="\/holder\/wallet\/melbourne"/)
    assert.doesNotMatch(found, /href="\/holder\/wallet\/bsc"/)
    assert.match(wallet('universite numerique'), /href="\/holder\/wallet\/melbourne"/, 'accents ignored')
    assert.match(wallet('UNIVERSITÉ'), /href="\/holder\/wallet\/melbourne"/)
    assert.ok(textOf(wallet('ai')).includes('2 credentials match “ai”.'))
  })

  it('says so when nothing matches, and links back to everything', () => {
    const none = wallet('zzz')
    assert.match(none, /<p class="notice warning" role="status">No credential matches “zzz”/)
    assert.match(none, /<a href="\/holder\/wallet">Show all credentials<\/a>/)
    assert.doesNotMatch(none, /class="row-title"/)
  })

  it('escapes the query everywhere it is shown', () => {
    const hostile = wallet('<script>x</script>"')
    assert.doesNotMatch(hostile, /<script>x/)
    assert.match(hostile, /&lt;script>x&lt;\/script>&quot;|&lt;script&gt;x&lt;\/script&gt;&quot;/)
  })

  it('has an empty state', () => {
    const empty = render(h(WalletPage, { ctx: pageContext('id'), entries: [], query: '', today: TODAY }))
    assert.ok(textOf(empty).includes('Dompet Anda masih kosong.'))
    assert.doesNotMatch(empty, /<h2|wallet-search/)
  })

  it('is in Thai, with translated kinds and dates', () => {
    const th = wallet('', 'th')
    assert.match(th, /<html lang="th">/)
    assert.match(th, /<h2 id="kind-education">คุณวุฒิการศึกษา/)
    assert.ok(textOf(th).includes('เพิ่มเมื่อ 20 มกราคม ค.ศ. 2025'), textOf(th))
  })
})

describe('expired credentials', () => {
  // The samples' microcredentials expire on 2026-08-30 and 2026-10-30.
  it('are marked in the wallet once their expiry date has passed, in the holder’s language', () => {
    assert.doesNotMatch(wallet('', 'en', '2026-08-30'), /Expired/)
    const text = textOf(wallet('', 'en', '2026-10-31'))
    assert.ok(text.includes('Expired 30 August 2026'), text)
    assert.ok(text.includes('Expired 30 October 2026'), text)
    assert.ok(textOf(wallet('', 'id', '2026-10-31')).includes('Kedaluwarsa 30 Agustus 2026'))
  })

  it('are marked on their own page', () => {
    const entry = entries.find((e) => e.id === 'micro-0')!
    const page = (today: string) =>
      textOf(render(h(WalletItemPage, { ctx: pageContext('en', { path: '/holder/wallet/micro-0' }), entry, today })))
    assert.ok(page('2026-09-01').includes('Expired 30 August 2026'))
    assert.ok(!page('2026-08-01').includes('Expired'))
  })
})

describe('a credential’s own page', () => {
  const entry = entries.find((e) => e.id === 'melbourne')!
  const html = render(
    h(WalletItemPage, { ctx: pageContext('en', { path: '/holder/wallet/melbourne' }), entry, today: TODAY }),
  )

  it('shows the full card as the review does, under an h1, with when and from whom it was added', () => {
    assert.match(html, /<h1 class="title">Bachelor of Commerce \(Honours\) — majoring in Finance<\/h1>/)
    const text = textOf(html)
    assert.ok(text.includes('Issued by University of Melbourne'))
    assert.match(text, /Added to your wallet on (January 2, 2025|2 January 2025) ?, from Université Numérique/)
    assert.match(html, /class="card"/)
    assert.match(html, /href="\/holder\/documents\/asset-1\?download=1"/)
    assert.equal(headingLevels(html)[0], 1)
  })

  it('leads back to the wallet', () => {
    assert.match(html, /<nav class="item-nav"><a href="\/holder\/wallet">/)
  })

  it('has a not-found page that names nobody', () => {
    const missing = render(h(WalletItemNotFoundPage, { ctx: pageContext() }))
    assert.match(missing, /<h1>Credential not found<\/h1>/)
    assert.match(missing, /href="\/holder\/wallet">Back to my wallet/)
  })
})

describe('success page after accepting', () => {
  const ctx = pageContext()
  const html = render(
    h(OutcomePage, {
      ctx,
      outcome: 'verified',
      partnerName: 'University A',
      count: 10,
      kinds: [
        { credentialType: 'education', count: 2 },
        { credentialType: 'right_to_work', count: 1 },
      ],
    }),
  )

  it('confirms visually (an inline SVG, no external asset) and says what happened', () => {
    assert.match(html, /<svg class="outcome-icon"[^>]*aria-hidden="true"/)
    assert.doesNotMatch(html, /<img|url\(/)
    const text = textOf(html)
    assert.ok(text.includes('Added to your wallet'))
    assert.ok(text.includes('10 credentials from University A are now in your wallet.'))
    assert.ok(text.includes('University A has been told that you accepted.'))
    assert.ok(text.includes('Qualifications 2 2 credentials'), 'the count, and the words for screen readers')
    assert.ok(text.includes('Right to work 1 1 credential'))
  })

  it('says what the holder can do now, with a link to the wallet', () => {
    assert.ok(textOf(html).includes('What you can do now'))
    assert.match(html, /<a class="button" href="\/holder\/wallet">Open my wallet<\/a>/)
  })

  it('is in Indonesian and Thai', () => {
    const id = textOf(
      render(h(OutcomePage, { ctx: pageContext('id'), outcome: 'verified', partnerName: 'U', count: 3 })),
    )
    assert.ok(id.includes('3 kredensial dari U kini ada di dompet Anda.'))
    const th = textOf(
      render(h(OutcomePage, { ctx: pageContext('th'), outcome: 'verified', partnerName: 'U', count: 1 })),
    )
    assert.ok(th.includes('ข้อมูลรับรอง 1 รายการจาก U อยู่ในกระเป๋าของคุณแล้ว'))
  })
})

describe('wallet search and grouping', () => {
  it('folds case and accents, and leaves Thai as it is', () => {
    assert.equal(foldForSearch('  Université   DE Montréal '), 'universite de montreal')
    assert.equal(foldForSearch('ÅNGSTRÖM Ça'), 'angstrom ca')
    assert.equal(foldForSearch('คุณวุฒิการศึกษา'), 'คุณวุฒิการศึกษา')
  })

  it('reads ?q= leniently: a string (trimmed, cut at 100), anything else is no search', () => {
    assert.equal(searchQuery('  a  b '), 'a b')
    assert.equal(searchQuery(['a', 'b']), '')
    assert.equal(searchQuery(undefined), '')
    assert.equal(searchQuery('x'.repeat(500)).length, 100)
  })

  it('matches every word, in any field the holder reads (title, issuer, partner, kind)', () => {
    const ids = (query: string, locale: 'en' | 'th' = 'en') => searchEntries(locale, entries, query).map((e) => e.id)
    assert.deepEqual(ids('ai advanced'), ['micro-1'])
    assert.deepEqual(ids('qualifications'), ['melbourne', 'bsc'])
    assert.deepEqual(ids('abc network'), ['micro-0', 'micro-1', 'bsc'])
    assert.deepEqual(ids('คุณวุฒิ', 'th'), ['melbourne', 'bsc'])
    assert.deepEqual(
      ids(''),
      entries.map((e) => e.id),
    )
  })

  it('groups in registry order, newest first', () => {
    assert.deepEqual(
      groupEntries(entries).map((g) => [g.credentialType, g.entries.map((e) => e.id)]),
      [
        ['education', ['bsc', 'melbourne']],
        ['microcredential', ['micro-1', 'micro-0']],
      ],
    )
  })
})

describe('header', () => {
  const html = render(
    h(WalletPage, {
      ctx: pageContext('en', { signedInEmail: 'jo.citizen@example.com' }),
      entries,
      query: '',
      today: TODAY,
    }),
  )

  it('shortens the address on screen and keeps it whole for screen readers and as a tooltip', () => {
    assert.equal(shortEmail('jo.citizen@example.com'), 'j…@example.com')
    assert.equal(shortEmail('j@example.com'), 'j@example.com')
    assert.match(
      html,
      /<span class="who" title="jo.citizen@example.com"><span aria-hidden="true">j…@example.com<\/span>/,
    )
    assert.match(html, /<span class="visually-hidden">Signed in as jo.citizen@example.com<\/span>/)
  })

  it('puts the languages in a native menu, with no script', () => {
    assert.match(html, /<nav class="languages" aria-label="Language"><details class="menu"><summary>/)
    assert.match(html, /<span class="visually-hidden">Language: English<\/span>/)
    assert.match(html, /<a href="\/holder\/review\?lang=th" lang="th" hreflang="th">ไทย<\/a>/)
    assert.doesNotMatch(withoutTimeZoneHint(html), /<script/)
  })
})
