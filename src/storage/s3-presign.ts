import { createHash, createHmac } from 'node:crypto'

export interface S3Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** Where a bucket is and how it is addressed. */
export interface S3Location {
  /** Unset for AWS S3. */
  endpoint: string | undefined
  region: string
  bucket: string
  forcePathStyle: boolean
}

export interface PresignPutOptions {
  /** The object key (prefix included). */
  key: string
  /** Signed: the PUT must carry exactly this Content-Type. */
  contentType: string
  /** Signed when given: the PUT must carry exactly this Content-Length. */
  contentLength?: number
  /** Signed when given (base64): S3 refuses bytes whose SHA-256 differs. */
  checksumSha256?: string
  expiresInSeconds: number
  now: Date
}

/** RFC 3986 encoding as SigV4 wants it (`encodeURIComponent` leaves !'()* alone). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

/**
 * A presigned S3 `PUT` URL (AWS Signature Version 4, query parameters, unsigned payload), made
 * without a round trip and synchronously, as AWS documents it: the headers it signs are part of
 * the signature, so a PUT with another Content-Type (or length, or checksum) is refused by S3.
 * The tests check it against the AWS SDK's own signer.
 */
export function presignPut(location: S3Location, credentials: S3Credentials, options: PresignPutOptions): string {
  const endpoint = new URL(location.endpoint ?? `https://s3.${location.region}.amazonaws.com`)
  const host = location.forcePathStyle ? endpoint.host : `${location.bucket}.${endpoint.host}`
  const path = `${location.forcePathStyle ? `/${encode(location.bucket)}` : ''}/${options.key.split('/').map(encode).join('/')}`
  const amzDate = options.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const day = amzDate.slice(0, 8)
  const scope = `${day}/${location.region}/s3/aws4_request`

  const headers: Record<string, string> = { 'content-type': options.contentType, host }
  if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength)
  if (options.checksumSha256 !== undefined) headers['x-amz-checksum-sha256'] = options.checksumSha256
  const signedHeaders = Object.keys(headers).sort()

  const query: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(options.expiresInSeconds),
    'X-Amz-SignedHeaders': signedHeaders.join(';'),
  }
  if (credentials.sessionToken) query['X-Amz-Security-Token'] = credentials.sessionToken
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((name) => `${encode(name)}=${encode(query[name]!)}`)
    .join('&')

  const canonicalRequest = [
    'PUT',
    path,
    canonicalQuery,
    ...signedHeaders.map((name) => `${name}:${headers[name]!.trim()}`),
    '',
    signedHeaders.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n')
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n')
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), location.region), 's3'),
    'aws4_request',
  )
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex')
  return `${endpoint.protocol}//${host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`
}
