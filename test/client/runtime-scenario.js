/**
 * The steps every runtime takes with `credport/client` (test/client/runtimes.test.ts runs it under
 * Bun and Deno, test/client/browser.test.ts in Chromium): plain JavaScript that needs only what the
 * SDK needs (`fetch`, WebCrypto), given the imported module and a configuration, and answering a
 * JSON-able summary the tests compare with what Node gets.
 *
 * config: { baseUrl, clientId, clientSecret, credentialId, sample, broken, webhook: { secret, headers, body } }
 */
export async function scenario(sdk, config) {
  const { createClient, validate, verifyWebhook, CredportWebhookError } = sdk
  const client = createClient({ baseUrl: config.baseUrl, clientId: config.clientId, clientSecret: config.clientSecret })

  const token = await client.token()
  const problems = validate(config.sample)
  const broken = validate(config.broken)

  const batch = { ...config.sample, credential_id: config.credentialId }
  const created = await client.submitBatch(batch)
  const status = await client.status(batch.credential_id)

  const { secret, headers, body } = config.webhook
  const event = await verifyWebhook(headers, body, secret)
  const forged = await verifyWebhook({ ...headers, 'webhook-signature': `v1,${'A'.repeat(43)}=` }, body, secret).then(
    () => 'accepted',
    (error) => (error instanceof CredportWebhookError ? error.reason : String(error)),
  )

  return {
    token: typeof token.accessToken === 'string' && token.accessToken.length > 0 && token.expiresAt > new Date(),
    problems,
    broken,
    redirect: new URL(created.redirect_uri).pathname,
    uploads: created.asset_uploads.map((upload) => upload.asset_id),
    status: status.status,
    items: status.items.length,
    event: { type: event.type, id: event.data.id },
    forged,
  }
}
