import type { Executor } from '../../db/client.js'
import { getOrCreateServerSecret, replaceServerSecret } from '../../db/server-secrets.js'
import { anyEndpointExists } from './endpoints.repo.js'
import type { SecretBox } from './secrets.js'

const CHECK_NAME = 'webhook_secret_key_check'
const CHECK_TEXT = 'credport webhook secret key check'

/** The key this instance holds is not the one the database's webhook secrets were sealed with. */
export class WebhookSecretKeyMismatchError extends Error {
  constructor() {
    super(
      'WEBHOOK_SECRET_KEY is not the key the webhook secrets in this database were sealed with, so no webhook could be signed. ' +
        'Instances sharing one database must set the same WEBHOOK_SECRET_KEY (or share DATA_DIR/webhook-secret-key).',
    )
    this.name = 'WebhookSecretKeyMismatchError'
  }
}

/**
 * Run at start-up: the database keeps a value sealed with the first instance's key, and every
 * later start must open it. An instance with another key (a second instance that generated its
 * own, or a changed WEBHOOK_SECRET_KEY) is refused before it records deliveries that can never be
 * signed. While no endpoint exists nothing is sealed yet, and the new key is adopted.
 */
export async function checkWebhookSecretKey(db: Executor, box: SecretBox): Promise<void> {
  const seal = () => box.seal(CHECK_TEXT, CHECK_NAME)
  const stored = await getOrCreateServerSecret(db, CHECK_NAME, seal)
  if (opens(box, stored)) return
  if (await anyEndpointExists(db)) throw new WebhookSecretKeyMismatchError()
  await replaceServerSecret(db, CHECK_NAME, seal())
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    return box.open(sealed, CHECK_NAME) === CHECK_TEXT
  } catch {
    return false
  }
}
