import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { common } from '../../../src/modules/holder/i18n/common.js'
import { LOCALES, type Dictionary } from '../../../src/modules/holder/i18n/index.js'
import { walletText } from '../../../src/modules/holder/i18n/wallet.js'

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
/** Strings that are the same in every language on purpose. */
const SAME_EVERYWHERE = new Set(['brand'])

for (const [name, dictionary] of [
  ['wallet', walletText],
  ['common', common],
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
