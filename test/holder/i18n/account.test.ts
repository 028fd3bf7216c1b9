import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { accountText } from '../../../src/modules/holder/i18n/account.js'
import { LOCALES } from '../../../src/modules/holder/i18n/index.js'

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('data rights dictionary (Your data, remove, delete the account)', () => {
  const keys = Object.keys(accountText.en) as Array<keyof typeof accountText.en>

  it('has every key, non-empty, with the same placeholders, in every language', () => {
    for (const locale of LOCALES) {
      assert.deepEqual(Object.keys(accountText[locale]).sort(), [...keys].sort(), locale)
      for (const key of keys) {
        const value = accountText[locale][key]
        assert.ok(value.trim() !== '', `${locale}.${key} is empty`)
        assert.deepEqual(placeholders(value), placeholders(accountText.en[key]), `${locale}.${key} placeholders`)
      }
    }
  })

  it('is translated, not copied from English', () => {
    for (const locale of ['id', 'th'] as const) {
      assert.deepEqual(
        keys.filter((key) => accountText[locale][key] === accountText.en[key]),
        [],
        `${locale} copies English`,
      )
    }
  })
})
