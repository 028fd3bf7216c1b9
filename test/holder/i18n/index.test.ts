import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { h } from 'preact'
import { common } from '../../../src/modules/holder/i18n/common.js'
import { correctionsText } from '../../../src/modules/holder/i18n/corrections.js'
import { credentialsText } from '../../../src/modules/holder/i18n/credentials.js'
import { LOCALES, translator, type Dictionary } from '../../../src/modules/holder/i18n/index.js'
import { landing } from '../../../src/modules/holder/i18n/landing.js'
import { reviewText } from '../../../src/modules/holder/i18n/review.js'
import { sharingText } from '../../../src/modules/holder/i18n/sharing.js'
import { signIn } from '../../../src/modules/holder/i18n/sign-in.js'
import { walletText } from '../../../src/modules/holder/i18n/wallet.js'
import { CredentialCard } from '../../../src/modules/holder/views/credentials/card.js'
import { batchSampleFields, credentialView, example, pageContext, render, textOf } from '../views/support.js'

/** Strings that are the same in every language on purpose (a pure format, the brand). */
const SAME_EVERYWHERE = new Set(['documentOf', 'brand'])

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

for (const [name, dictionary] of [
  ['common', common],
  ['landing', landing],
  ['sign-in', signIn],
  ['credentials', credentialsText],
  ['review', reviewText],
  ['wallet', walletText],
  ['sharing', sharingText],
  ['corrections', correctionsText],
] as Array<[string, Dictionary<string>]>) {
  describe(`${name} dictionary`, () => {
    const keys = Object.keys(dictionary.en)
    it('has every key, non-empty, with the same placeholders, in every language', () => {
      for (const locale of LOCALES) {
        assert.deepEqual(Object.keys(dictionary[locale]).sort(), [...keys].sort(), locale)
        for (const key of keys) {
          const value = dictionary[locale][key]!
          assert.ok(value.trim() !== '', `${locale}.${key} is empty`)
          assert.deepEqual(placeholders(value), placeholders(dictionary.en[key]!), `${locale}.${key} placeholders`)
        }
      }
    })

    it('is translated, not copied from English', () => {
      for (const locale of ['id', 'th'] as const) {
        const copies = keys.filter((key) => !SAME_EVERYWHERE.has(key) && dictionary[locale][key] === dictionary.en[key])
        assert.deepEqual(copies, [], `${locale} copies English`)
      }
    })
  })
}

describe('translator', () => {
  const strings = {
    greet: 'Hello {name}, {count} new',
    plain: 'No placeholders',
    odd: 'Keep {unknown} and {constructor} and { }',
  }
  const t = translator<keyof typeof strings>(
    { en: strings, id: { ...strings, greet: 'Halo {name}' }, th: strings },
    'en',
  )

  it('fills every placeholder, in any order and more than once per call', () => {
    assert.equal(t('greet', { count: 3, name: 'Ana' }), 'Hello Ana, 3 new')
    assert.equal(t('greet', { name: 'Bo', count: 0 }), 'Hello Bo, 0 new')
    assert.equal(t('plain'), 'No placeholders')
  })

  it('leaves unknown placeholders as written, including names every object inherits', () => {
    assert.equal(t('odd', {}), 'Keep {unknown} and {constructor} and { }')
    assert.equal(t('greet'), 'Hello {name}, {count} new')
  })

  it('uses the language asked for', () => {
    const id = translator<keyof typeof strings>(
      { en: strings, id: { ...strings, greet: 'Halo {name}' }, th: strings },
      'id',
    )
    assert.equal(id('greet', { name: 'Ana' }), 'Halo Ana')
  })
})

describe('localized cards', () => {
  const sample = example('v1-microcredential-partner-chain.json').data.credential
  const card = (locale: 'id' | 'th', credential = credentialView('microcredential', sample)) =>
    render(h(CredentialCard, { ctx: pageContext(locale), credential }))

  it('uses Thai labels and Gregorian dates in Thai', () => {
    const text = textOf(card('th'))
    for (const expected of [
      'การเรียนรู้และพัฒนาตนเอง',
      'ออกโดย ExampleProvider ผ่าน Partner Organization',
      'ชื่อ John Doe',
      'วันที่ออก 31 สิงหาคม ค.ศ. 2024',
      'ผลการประเมิน 85%',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in: ${text}`)
    }
  })

  it('uses Indonesian labels and dates in Indonesian', () => {
    const text = textOf(card('id'))
    for (const expected of [
      'Pembelajaran dan pengembangan',
      'Diterbitkan oleh ExampleProvider melalui Partner Organization',
      'Nama John Doe',
      'Diterbitkan 31 Agustus 2024',
      'Berlaku sampai 31 Agustus 2026',
      'Hasil 85%',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in: ${text}`)
    }
  })

  it('translates the interface words of titles, keeping names as issued', () => {
    const education = credentialView('education', example('v1-education-open-cert.json').data.credential)
    assert.match(card('id', education), /<h2 class="title">Bachelor of Commerce \(Honours\) — jurusan Finance<\/h2>/)
    assert.match(card('th', education), /<h2 class="title">Bachelor of Commerce \(Honours\) — วิชาเอก Finance<\/h2>/)
    const identity = credentialView('digital_identity', batchSampleFields('digital_identity')[0]!)
    assert.match(card('id', identity), /<h2 class="title">Identitas John Doe<\/h2>/)
    const career = credentialView('career_history', example('v2-career-history.json').fields)
    assert.match(
      card('th', career),
      /<h2 class="title">Senior Software Engineer ที่ Company B และตำแหน่งก่อนหน้าอีก 1 ตำแหน่ง<\/h2>/,
    )
    const rights = credentialView('right_to_work', example('v1-right-to-work.json').data.credential)
    assert.match(
      card('id', rights),
      /<h2 class="title">Hak untuk bekerja di Singapura — Penduduk tetap Singapura<\/h2>/,
    )
  })
})
