import type { Dictionary } from './index.js'

type Key = 'title' | 'body' | 'noscript'

export const landing: Dictionary<Key> = {
  en: {
    title: 'Opening your credentials',
    body: 'One moment: we are opening the credentials that were shared with you.',
    noscript:
      'This step needs JavaScript to read the link you opened (that part of the link never leaves your browser). Please enable JavaScript for this page, or open the link in another browser.',
  },
  id: {
    title: 'Membuka kredensial Anda',
    body: 'Sebentar: kami sedang membuka kredensial yang dibagikan kepada Anda.',
    noscript:
      'Langkah ini memerlukan JavaScript untuk membaca tautan yang Anda buka (bagian tautan itu tidak pernah meninggalkan peramban Anda). Aktifkan JavaScript untuk halaman ini, atau buka tautan di peramban lain.',
  },
  th: {
    title: 'กำลังเปิดข้อมูลรับรองของคุณ',
    body: 'กรุณารอสักครู่ เรากำลังเปิดข้อมูลรับรองที่มีผู้แบ่งปันให้คุณ',
    noscript:
      'ขั้นตอนนี้ต้องใช้ JavaScript เพื่ออ่านลิงก์ที่คุณเปิด (ส่วนนั้นของลิงก์จะไม่ออกจากเบราว์เซอร์ของคุณ) โปรดเปิดใช้ JavaScript สำหรับหน้านี้ หรือเปิดลิงก์ในเบราว์เซอร์อื่น',
  },
}
