import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { browserSkipReason } from '../../support/browser.js'
import { backends } from '../../support/databases.js'
import { assertCleanPage, browserSuite, newPartner, statusOf, submitBatchSample, submitV1, upload } from './support.js'

/**
 * The holder's whole journey in a real browser (spec §10): the partner submits, the holder opens
 * the redirect link, signs in with the code emailed to the outbox, reviews, decides; the partner
 * sees the outcome through the status API.
 */

/** The titles a person reads for the v2 batch sample's ten credentials. */
const BATCH_SAMPLE_TITLES = [
  'Identity of John Doe',
  'AI Essentials',
  'AI Advanced',
  'BSc — majoring in IT',
  'Master of Science — majoring in IT',
  'English SPEAKING',
  'English WRITING',
  'Right to work in Singapore — Singapore permanent resident',
  'Senior Software Engineer at Company A',
  'Example Certification',
].sort()

/** Text that would mean raw data, not words, reached the page. */
const RAW_DATA = /[{}[\]]|":|\[object Object\]|undefined|null\b|NaN/

/**
 * The v2 batch sample end to end: every credential and document reviewed (document cards, only
 * for their holder), accepted into the wallet. Run on each blob store.
 */
async function batchJourney(suite: ReturnType<typeof browserSuite>): Promise<void> {
  const t = suite.app()
  const partner = await newPartner(t)
  const submitted = await submitBatchSample(t, partner)
  assert.equal(submitted.uploads.length, 4)
  await upload(t, submitted, '-micro-1-asset', 'pdf')
  await upload(t, submitted, '-micro-2-asset', 'png')

  const holder = await suite.holder('batch.holder')
  await holder.openLink(submitted.redirectUri)
  await holder.signIn()
  const page = holder.page
  assert.equal(new URL(page.url()).pathname, '/holder/review')

  // Every credential, by its human title, each with its kind — no raw JSON.
  assert.match(await page.locator('main h1').innerText(), /wants to add 10 credentials to your wallet/)
  assert.deepEqual((await page.locator('main .card .title').allInnerTexts()).sort(), BATCH_SAMPLE_TITLES)
  for (const kind of await page.locator('main .card .kind').allInnerTexts()) assert.match(kind, /^[A-Za-z ]+$/)
  // Every card opens from its summary (native <details>) to show its facts and documents.
  for (const summary of await page.locator('main .card details > summary').all()) await summary.click()
  const review = await holder.mainText()
  assert.doesNotMatch(review, RAW_DATA)
  for (const fact of ['University of Melbourne', 'Skill Test Provider', 'Company A', 'Example Issuer', 'EnglishScore'])
    assert.ok(review.includes(fact), fact)

  // Uploaded documents as light cards (never an embedded PDF viewer), the PNG also shown; the
  // two never uploaded shown as awaited.
  assert.equal(await page.locator('main iframe, main embed, main object').count(), 0)
  const opens = page.locator('main .documents a[target="_blank"]')
  const images = page.locator('main img.document-image')
  assert.equal(await opens.count(), 2, 'the PDF and the PNG open in a tab of their own')
  assert.equal(await images.count(), 1, 'the PNG is shown')
  await images.scrollIntoViewIfNeeded()
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('main img.document-image')
    return img?.complete && img.naturalWidth > 0
  })
  const awaited = page.locator('main .documents .badge', { hasText: 'Not received yet' })
  assert.equal(await awaited.count(), 2)
  assert.equal(await page.locator('main .notice.info').count(), 1, 'the page says some documents are still to come')

  const pdfUrl = (await page
    .locator('main .documents a[target="_blank"]', { hasText: 'Open' })
    .first()
    .getAttribute('href'))!
  const pngUrl = (await images.getAttribute('src'))!
  assert.notEqual(pdfUrl, pngUrl)
  const pdf = await holder.fetch(pdfUrl)
  assert.equal(pdf.status(), 200)
  assert.equal(pdf.headers()['content-type'], 'application/pdf')
  assert.ok((await pdf.body()).subarray(0, 5).equals(Buffer.from('%PDF-')))
  const png = await holder.fetch(pngUrl)
  assert.equal(png.status(), 200)
  assert.equal(png.headers()['content-type'], 'image/png')

  // Another signed-in holder gets nothing.
  const stranger = await suite.holder('batch.stranger')
  await stranger.signInDirectly()
  assert.equal(new URL(stranger.page.url()).pathname, '/holder/wallet')
  assert.equal((await stranger.fetch(pdfUrl)).status(), 404)
  assert.equal((await stranger.fetch(pngUrl)).status(), 404)

  await holder.decide('accept')
  await holder.goto('/holder/wallet')
  assert.deepEqual((await page.locator('main .row-title').allInnerTexts()).sort(), BATCH_SAMPLE_TITLES)
  await Promise.all([
    page.waitForURL('**/holder/wallet/*'),
    page.locator('main .row-title', { hasText: 'AI Essentials' }).click(),
  ])
  assert.equal(await page.locator('main h1').innerText(), 'AI Essentials')
  assert.ok(
    (await page.locator('main').innerHTML()).includes(pdfUrl.replace(/&/g, '&amp;')),
    'the credential page shows its document',
  )
  assert.equal((await holder.fetch(pdfUrl)).status(), 200, 'the documents stay viewable from the wallet')

  const status = await statusOf(t, partner, submitted.id)
  assert.equal(status.status, 'verified')
  assert.ok(status.opened_at)
  const again = await holder.openLink(submitted.redirectUri)
  assert.equal(new URL(again.url).pathname, '/holder/wallet')
  assertCleanPage(holder)
  assertCleanPage(stranger)
}

