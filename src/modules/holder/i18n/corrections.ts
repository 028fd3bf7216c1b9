import { translator, type Dictionary, type Locale } from './index.js'

// Strings of the issuer's corrections as the holder sees them: a link whose request its partner
// withdrew, and a credential of the wallet its issuer revoked. English is the reference.
const en = {
  withdrawnTitle: 'This request was withdrawn',
  withdrawnBody:
    '{partner} withdrew this request before you decided, so nothing was added to your wallet and its details were deleted.',
  withdrawnAsk: 'If you expected these credentials, contact {partner}: they may send you a corrected link.',
  withdrawnBodyUnknown:
    'The organisation that sent this request withdrew it before you decided, so nothing was added to your wallet and its details were deleted.',
  revokedBadge: 'Revoked by the issuer',
  revokedOn: 'Revoked by {partner} on {date}.',
  revokedReason: 'Reason given: {reason}',
  revokedNote:
    'This credential is no longer valid. It stays in your wallet, marked revoked, so that you can see what happened; anyone you share it with sees that it was revoked.',
}

/** Keys of the corrections' strings. */
export type CorrectionsTextKey = keyof typeof en

export const correctionsText: Dictionary<CorrectionsTextKey> = {
  en,
  id: {
    withdrawnTitle: 'Permintaan ini telah ditarik',
    withdrawnBody:
      '{partner} menarik permintaan ini sebelum Anda memutuskan, jadi tidak ada yang ditambahkan ke dompet Anda dan detailnya telah dihapus.',
    withdrawnAsk:
      'Jika Anda menantikan kredensial ini, hubungi {partner}: mereka mungkin mengirimkan tautan yang sudah diperbaiki.',
    withdrawnBodyUnknown:
      'Organisasi yang mengirimkan permintaan ini menariknya sebelum Anda memutuskan, jadi tidak ada yang ditambahkan ke dompet Anda dan detailnya telah dihapus.',
    revokedBadge: 'Dicabut oleh penerbit',
    revokedOn: 'Dicabut oleh {partner} pada {date}.',
    revokedReason: 'Alasan yang diberikan: {reason}',
    revokedNote:
      'Kredensial ini tidak berlaku lagi. Kredensial ini tetap ada di dompet Anda, ditandai sebagai dicabut, agar Anda dapat melihat apa yang terjadi; siapa pun yang Anda beri akses akan melihat bahwa kredensial ini telah dicabut.',
  },
  th: {
    withdrawnTitle: 'คำขอนี้ถูกถอนแล้ว',
    withdrawnBody: '{partner} ได้ถอนคำขอนี้ก่อนที่คุณจะตัดสินใจ จึงไม่มีสิ่งใดถูกเพิ่มลงในวอลเล็ตของคุณ และรายละเอียดของคำขอถูกลบแล้ว',
    withdrawnAsk: 'หากคุณรอข้อมูลรับรองเหล่านี้อยู่ โปรดติดต่อ {partner} เพื่อขอลิงก์ที่แก้ไขแล้ว',
    withdrawnBodyUnknown:
      'องค์กรที่ส่งคำขอนี้ได้ถอนคำขอก่อนที่คุณจะตัดสินใจ จึงไม่มีสิ่งใดถูกเพิ่มลงในวอลเล็ตของคุณ และรายละเอียดของคำขอถูกลบแล้ว',
    revokedBadge: 'ถูกเพิกถอนโดยผู้ออก',
    revokedOn: 'ถูกเพิกถอนโดย {partner} เมื่อ {date}',
    revokedReason: 'เหตุผลที่แจ้ง: {reason}',
    revokedNote:
      'ข้อมูลรับรองนี้ใช้ไม่ได้แล้ว แต่ยังคงอยู่ในวอลเล็ตของคุณโดยมีเครื่องหมายว่าถูกเพิกถอน เพื่อให้คุณเห็นว่าเกิดอะไรขึ้น และทุกคนที่คุณแชร์ให้จะเห็นว่าถูกเพิกถอนแล้ว',
  },
}

export const correctionsTextOf = (locale: Locale) => translator(correctionsText, locale)
