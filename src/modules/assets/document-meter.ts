import { Transform, type TransformCallback } from 'node:stream'
import type { AssetType } from '../credential-types/index.js'
import type { OpenCertInspection, OpenCertVerification } from './opencerts.js'

/** Why a document's bytes were not taken; mapped to 413/415 for uploads and to a reject reason otherwise. */
export type DocumentProblem = 'too_large' | 'type_mismatch'

/** A document that is too large or not what it was declared to be. */
export class DocumentRejectedError extends Error {
  constructor(
    readonly problem: DocumentProblem,
    message: string,
  ) {
    super(message)
    this.name = 'DocumentRejectedError'
  }
}

/** How many leading bytes are looked at before the type is decided (file-type's own sample size). */
const SNIFF_BYTES = 4100

const LABELS: Record<AssetType, string> = {
  pdf: 'a PDF document',
  png: 'a PNG image',
  jpg: 'a JPEG image',
  open_cert: 'an OpenCerts JSON document',
}
/** What file-type may call each declared type (an animated PNG is still a PNG). */
const ACCEPTED: Record<Exclude<AssetType, 'open_cert'>, readonly string[]> = {
  pdf: ['pdf'],
  png: ['png', 'apng'],
  jpg: ['jpg'],
}

/** Describes why `head` (the first bytes of a document) is not of the declared type, or null when it is. */
export async function checkDocumentHead(assetType: AssetType, head: Buffer): Promise<string | null> {
  if (head.length === 0) return `The body is empty; expected ${LABELS[assetType]}`
  if (assetType === 'open_cert') {
    const text = head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()
    // A prefix of whitespace only is decided when the body ends.
    return text === '' || text.startsWith('{') ? null : `The body is not a JSON object; expected ${LABELS[assetType]}`
  }
  // Loaded on the first document: a process that never receives one keeps it out of memory.
  const { fileTypeFromBuffer } = await import('file-type')
  const detected = await fileTypeFromBuffer(head)
  if (detected && ACCEPTED[assetType].includes(detected.ext)) return null
  const what = detected ? `a ${detected.ext.toUpperCase()} file (${detected.mime})` : 'of no recognised type'
  return `The bytes are ${what}, not ${LABELS[assetType]} as declared`
}

/** Parses and verifies the whole bytes of an `open_cert` document (OpenCertVerifier does it off the event loop). */
export type OpenCertInspector = (bytes: Uint8Array) => Promise<OpenCertInspection>

/**
 * Passes a document's bytes through while enforcing the size limit (stops at `maxBytes + 1`) and
 * checking its type from the first bytes, so a wrong document fails before much is read (and
 * before anything is written: see `whenChecked`). For OpenCerts it also keeps the bytes and has
 * them inspected at the end (`verification`); not a JSON object fails the stream as the wrong type.
 */
export class DocumentMeter extends Transform {
  bytes = 0
  /** For `open_cert` documents, once the stream has ended: the verification of the document. */
  verification: OpenCertVerification | undefined
  private head: Buffer[] = []
  private headLength = 0

  /**
   * What the stored document's asset records, once the stream has ended: `verified` or `rejected`
   * (with the reason) for OpenCerts by its verification, `received` for every other document.
   */
  get outcome(): { state: 'received' | 'verified' | 'rejected'; rejectReason: string | null } {
    const verification = this.verification
    if (!verification) return { state: 'received', rejectReason: null }
    return verification.status === 'verified'
      ? { state: 'verified', rejectReason: null }
      : { state: 'rejected', rejectReason: verification.reason }
  }
  private checked = false
  /** The bytes of an `open_cert` document, kept until they are handed over for inspection. */
  private json: Buffer[] | null

  constructor(
    private readonly assetType: AssetType,
    private readonly maxBytes: number,
    private readonly inspectOpenCert: OpenCertInspector,
  ) {
    super()
    this.json = assetType === 'open_cert' ? [] : null
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.maxBytes) {
      callback(
        new DocumentRejectedError('too_large', `The document is larger than the limit of ${this.maxBytes} bytes`),
      )
      return
    }
    this.json?.push(chunk)
    if (this.checked) {
      callback(null, chunk)
      return
    }
    this.head.push(chunk)
    this.headLength += chunk.length
    if (this.headLength < SNIFF_BYTES) {
      callback()
      return
    }
    this.release().then(() => callback(), callback)
  }

  override _flush(callback: TransformCallback): void {
    const finish = async () => {
      if (!this.checked) await this.release()
      if (this.json) this.verification = await this.inspectJson()
    }
    finish().then(() => callback(), callback)
  }

  /** Decides the type from the bytes held back so far, then lets them through. */
  private async release(): Promise<void> {
    const head = Buffer.concat(this.head)
    this.head = []
    const problem = await checkDocumentHead(this.assetType, head)
    if (problem) throw new DocumentRejectedError('type_mismatch', problem)
    this.checked = true
    this.push(head)
    this.emit('checked')
  }

  /** Resolves once the type is confirmed (the bytes may then be stored); rejects with the stream's error. */
  whenChecked(): Promise<void> {
    if (this.checked) return Promise.resolve()
    if (this.errored) return Promise.reject(this.errored)
    return new Promise((resolve, reject) => {
      const onChecked = () => {
        this.off('error', onError)
        resolve()
      }
      const onError = (error: Error) => {
        this.off('checked', onChecked)
        reject(error)
      }
      this.once('checked', onChecked)
      this.once('error', onError)
    })
  }

  private async inspectJson(): Promise<OpenCertVerification> {
    const bytes = Buffer.concat(this.json!)
    this.json = []
    const inspection = await this.inspectOpenCert(bytes)
    if (!inspection.object) {
      throw new DocumentRejectedError('type_mismatch', `The body is not a JSON object; expected ${LABELS.open_cert}`)
    }
    return inspection.verification
  }
}
