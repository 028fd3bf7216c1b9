import { translator, type Dictionary, type Locale } from './index.js'

// Strings of the review, confirmation, outcome, link-problem and wallet pages. English is the
// reference: its keys are the dictionary's keys. `…One` / `…Other` pairs are chosen with the
// language's plural rules (Indonesian and Thai use `…Other` for every count).
const en = {
  reviewTitleOne: '{partner} wants to add 1 credential to your wallet',
  reviewTitleOther: '{partner} wants to add {count} credentials to your wallet',
  reviewIntro:
    'Check that each credential below is yours and correct, including its documents. Nothing is added until you accept.',
  reviewIntroDecline: 'If anything is wrong, decline and contact {partner}.',
  reviewAwaiting: 'Some documents have not arrived yet. Reload this page later to see them, or decide now.',
  reviewOtherRequest:
    'Nothing was changed: that decision was for a request you opened earlier. This is the request open now.',
  reviewExpires: 'This request expires on {date}.',
  decisionHeading: 'Your decision',
  accept: 'Review and accept',
  decline: 'Decline',
  confirmAcceptTitleOne: 'Add this credential to your wallet?',
  confirmAcceptTitleOther: 'Add these {count} credentials to your wallet?',
  confirmAcceptBody:
    'Everything shown on the previous page will be saved in your wallet, and {partner} will be told that you accepted.',
  confirmAcceptButton: 'Yes, add to my wallet',
  confirmDeclineTitle: 'Decline this request?',
  confirmDeclineBody:
    'Nothing will be added to your wallet, and {partner} will be told that you declined. This cannot be undone: to add these credentials later, {partner} would have to send you a new link.',
  confirmDeclineButton: 'Yes, decline',
  goBack: 'Go back',
  outcomeVerifiedTitle: 'Added to your wallet',
  outcomeVerifiedOne: '1 credential was added to your wallet. {partner} has been told you accepted.',
  outcomeVerifiedOther: '{count} credentials were added to your wallet. {partner} has been told you accepted.',
  openWallet: 'Open my wallet',
  outcomeCanceledTitle: 'Request declined',
  outcomeCanceledBody: 'Nothing was added; {partner} has been told you declined.',
  expiredTitle: 'This link has expired',
  expiredBody:
    'Requests to add credentials stay open for 48 hours, and this one was not completed in time, so its details were deleted.',
  expiredAskPartner: 'To add the credentials, ask {partner} to send you a new link.',
  expiredAsk: 'To add the credentials, ask the organisation that sent you the link for a new one.',
  alreadyBoundTitle: 'This link is already in use',
  alreadyBoundBody:
    'This link was already opened by another person, so it cannot be used with your account. If you think this is a mistake, contact {partner}.',
  linkNotFoundTitle: 'We could not find this request',
  linkNotFoundBody:
    'The link may be incomplete or mistyped. Open it again from the message or website that gave it to you.',
  walletTitle: 'My wallet',
  walletCount: 'Credentials in your wallet: {count}',
  walletEmpty:
    'Your wallet is empty. When an organisation sends you credentials and you accept them, they appear here.',
  walletAdded: 'Added on {date} from {partner}',
  'group.education': 'Qualifications',
  'group.english_proficiency': 'English proficiency',
  'group.microcredential': 'Learning and development',
  'group.digital_identity': 'Digital identity',
  'group.right_to_work': 'Right to work',
  'group.career_history': 'Career history',
  'group.universal_credential': 'Licences and certificates',
}

/** Keys of the review, outcome and wallet strings. */
export type ReviewTextKey = keyof typeof en

