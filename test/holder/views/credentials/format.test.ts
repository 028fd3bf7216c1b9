import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  dateLocaleFor,
  formatDate,
  formatDay,
  formatInstant,
  knownTimeZone,
  todayIn,
} from '../../../../src/modules/holder/views/credentials/format.js'

// The one formatter of dates and times on the holder pages.

const instant = new Date('2024-01-01T14:00:00Z')

describe('date formats per locale', () => {
  it('English is day-month-year (as in Australia and the UK) unless the browser asks for US English', () => {
    assert.equal(dateLocaleFor('en', undefined), 'en-GB')
    assert.equal(dateLocaleFor('en', 'en-AU,en;q=0.9'), 'en-GB')
    assert.equal(dateLocaleFor('en', 'en'), 'en-GB')
    assert.equal(dateLocaleFor('en', 'fr-FR,en-US;q=0.8'), 'en-US')
    assert.equal(dateLocaleFor('en', 'en-GB,en-US;q=0.8'), 'en-GB', 'the first English variant decides')
    assert.equal(dateLocaleFor('id', 'en-US'), 'id', 'the page language decides for the others')
    assert.equal(dateLocaleFor('th', 'th-TH'), 'th')

    assert.equal(formatDate({ locale: 'en' }, '2024-01-01'), '1 January 2024')
    assert.equal(formatDate({ locale: 'en', dateLocale: 'en-GB' }, '2024-01'), 'January 2024')
    assert.equal(formatDate({ locale: 'en', dateLocale: 'en-US' }, '2024-01-01'), 'January 1, 2024')
    assert.equal(formatDate({ locale: 'id', dateLocale: 'id' }, '2024-01-01'), '1 Januari 2024')
    assert.equal(formatDate({ locale: 'th', dateLocale: 'th' }, '2024-01-01'), '1 มกราคม ค.ศ. 2024', 'Gregorian years')
    // Every Thai date names its era, months and instants as well as days: one page, one way of writing a year.
    assert.equal(formatDate({ locale: 'th', dateLocale: 'th' }, '2024-01'), 'มกราคม ค.ศ. 2024')
    assert.equal(
      formatInstant({ locale: 'th', dateLocale: 'th', timeZone: 'UTC' }, new Date(Date.UTC(2026, 11, 10, 2, 9))),
      '10 ธันวาคม ค.ศ. 2026 เวลา 02:09 UTC',
    )
    assert.equal(formatDate({ locale: 'en' }, '2024-01'), 'January 2024', 'no era in English')
    assert.equal(formatDate({ locale: 'en' }, '2024-02-30'), '2024-02-30', 'not a day: shown as sent')
    assert.equal(
      formatDate({ locale: 'en' }, '2024-01-01 and more'),
      '2024-01-01 and more',
      'not a date: shown as sent',
    )
    assert.equal(formatDate({ locale: 'en' }, 'x'.repeat(5000)), 'x'.repeat(5000))
  })

  it('writes a date already written in one locale afresh in another (the kept dates are per locale)', () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(formatDate({ locale: 'en', dateLocale: 'en-GB' }, '2023-07-04'), '4 July 2023')
      assert.equal(formatDate({ locale: 'en', dateLocale: 'en-US' }, '2023-07-04'), 'July 4, 2023')
      assert.equal(formatDate({ locale: 'id' }, '2023-07-04'), '4 Juli 2023')
      assert.equal(formatDate({ locale: 'en', dateLocale: 'en-US' }, '2023-07'), 'July 2023')
    }
  })

  it('times: in UTC with the zone named, or in the holder’s zone', () => {
    assert.equal(formatInstant({ locale: 'en' }, instant), '1 January 2024 at 14:00 UTC')
    assert.equal(formatInstant({ locale: 'en', dateLocale: 'en-US' }, instant), 'January 1, 2024 at 2:00 PM UTC')
    assert.equal(
      formatInstant({ locale: 'en', dateLocale: 'en-GB', timeZone: 'Australia/Sydney' }, instant),
      '2 January 2024 at 01:00 GMT+11',
    )
    assert.equal(formatInstant({ locale: 'id', timeZone: 'Asia/Jakarta' }, instant), '1 Januari 2024 pukul 21.00 WIB')
    assert.equal(
      formatInstant({ locale: 'th', timeZone: 'Asia/Bangkok' }, instant),
      '1 มกราคม ค.ศ. 2024 เวลา 21:00 GMT+7',
    )
    // A day is the holder's day too, and "today" follows their zone.
    assert.equal(formatDay({ locale: 'en', timeZone: 'Australia/Sydney' }, instant), '2 January 2024')
    assert.equal(formatDay({ locale: 'en' }, instant), '1 January 2024')
    // A stored value shaped like the key of a written day stays a value, and the day stays a day.
    assert.equal(formatDate({ locale: 'en' }, `UTC ${instant.getTime()}`), `UTC ${instant.getTime()}`)
    assert.equal(formatDay({ locale: 'en', dateLocale: 'en-GB' }, instant), '1 January 2024')
    assert.equal(formatDay({ locale: 'en', dateLocale: 'en-US' }, instant), 'January 1, 2024')
    assert.equal(formatDay({ locale: 'en', timeZone: 'Australia/Sydney' }, instant), '2 January 2024')
    assert.equal(todayIn({ locale: 'en', timeZone: 'Australia/Sydney' }, instant), '2024-01-02')
    assert.equal(todayIn({ locale: 'en' }, instant), '2024-01-01')
  })

  it('trusts only IANA time zones the runtime knows', () => {
    assert.equal(knownTimeZone('Asia/Bangkok'), 'Asia/Bangkok')
    assert.equal(knownTimeZone('UTC'), 'UTC')
    for (const bad of ['Mars/Olympus_Mons', '', '../etc', 'Asia/Bangkok; x=1', 'a'.repeat(80), undefined, 7])
      assert.equal(knownTimeZone(bad), undefined, String(bad))
  })
})
