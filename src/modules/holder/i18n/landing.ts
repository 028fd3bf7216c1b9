import type { Dictionary } from './index.js'

type Key = 'title' | 'body' | 'noscript' | 'forbiddenTitle' | 'forbiddenBody'

export const landing: Dictionary<Key> = {
  en: {
    title: 'Opening your credentials',
    body: 'One moment: we are opening the credentials that were shared with you.',
    noscript: 'This step needs JavaScript to read the link you opened (that part of the link never leaves your browser). Please enable JavaScript for this page, or open the link in another browser.',
    forbiddenTitle: 'This form has expired',
    forbiddenBody: 'For your security, the form could not be accepted. Go back, reload the page and try again.',
  },
  id: {
    title: 'Membuka kredensial Anda',
    body: 'Sebentar: kami sedang membuka kredensial yang dibagikan kepada Anda.',
    noscript: 'Langkah ini memerlukan JavaScript untuk membaca tautan yang Anda buka (bagian tautan itu tidak pernah meninggalkan peramban Anda). Aktifkan JavaScript untuk halaman ini, atau buka tautan di peramban lain.',
    forbiddenTitle: 'Formulir ini sudah kedaluwarsa',
    forbiddenBody: 'Demi keamanan Anda, formulir tidak dapat diterima. Kembali, muat ulang halaman, lalu coba lagi.',
  },
  th: {
    title: 'กำลังเปิดข้อมูลรับรองของคุณ',
    body: 'กรุณารอสักครู่ เรากำลังเปิดข้อมูลรับรองที่มีผู้แบ่งปันให้คุณ',
    noscript: 'ขั้นตอนนี้ต้องใช้ JavaScript เพื่ออ่านลิงก์ที่คุณเปิด (ส่วนนั้นของลิงก์จะไม่ออกจากเบราว์เซอร์ของคุณ) โปรดเปิดใช้ JavaScript สำหรับหน้านี้ หรือเปิดลิงก์ในเบราว์เซอร์อื่น',
    forbiddenTitle: 'แบบฟอร์มนี้หมดอายุแล้ว',
    forbiddenBody: 'เพื่อความปลอดภัยของคุณ ระบบไม่สามารถรับแบบฟอร์มนี้ได้ โปรดย้อนกลับ โหลดหน้าใหม่ แล้วลองอีกครั้ง',
  },
}