/** Review, confirmation, outcome, link-problem and wallet pages, in every interface language. */
export const reviewText: Dictionary<ReviewTextKey> = {
  en,
  id: {
    reviewTitleOne: '{partner} ingin menambahkan 1 kredensial ke dompet Anda',
    reviewTitleOther: '{partner} ingin menambahkan {count} kredensial ke dompet Anda',
    reviewIntro:
      'Periksa bahwa setiap kredensial di bawah ini milik Anda dan benar, termasuk dokumennya. Tidak ada yang ditambahkan sampai Anda menerimanya.',
    reviewIntroDecline: 'Jika ada yang salah, tolak dan hubungi {partner}.',
    reviewAwaiting:
      'Beberapa dokumen belum tiba. Muat ulang halaman ini nanti untuk melihatnya, atau putuskan sekarang.',
    reviewOtherRequest:
      'Tidak ada yang diubah: keputusan itu untuk permintaan yang Anda buka sebelumnya. Ini adalah permintaan yang sedang terbuka.',
    reviewExpires: 'Permintaan ini berakhir pada {date}.',
    decisionHeading: 'Keputusan Anda',
    accept: 'Tinjau dan terima',
    decline: 'Tolak',
    confirmAcceptTitleOne: 'Tambahkan kredensial ini ke dompet Anda?',
    confirmAcceptTitleOther: 'Tambahkan {count} kredensial ini ke dompet Anda?',
    confirmAcceptBody:
      'Semua yang ditampilkan di halaman sebelumnya akan disimpan di dompet Anda, dan {partner} akan diberi tahu bahwa Anda menerimanya.',
    confirmAcceptButton: 'Ya, tambahkan ke dompet saya',
    confirmDeclineTitle: 'Tolak permintaan ini?',
    confirmDeclineBody:
      'Tidak ada yang akan ditambahkan ke dompet Anda, dan {partner} akan diberi tahu bahwa Anda menolak. Ini tidak dapat dibatalkan: untuk menambahkan kredensial ini nanti, {partner} harus mengirimkan tautan baru kepada Anda.',
    confirmDeclineButton: 'Ya, tolak',
    goBack: 'Kembali',
    outcomeVerifiedTitle: 'Ditambahkan ke dompet Anda',
    outcomeVerifiedOne:
      '1 kredensial telah ditambahkan ke dompet Anda. {partner} telah diberi tahu bahwa Anda menerimanya.',
    outcomeVerifiedOther:
      '{count} kredensial telah ditambahkan ke dompet Anda. {partner} telah diberi tahu bahwa Anda menerimanya.',
    openWallet: 'Buka dompet saya',
    outcomeCanceledTitle: 'Permintaan ditolak',
    outcomeCanceledBody: 'Tidak ada yang ditambahkan; {partner} telah diberi tahu bahwa Anda menolak.',
    expiredTitle: 'Tautan ini sudah kedaluwarsa',
    expiredBody:
      'Permintaan untuk menambahkan kredensial terbuka selama 48 jam, dan permintaan ini tidak diselesaikan tepat waktu, sehingga rinciannya telah dihapus.',
    expiredAskPartner: 'Untuk menambahkan kredensial, minta {partner} mengirimkan tautan baru kepada Anda.',
    expiredAsk: 'Untuk menambahkan kredensial, minta tautan baru kepada organisasi yang mengirimkan tautan ini.',
    alreadyBoundTitle: 'Tautan ini sudah digunakan',
    alreadyBoundBody:
      'Tautan ini sudah dibuka oleh orang lain, sehingga tidak dapat digunakan dengan akun Anda. Jika menurut Anda ini keliru, hubungi {partner}.',
    linkNotFoundTitle: 'Permintaan ini tidak ditemukan',
    linkNotFoundBody:
      'Tautan mungkin tidak lengkap atau salah ketik. Buka kembali dari pesan atau situs web yang memberikannya.',
    walletTitle: 'Dompet saya',
    walletCount: 'Kredensial di dompet Anda: {count}',
    walletEmpty:
      'Dompet Anda masih kosong. Saat sebuah organisasi mengirimkan kredensial dan Anda menerimanya, kredensial itu akan muncul di sini.',
    walletAdded: 'Ditambahkan pada {date} dari {partner}',
    'group.education': 'Kualifikasi pendidikan',
    'group.english_proficiency': 'Kemahiran bahasa Inggris',
    'group.microcredential': 'Pembelajaran dan pengembangan',
    'group.digital_identity': 'Identitas digital',
    'group.right_to_work': 'Hak untuk bekerja',
    'group.career_history': 'Riwayat karier',
    'group.universal_credential': 'Lisensi dan sertifikat',
  },
  th: {
    reviewTitleOne: '{partner} ต้องการเพิ่มข้อมูลรับรอง 1 รายการลงในกระเป๋าของคุณ',
    reviewTitleOther: '{partner} ต้องการเพิ่มข้อมูลรับรอง {count} รายการลงในกระเป๋าของคุณ',
    reviewIntro:
      'โปรดตรวจสอบว่าข้อมูลรับรองแต่ละรายการด้านล่างเป็นของคุณและถูกต้อง รวมถึงเอกสารประกอบ จะไม่มีสิ่งใดถูกเพิ่มจนกว่าคุณจะยอมรับ',
    reviewIntroDecline: 'หากมีสิ่งใดไม่ถูกต้อง ให้ปฏิเสธและติดต่อ {partner}',
    reviewAwaiting: 'เอกสารบางรายการยังมาไม่ถึง โหลดหน้านี้ใหม่ภายหลังเพื่อดูเอกสาร หรือตัดสินใจได้เลยตอนนี้',
    reviewOtherRequest: 'ไม่มีการเปลี่ยนแปลงใด ๆ: การตัดสินใจนั้นเป็นของคำขอที่คุณเปิดไว้ก่อนหน้านี้ นี่คือคำขอที่เปิดอยู่ตอนนี้',
    reviewExpires: 'คำขอนี้จะหมดอายุเมื่อ {date}',
    decisionHeading: 'การตัดสินใจของคุณ',
    accept: 'ตรวจสอบและยอมรับ',
    decline: 'ปฏิเสธ',
    confirmAcceptTitleOne: 'เพิ่มข้อมูลรับรองนี้ลงในกระเป๋าของคุณหรือไม่',
    confirmAcceptTitleOther: 'เพิ่มข้อมูลรับรอง {count} รายการนี้ลงในกระเป๋าของคุณหรือไม่',
    confirmAcceptBody: 'ทุกอย่างที่แสดงในหน้าก่อนหน้าจะถูกบันทึกไว้ในกระเป๋าของคุณ และ {partner} จะได้รับแจ้งว่าคุณยอมรับแล้ว',
    confirmAcceptButton: 'ใช่ เพิ่มลงในกระเป๋าของฉัน',
    confirmDeclineTitle: 'ปฏิเสธคำขอนี้หรือไม่',
    confirmDeclineBody:
      'จะไม่มีสิ่งใดถูกเพิ่มลงในกระเป๋าของคุณ และ {partner} จะได้รับแจ้งว่าคุณปฏิเสธ การดำเนินการนี้ยกเลิกไม่ได้ หากต้องการเพิ่มข้อมูลรับรองเหล่านี้ภายหลัง {partner} จะต้องส่งลิงก์ใหม่ให้คุณ',
    confirmDeclineButton: 'ใช่ ปฏิเสธ',
    goBack: 'ย้อนกลับ',
    outcomeVerifiedTitle: 'เพิ่มลงในกระเป๋าของคุณแล้ว',
    outcomeVerifiedOne: 'เพิ่มข้อมูลรับรอง 1 รายการลงในกระเป๋าของคุณแล้ว {partner} ได้รับแจ้งว่าคุณยอมรับแล้ว',
    outcomeVerifiedOther: 'เพิ่มข้อมูลรับรอง {count} รายการลงในกระเป๋าของคุณแล้ว {partner} ได้รับแจ้งว่าคุณยอมรับแล้ว',
    openWallet: 'เปิดกระเป๋าของฉัน',
    outcomeCanceledTitle: 'ปฏิเสธคำขอแล้ว',
    outcomeCanceledBody: 'ไม่มีสิ่งใดถูกเพิ่ม และ {partner} ได้รับแจ้งแล้วว่าคุณปฏิเสธ',
    expiredTitle: 'ลิงก์นี้หมดอายุแล้ว',
    expiredBody: 'คำขอเพิ่มข้อมูลรับรองเปิดไว้ 48 ชั่วโมง และคำขอนี้ไม่ได้ดำเนินการให้เสร็จทันเวลา รายละเอียดจึงถูกลบแล้ว',
    expiredAskPartner: 'หากต้องการเพิ่มข้อมูลรับรอง โปรดขอให้ {partner} ส่งลิงก์ใหม่ให้คุณ',
    expiredAsk: 'หากต้องการเพิ่มข้อมูลรับรอง โปรดขอลิงก์ใหม่จากองค์กรที่ส่งลิงก์นี้ให้คุณ',
    alreadyBoundTitle: 'ลิงก์นี้ถูกใช้งานแล้ว',
    alreadyBoundBody: 'ลิงก์นี้ถูกเปิดโดยบุคคลอื่นแล้ว จึงใช้กับบัญชีของคุณไม่ได้ หากคุณคิดว่าเกิดข้อผิดพลาด โปรดติดต่อ {partner}',
    linkNotFoundTitle: 'ไม่พบคำขอนี้',
    linkNotFoundBody: 'ลิงก์อาจไม่สมบูรณ์หรือพิมพ์ผิด โปรดเปิดอีกครั้งจากข้อความหรือเว็บไซต์ที่ให้ลิงก์นั้นแก่คุณ',
    walletTitle: 'กระเป๋าของฉัน',
    walletCount: 'ข้อมูลรับรองในกระเป๋าของคุณ: {count}',
    walletEmpty: 'กระเป๋าของคุณยังว่างอยู่ เมื่อองค์กรส่งข้อมูลรับรองมาและคุณยอมรับ ข้อมูลรับรองจะปรากฏที่นี่',
    walletAdded: 'เพิ่มเมื่อ {date} จาก {partner}',
    'group.education': 'คุณวุฒิการศึกษา',
    'group.english_proficiency': 'ความสามารถทางภาษาอังกฤษ',
    'group.microcredential': 'การเรียนรู้และพัฒนาตนเอง',
    'group.digital_identity': 'ข้อมูลประจำตัวดิจิทัล',
    'group.right_to_work': 'สิทธิในการทำงาน',
    'group.career_history': 'ประวัติการทำงาน',
    'group.universal_credential': 'ใบอนุญาตและใบรับรอง',
  },
}

/** Translator for the review, outcome and wallet strings. */
export const reviewTextOf = (locale: Locale) => translator(reviewText, locale)
