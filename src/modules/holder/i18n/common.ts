import type { Dictionary } from './index.js'

type Key =
  | 'brand'
  | 'skipToContent'
  | 'language'
  | 'signOut'
  | 'wallet'
  | 'signedInAs'
  | 'footer'
  | 'notFoundTitle'
  | 'notFoundBody'
  | 'errorTitle'
  | 'errorBody'

export const common: Dictionary<Key> = {
  en: {
    brand: 'Credport',
    skipToContent: 'Skip to content',
    language: 'Language',
    signOut: 'Sign out',
    wallet: 'My wallet',
    signedInAs: 'Signed in as {email}',
    footer: 'Your credentials are shared with you by the organisations that issued them. Nothing is added to your wallet without your consent.',
    notFoundTitle: 'We could not find this page',
    notFoundBody: 'The link may be incomplete or mistyped. Open the link again from the message or website that gave it to you.',
    errorTitle: 'Something went wrong',
    errorBody: 'Please try again in a moment.',
  },
  id: {
    brand: 'Credport',
    skipToContent: 'Langsung ke konten',
    language: 'Bahasa',
    signOut: 'Keluar',
    wallet: 'Dompet saya',
    signedInAs: 'Masuk sebagai {email}',
    footer: 'Kredensial Anda dibagikan oleh organisasi yang menerbitkannya. Tidak ada yang ditambahkan ke dompet Anda tanpa persetujuan Anda.',
    notFoundTitle: 'Halaman ini tidak ditemukan',
    notFoundBody: 'Tautan mungkin tidak lengkap atau salah ketik. Buka kembali tautan dari pesan atau situs web yang memberikannya.',
    errorTitle: 'Terjadi kesalahan',
    errorBody: 'Silakan coba lagi sebentar lagi.',
  },
  th: {
    brand: 'Credport',
    skipToContent: 'ข้ามไปยังเนื้อหา',
    language: 'ภาษา',
    signOut: 'ออกจากระบบ',
    wallet: 'กระเป๋าของฉัน',
    signedInAs: 'เข้าสู่ระบบในชื่อ {email}',
    footer: 'ข้อมูลรับรองของคุณถูกแบ่งปันโดยองค์กรที่ออกให้ ไม่มีสิ่งใดถูกเพิ่มลงในกระเป๋าของคุณหากไม่ได้รับความยินยอมจากคุณ',
    notFoundTitle: 'ไม่พบหน้านี้',
    notFoundBody: 'ลิงก์อาจไม่สมบูรณ์หรือพิมพ์ผิด โปรดเปิดลิงก์อีกครั้งจากข้อความหรือเว็บไซต์ที่ให้ลิงก์นั้นแก่คุณ',
    errorTitle: 'เกิดข้อผิดพลาด',
    errorBody: 'โปรดลองอีกครั้งในอีกสักครู่',
  },
}
