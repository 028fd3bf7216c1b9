import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { h } from 'preact'
import { Documents } from '../../../../src/modules/holder/views/credentials/documents.js'
import type { DocumentView } from '../../../../src/modules/holder/views/models.js'
import { documentView, pageContext, render, textOf } from '../support.js'

const one = (document: DocumentView, locale: 'en' | 'id' | 'th' = 'en') =>
  render(h(Documents, { ctx: pageContext(locale), documents: [document], title: 'AI Essentials', level: 3 }))
const notArrived = { viewUrl: null, downloadUrl: null, bytes: null }
/** The "Download" button of a document card (an attribute `download`, a name that says what). */
const DOWNLOAD = / download aria-label="Download [^"]+">Download<\/a>/

describe('documents', () => {
  it('renders nothing for a credential without documents', () => {
    assert.equal(render(h(Documents, { ctx: pageContext(), documents: [], title: 'X', level: 3 })), '')
  })

  for (const state of ['awaiting_upload', 'awaiting_fetch'] as const) {
    it(`shows ${state} as awaited from the issuer`, () => {
      const html = one(documentView({ state, ...notArrived }))
      assert.match(html, /<h3 class="subhead">Documents<\/h3>/)
      assert.match(html, /<span class="badge neutral">Not received yet<\/span>/)
      assert.doesNotMatch(html, /<iframe|<img|download|Open/)
    })
  }

  it('says a missing document never arrived', () => {
    assert.match(one(documentView({ state: 'missing', ...notArrived })), /This document never arrived/)
  })

  it('gives the reason of a rejected fetch in words, in a bad badge', () => {
    const html = one(documentView({ state: 'rejected', rejectReason: 'host_not_allowed', ...notArrived }))
    assert.match(html, /<span class="badge bad">Not accepted<\/span>/)
    assert.ok(textOf(html).includes('The document is on a website the issuer has not registered with us'))
    const unknown = one(documentView({ state: 'rejected', rejectReason: '<b>odd_reason</b>', ...notArrived }))
    assert.ok(textOf(unknown).includes('The document was not accepted (reason: <b>odd_reason</b>)'))
    assert.doesNotMatch(unknown, /<b>/)
  })

  it('shows a received PDF as a light document card: type icon, size, "Open" in a new tab and "Download"; never embedded', () => {
    const html = one(documentView())
    assert.doesNotMatch(html, /<iframe|<embed|<object|<img/)
    assert.match(
      html,
      /<span class="file-icon pdf" aria-hidden="true">PDF<\/span><strong>PDF document<\/strong><span class="size">52 kB<\/span>/,
    )
    assert.match(
      html,
      /<a class="button secondary small" href="\/holder\/documents\/asset-1" target="_blank" rel="noopener" aria-label="Open PDF document of AI Essentials in a new tab">Open<\/a>/,
    )
    assert.match(
      html,
      /<a class="button secondary small" href="\/holder\/documents\/asset-1\?download=1" download aria-label="Download PDF document of AI Essentials">Download<\/a>/,
    )
  })

  for (const assetType of ['png', 'jpg'] as const) {
    it(`shows a received ${assetType} image with a text alternative`, () => {
      const html = one(documentView({ assetType }))
      assert.match(
        html,
        new RegExp(
          `<img class="document-image" src="/holder/documents/asset-1" alt="${assetType === 'png' ? 'PNG' : 'JPEG'} image: AI Essentials" loading="lazy"`,
        ),
      )
      assert.match(html, DOWNLOAD)
      assert.match(html, /target="_blank" rel="noopener"[^>]*>Open</)
    })
  }

  it('shows a verified OpenCerts document with a good badge, the issuer identity not checked, and a download', () => {
    const html = one(
      documentView({
        assetType: 'open_cert',
        state: 'verified',
        verification: { status: 'verified', issuer_identity: 'not_checked', target_hash: 'ab', merkle_root: 'ab' },
      }),
    )
    assert.match(
      html,
      /<span class="badge good">Verified: the document has not been changed since it was issued<\/span>/,
    )
    assert.ok(textOf(html).includes('Issuer identity: not checked'))
    assert.match(html, /<strong>OpenCerts certificate<\/strong><span class="size">52 kB<\/span>/)
    assert.match(html, / download aria-label="Download OpenCerts certificate of AI Essentials">Download<\/a>/)
    assert.doesNotMatch(html, /<iframe|<img|>Open</, 'OpenCerts data is only downloaded')
  })

  const rejectedCert = (reason: string) =>
    documentView({
      assetType: 'open_cert',
      state: 'rejected',
      rejectReason: reason,
      verification: { status: 'rejected', reason, issuer_identity: 'not_checked' },
    })

  it('explains an OpenCerts file that is not wrapped, and still offers it for download', () => {
    const html = one(rejectedCert('not_wrapped'))
    assert.match(html, /<span class="badge bad">Not verified: not a signed document<\/span>/)
    assert.ok(
      textOf(html).includes(
        'This OpenCerts file is not a wrapped, signed document, so its integrity cannot be checked.',
      ),
    )
    assert.match(html, DOWNLOAD)
    assert.doesNotMatch(html, /Not accepted/)
  })

  it('explains an OpenCerts document changed after issue', () => {
    const html = one(rejectedCert('integrity_failed'))
    assert.match(html, /Not verified: the document was changed/)
    assert.ok(textOf(html).includes('The document was changed after it was issued.'))
  })

  it('links nothing but same-origin paths and https URLs', () => {
    const html = one(documentView({ viewUrl: 'javascript:alert(1)', downloadUrl: '//evil.example/x' }))
    assert.doesNotMatch(html, /javascript:|evil\.example|<iframe| download|>Open</)
  })

  it('speaks Thai and Indonesian', () => {
    assert.ok(textOf(one(documentView({ state: 'awaiting_upload', ...notArrived }), 'th')).includes('ยังไม่ได้รับ'))
    assert.ok(textOf(one(rejectedCert('integrity_failed'), 'id')).includes('Tidak terverifikasi: dokumen telah diubah'))
  })
})
