import { createHash } from 'node:crypto'
import type { Db } from '../../db/client.js'
import { AppError, notFound } from '../../errors.js'
import type { Clock } from '../../lib/clock.js'
import { LOGO_CONTENT_TYPES, type LogoReceipt, type LogoView } from './admin.schemas.js'
import { logoPath } from './issuer-profile.js'
import { deleteLogo, findPartner, upsertLogo, type LogoSummary } from './partners.repo.js'
import { sanitiseSvg } from './svg-sanitiser.js'

type LogoType = (typeof LOGO_CONTENT_TYPES)[number]

/** The media type of a Content-Type header when it is one a logo may have (parameters ignored). */
export function logoTypeOf(header: string | undefined): LogoType | null {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase()
  return (LOGO_CONTENT_TYPES as readonly string[]).includes(type) ? (type as LogoType) : null
}

const unsupported = (detail: string) => new AppError('unsupported_media_type', detail)

/**
 * The bytes to store for an uploaded logo: a PNG as sent, once its bytes are a PNG; an SVG as the
 * sanitiser writes it (`removed` lists what it took out). 415 for any other type, for bytes that
 * are not what the Content-Type says, and for an SVG the sanitiser refuses.
 */
export async function checkLogo(
  contentType: string | undefined,
  body: Buffer,
): Promise<{ contentType: LogoType; bytes: Buffer; removed: string[] }> {
  const type = logoTypeOf(contentType)
  if (!type)
    throw unsupported(
      `Content-Type ${JSON.stringify(contentType ?? '(none)')} is not accepted for a logo; send image/png or image/svg+xml`,
    )
  if (type === 'image/png') {
    const { fileTypeFromBuffer } = await import('file-type')
    const detected = await fileTypeFromBuffer(body)
    if (detected?.mime !== 'image/png')
      throw unsupported(`The bytes are not a PNG image${detected ? ` (they look like ${detected.mime})` : ''}`)
    return { contentType: type, bytes: body, removed: [] }
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw unsupported('The SVG is not UTF-8 text')
  }
  const result = sanitiseSvg(text.replace(/^\uFEFF/, ''))
  if (!result.ok) throw unsupported(`The SVG was refused: ${result.reason}`)
  return { contentType: type, bytes: Buffer.from(result.svg, 'utf8'), removed: result.removed }
}

export function logoView(
  logo: Pick<LogoSummary, 'partnerId' | 'contentType' | 'sha256' | 'updatedAt' | 'size'>,
): LogoView {
  return {
    url: logoPath(logo.partnerId, logo.sha256),
    content_type: logo.contentType,
    bytes: logo.size,
    sha256: logo.sha256,
    updated_at: logo.updatedAt.toISOString(),
  }
}

/** Stores a partner's logo (replacing any), after `checkLogo`. */
export async function uploadLogo(
  deps: { db: Db; clock: Clock },
  partnerId: string,
  contentType: string | undefined,
  body: Buffer,
): Promise<LogoReceipt> {
  if (!(await findPartner(deps.db, partnerId))) throw notFound(`No partner ${partnerId}`)
  const checked = await checkLogo(contentType, body)
  const row = {
    partnerId,
    contentType: checked.contentType,
    bytes: checked.bytes,
    sha256: createHash('sha256').update(checked.bytes).digest('hex'),
    updatedAt: deps.clock.now(),
  }
  await upsertLogo(deps.db, row)
  return { partner_id: partnerId, logo: logoView({ ...row, size: row.bytes.length }), removed: checked.removed }
}

/** Removes a partner's logo; 404 when the partner is unknown or has none. */
export async function removeLogo(deps: { db: Db }, partnerId: string): Promise<void> {
  if (!(await deleteLogo(deps.db, partnerId))) throw notFound(`Partner ${partnerId} has no logo`)
}
