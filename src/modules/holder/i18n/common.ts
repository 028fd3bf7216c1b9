import type { Dictionary } from './index.js'

type Key = 'brand' | 'skipToContent' | 'language' | 'languageCurrent' | 'signOut' | 'wallet' | 'signedInAs' | 'footer'

export const common: Dictionary<Key> = {
  en: {
    brand: 'Credport',
    skipToContent: 'Skip to content',
    language: 'Language',
    languageCurrent: 'Language: {language}',
    signOut: 'Sign out',
    wallet: 'My wallet',
    signedInAs: 'Signed in as {email}',
    footer:
      'Your credentials are shared with you by the organisations that issued them. Nothing is added to your wallet without your consent.',
  },
  id: {
    brand: 'Credport',
    skipToContent: 'Langsung ke konten',
    language: 'Bahasa',
    languageCurrent: 'Bahasa: {language}',
    signOut: 'Keluar',
    wallet: 'Dompet saya',
    signedInAs: 'Masuk sebagai {email}',
    footer:
      'Kredensial Anda dibagikan oleh organisasi yang menerbitkannya. Tidak ada yang ditambahkan ke dompet Anda tanpa persetujuan Anda.',
  },
  th: {
    brand: 'Credport',
    skipToContent: 'ข้ามไปยังเนื้อหา',
    language: 'ภาษา',
    languageCurrent: 'ภาษา: {language}',
    signOut: 'ออกจากระบบ',
    wallet: 'กระเป๋าของฉัน',
    signedInAs: 'เข้าสู่ระบบในชื่อ {email}',
    footer: 'ข้อมูลรับรองของคุณถูกแบ่งปันโดยองค์กรที่ออกให้ ไม่มีสิ่งใดถูกเพิ่มลงในกระเป๋าของคุณหากไม่ได้รับความยินยอมจากคุณ',
  },
}
