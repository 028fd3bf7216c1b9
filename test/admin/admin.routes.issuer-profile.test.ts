import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { partners } from '../../src/db/schema.js'
import { describeEachBackend, type RequestOptions, type TestApp } from '../support/app.js'
import { assertProblem } from '../support/security-suite.js'

const PARTNERS = '/api/admin/partners'
const admin = (t: TestApp, method: string, url: string, options: RequestOptions = {}) =>
  t.request(method, url, { token: t.deps.adminToken, ...options })
const pointers = (body: { errors: Array<{ pointer: string }> }) => body.errors.map((e) => e.pointer).sort()

describeEachBackend('admin API: what holders see of a partner', (use) => {
  test('display name and support contact on create, changed by PATCH (null removes the contact)', async () => {
    const t = use()
    const created = await admin(t, 'POST', PARTNERS, {
      json: {
        name: 'uni-a',
        display_name: 'University A',
        support_contact: ' help@uni-a.example ',
        scopes: ['write.education'],
      },
    })
    assert.equal(created.status, 201, created.text)
    const path = `${PARTNERS}/${created.body.partner_id}`
    const view = await admin(t, 'GET', path)
    assert.equal(view.body.name, 'uni-a')
    assert.equal(view.body.display_name, 'University A')
    assert.equal(view.body.support_contact, 'help@uni-a.example')

    const renamed = await admin(t, 'PATCH', path, {
      json: { display_name: 'Universitas A', support_contact: 'https://uni-a.example/help' },
    })
    assert.equal(renamed.status, 200, renamed.text)
    assert.equal(renamed.body.display_name, 'Universitas A')
    assert.equal(renamed.body.support_contact, 'https://uni-a.example/help')
    assert.equal(renamed.body.name, 'uni-a', 'the operator’s name stays')
    const cleared = await admin(t, 'PATCH', path, { json: { support_contact: null } })
    assert.equal(cleared.body.support_contact, null)
    assert.equal(cleared.body.display_name, 'Universitas A')
    assert.deepEqual((await admin(t, 'GET', path)).body, cleared.body)
  })

  test('invalid values → 400 at their pointers: blank or multi-line names, text-direction overrides, contacts that are neither email nor https', async () => {
    const t = use()
    const multiLine = await admin(t, 'POST', PARTNERS, {
      json: { name: 'x', display_name: 'Uni\nBcc: x@example.com', scopes: ['write.education'] },
    })
    assertProblem(multiLine, 400, 'validation')
    assert.deepEqual(pointers(multiLine.body), ['/display_name'])
    // A right-to-left override (or an isolate) would make the name read as another.
    for (const spoof of ['University A\u202Egpj.exe', '\u2067Uni\u2069', 'Uni\u202Ax', 'Uni\u2028Bcc', '\u2029Uni']) {
      const response = await admin(t, 'POST', PARTNERS, {
        json: { name: 'x', display_name: spoof, scopes: ['write.education'] },
      })
      assertProblem(response, 400, 'validation')
      assert.deepEqual(pointers(response.body), ['/display_name'], JSON.stringify(spoof))
      assert.match(JSON.stringify(response.body), /text-direction overrides/)
    }
    // Right-to-left names themselves are welcome.
    const hebrew = await admin(t, 'POST', PARTNERS, {
      json: { name: 'x', display_name: 'אוניברסיטה א', scopes: ['write.education'] },
    })
    assert.equal(hebrew.status, 201, JSON.stringify(hebrew.body))
    for (const contact of [
      'not a contact',
      'http://uni-a.example/help',
      'javascript:alert(1)',
      'https://u:p@x.example',
    ]) {
      const response = await admin(t, 'POST', PARTNERS, {
        json: { name: 'x', display_name: 'X', support_contact: contact, scopes: ['write.education'] },
      })
      assertProblem(response, 400, 'validation')
      assert.deepEqual(pointers(response.body), ['/support_contact'], contact)
    }
    const created = await admin(t, 'POST', PARTNERS, {
      json: { name: 'x', display_name: 'X', scopes: ['write.education'] },
    })
    const path = `${PARTNERS}/${created.body.partner_id}`
    for (const json of [{}, { display_name: ' ' }, { support_contact: 'nope' }, { name: 'other' }]) {
      assertProblem(await admin(t, 'PATCH', path, { json }), 400, 'validation')
    }
    assertProblem(
      await admin(t, 'PATCH', `${PARTNERS}/00000000-0000-4000-8000-000000000000`, { json: { display_name: 'Y' } }),
      404,
      'not_found',
    )
  })

  test('a partner registered before display names (no display_name) shows its name', async () => {
    const t = use()
    const id = randomUUID()
    await t.deps.db.insert(partners).values({ id, name: 'Old University' })
    const view = await admin(t, 'GET', `${PARTNERS}/${id}`)
    assert.equal(view.body.display_name, 'Old University')
    assert.equal(view.body.support_contact, null)
    assert.equal(view.body.logo, null)
  })
})