describe('holder journeys in Chromium [pglite]', { skip: browserSkipReason() }, () => {
  const suite = browserSuite()

  it('v1 single add: link → sign-in → code from the outbox → review → accept → wallet; the partner sees verified', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV1(t, partner)
    assert.deepEqual(await statusOf(t, partner, submitted.id).then((s) => [s.status, s.opened_at]), [
      'incomplete',
      null,
    ])

    const holder = await suite.holder('v1.holder')
    const landed = await holder.openLink(submitted.redirectUri)
    assert.deepEqual([new URL(landed.url).pathname, landed.status], ['/holder/sign-in', 200])
    await holder.signIn()

    assert.equal(new URL(holder.page.url()).pathname, '/holder/review')
    const review = await holder.mainText()
    assert.match(review, /wants to add 1 credential to your wallet/)
    assert.deepEqual(await holder.page.locator('main .card .title').allInnerTexts(), ['Skill Test #3'])
    assert.match(review, /ExampleProvider/)
    assert.doesNotMatch(review, RAW_DATA)
    const opened = await statusOf(t, partner, submitted.id)
    assert.equal(opened.status, 'incomplete', 'signing in binds the holder but decides nothing')
    assert.ok(opened.opened_at, 'opened_at is set once the holder opened the link')

    await holder.decide('accept')
    assert.match(await holder.page.locator('main h1').innerText(), /Added to your wallet/)
    await Promise.all([
      holder.page.waitForURL('**/holder/wallet'),
      holder.page.getByRole('link', { name: 'Open my wallet' }).click(),
    ])
    assert.deepEqual(await holder.page.locator('main .row-title').allInnerTexts(), ['Skill Test #3'])

    const status = await statusOf(t, partner, submitted.id)
    assert.equal(status.status, 'verified')
    assert.equal(status.opened_at, opened.opened_at)
    assert.ok(status.finalized_at)

    // The same link, opened again after acceptance, shows the wallet.
    const again = await holder.openLink(submitted.redirectUri)
    assert.deepEqual([new URL(again.url).pathname, again.status], ['/holder/wallet', 200])
    assert.deepEqual(await holder.page.locator('main .row-title').allInnerTexts(), ['Skill Test #3'])
    // Each row opens the credential's own page, with everything the review showed.
    await Promise.all([holder.page.waitForURL('**/holder/wallet/*'), holder.page.locator('main .row-title').click()])
    assert.equal(await holder.page.locator('main h1').innerText(), 'Skill Test #3')
    assert.match(await holder.mainText(), /ExampleProvider/)
    assertCleanPage(holder)
  })

  it('v2 batch sample: every credential and document reviewed (document cards, only for their holder), accepted into the wallet', () =>
    batchJourney(suite))

  it('decline → confirmation → canceled; nothing reaches the wallet', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV1(t, partner, { microcredential_name: 'Declined Skill' })
    const holder = await suite.holder('decline.holder')
    await holder.openLink(submitted.redirectUri)
    await holder.signIn()

    // The confirmation step can be backed out of.
    await Promise.all([
      holder.page.waitForURL('**/holder/review/decision'),
      holder.page.getByRole('button', { name: 'Decline' }).click(),
    ])
    assert.match(await holder.page.locator('main h1').innerText(), /decline/i)
    await Promise.all([
      holder.page.waitForURL('**/holder/review'),
      holder.page.getByRole('link', { name: 'Go back' }).click(),
    ])
    assert.equal((await statusOf(t, partner, submitted.id)).status, 'incomplete')

    await holder.decide('decline')
    assert.match(await holder.page.locator('main h1').innerText(), /Request declined/)
    const status = await statusOf(t, partner, submitted.id)
    assert.equal(status.status, 'canceled')
    assert.ok(status.finalized_at)
    assert.ok(status.opened_at)

    await holder.goto('/holder/wallet')
    assert.doesNotMatch(await holder.mainText(), /Declined Skill/)
    assert.equal(await holder.page.locator('main .row-title').count(), 0)
    assertCleanPage(holder)
  })

  it('a second holder opening a link bound to the first gets the 403 error page', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV1(t, partner, { microcredential_name: 'Bound Skill' })
    const first = await suite.holder('first.holder')
    await first.openLink(submitted.redirectUri)
    await first.signIn()
    assert.equal(new URL(first.page.url()).pathname, '/holder/review')

    const second = await suite.holder('second.holder')
    await second.openLink(submitted.redirectUri)
    await second.signIn()
    const shown = second.watch.lastDocument()!
    assert.deepEqual([new URL(shown.url).pathname, shown.status], ['/holder/review', 403])
    assert.equal(await second.page.locator('main h1').innerText(), 'This link is already in use')
    const text = await second.mainText()
    assert.match(text, /already opened by another person/)
    assert.doesNotMatch(text, /Bound Skill|John Doe/, 'nothing of the submission is shown')
    assert.equal(await second.page.locator('form[action="/holder/review/decision"]').count(), 0)
    // A reload stays refused.
    assert.equal(await second.page.reload().then((r) => r?.status()), 403)

    // The first holder is unaffected.
    await first.page.reload()
    await first.decide('accept')
    assert.equal((await statusOf(t, partner, submitted.id)).status, 'verified')
    await second.goto('/holder/wallet')
    assert.doesNotMatch(await second.mainText(), /Bound Skill/)
    assertCleanPage(first)
    assertCleanPage(second)
  })

  it('a decision confirmed in an older tab never lands on the submission opened since in another tab', async () => {
    const t = suite.app()
    const alpha = await newPartner(t)
    const beta = await newPartner(t)
    const first = await submitV1(t, alpha, { microcredential_name: 'Alpha Skill' })
    const second = await submitV1(t, beta, { microcredential_name: 'Beta Skill' })
    const holder = await suite.holder('two.tabs')
    await holder.openLink(first.redirectUri)
    await holder.signIn()
    await Promise.all([
      holder.page.waitForURL('**/holder/review/decision'),
      holder.page.getByRole('button', { name: 'Accept 1 credential' }).click(),
    ])

    // Meanwhile, in a second tab of the same browser, the holder opens the other partner's link.
    const tab = await holder.context.newPage()
    await tab.goto(holder.url(second.redirectUri))
    await tab.waitForURL('**/holder/review')
    assert.deepEqual(await tab.locator('main .card .title').allInnerTexts(), ['Beta Skill'])

    // Back in the first tab, "Yes, add to my wallet" was shown for Alpha Skill only.
    await Promise.all([
      holder.page.waitForURL('**/holder/review?notice=other-request'),
      holder.page.getByRole('button', { name: 'Yes, add to my wallet' }).click(),
    ])
    // The holder is told that nothing changed, on the review of the submission open now.
    assert.match(
      await holder.page.getByRole('status').innerText(),
      /Nothing was changed: that decision was for a request you opened earlier/,
    )
    assert.deepEqual(await holder.page.locator('main .card .title').allInnerTexts(), ['Beta Skill'])
    assert.equal(
      (await statusOf(t, beta, second.id)).status,
      'incomplete',
      'the other submission was not decided by a button shown for the first',
    )
    assert.notEqual((await statusOf(t, alpha, first.id)).status, 'canceled')
    assertCleanPage(holder)
  })
})

// The same journey with the documents in an S3 bucket: the review's image and the PDF the holder
// opens are streamed from the bucket.
describe('the v2 batch journey in Chromium on BLOB_STORE=s3 [pglite]', { skip: browserSkipReason() }, () => {
  const suite = browserSuite({ blobStore: 's3' })
  it('v2 batch sample uploaded straight to the bucket: reviewed with its documents, accepted into the wallet', () =>
    batchJourney(suite))
})

// The same journey on PostgreSQL (the server's production database): the review's reads, the
// decision's transaction and the wallet as PostgreSQL answers them, in a real browser.
describe('the v2 batch journey in Chromium on PostgreSQL', {
  skip:
    browserSkipReason() ??
    (backends().includes('postgres') ? undefined : 'no PostgreSQL in this run (npm test starts one)'),
}, () => {
  const suite = browserSuite({ backend: 'postgres' })
  it('v2 batch sample: reviewed with its documents, accepted into the wallet; the partner sees verified', () =>
    batchJourney(suite))
})
