/**
 * A QR code of `text` as an SVG document (the `qrcode` library; paths only, no script, no
 * style attribute: safe to inline under the pages' CSP). Error correction M, a quiet zone of 4.
 */
export async function qrSvg(text: string): Promise<string> {
  // Loaded on first use (as file-type, nodemailer, yazl): most processes never draw a QR code.
  const { default: QRCode } = await import('qrcode')
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 })
}
