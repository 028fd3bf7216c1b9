import { translator, type Dictionary, type Locale } from './index.js'

// Strings of the review, confirmation, decline-outcome and link-problem pages (the wallet's, the
// success page's and the names of credential kinds are in wallet.ts). English is the reference:
// its keys are the dictionary's keys. `…One` / `…Other` pairs are chosen with the language's
// plural rules (Indonesian and Thai use `…Other` for every count).
const en = {
  reviewTitleOne: '{partner} wants to add 1 credential to your wallet',
  reviewTitleOther: '{partner} wants to add {count} credentials to your wallet',
  reviewIntro: 'Nothing is added until you accept. Open a credential to see its details and documents.',
  reviewIntroDecline: 'If anything is wrong, decline and contact {partner}.',
  reviewAwaiting: 'Some documents have not arrived yet: reload later to see them, or decide now.',
  reviewOtherRequest:
    'Nothing was changed: that decision was for a request you opened earlier. This is the request open now.',
  acceptOne: 'Accept 1 credential',
  acceptOther: 'Accept {count} credentials',
  decline: 'Decline',
  reviewChoose:
    'Each credential is selected. Untick any you do not want: it will be declined and its data deleted. You confirm on the next page.',
  choiceAccept: 'Accept',
  acceptNone: 'Continue: decline all',
  selectionSummary: 'Accept {accepted}, decline {declined}',
  selectionNone: 'None selected: continuing declines the whole request.',
  confirmPartialTitle: 'Accept {accepted}, decline {declined}?',
  confirmPartialBody:
    'The credentials you selected will be saved in your wallet. The others will be declined: their data and documents will be deleted. {partner} will be told which ones you accepted.',
  confirmPartialDeclined: 'To be declined',
  confirmPartialButton: 'Yes, accept {accepted} and decline {declined}',
  confirmNoneSelected: 'You did not select any credential, so confirming declines the whole request.',
  outcomeDeclinedOne: '1 credential you declined was not added; its data was deleted.',
  outcomeDeclinedOther: '{count} credentials you declined were not added; their data was deleted.',
  summaryLabel: 'Summary of the request',
  summaryFrom: 'From',
  summaryName: 'In the name of',
  summaryCredentials: 'Credentials',
  summaryDocuments: 'Documents',
  summaryExpires: 'Link expires',
  documentsNone: 'None',
  documentsArrivedOne: 'Received',
  documentsArrivedOther: 'All {count} received',
  documentsSome: '{arrived} of {count} received',
  warnExpiredOne: 'Expired: {title}.',
  warnExpiredOther: '{count} credentials have expired; they are marked below.',
  warnNames: 'These credentials are not all in the same name ({names}). Accept only if each one is yours.',
  credentialsHeading: 'Check each credential',
  backToDecision: 'Back to the decision',
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
  outcomeCanceledTitle: 'Request declined',
  outcomeCanceledBody:
    'Nothing was added, and the details {partner} sent were deleted; {partner} has been told you declined.',
  expiredTitle: 'This link has expired',
  expiredBody:
    'Requests to add credentials stay open for {duration}, and this one was not completed in time, so its details were deleted.',
  expiredAskPartner: 'To add the credentials, ask {partner} to send you a new link.',
  expiredAsk: 'To add the credentials, ask the organisation that sent you the link for a new one.',
  alreadyBoundTitle: 'This link is already in use',
  alreadyBoundBody:
    'This link was already opened by another person, so it cannot be used with your account. If you think this is a mistake, contact {partner}.',
  linkNotFoundTitle: 'We could not find this request',
  linkNotFoundBody:
    'The link may be incomplete or mistyped. Open it again from the message or website that gave it to you.',
  pageNotFoundTitle: 'This page does not exist',
  pageNotFoundBody: 'The address may be mistyped or out of date. Your wallet and its credentials are where they were.',
}

/** Keys of the review, confirmation, outcome and link-problem strings. */
export type ReviewTextKey = keyof typeof en

/** Review, confirmation, outcome and link-problem pages, in every interface language. */
export const reviewText: Dictionary<ReviewTextKey> = {
  en,
  id: {
    reviewTitleOne: '{partner} ingin menambahkan 1 kredensial ke dompet Anda',
    reviewTitleOther: '{partner} ingin menambahkan {count} kredensial ke dompet Anda',
    reviewIntro:
      'Tidak ada yang ditambahkan sampai Anda menerimanya. Buka kredensial untuk melihat rincian dan dokumennya.',
    reviewIntroDecline: 'Jika ada yang salah, tolak dan hubungi {partner}.',
    reviewAwaiting: 'Beberapa dokumen belum tiba: muat ulang nanti untuk melihatnya, atau putuskan sekarang.',
    reviewOtherRequest:
      'Tidak ada yang diubah: keputusan itu untuk permintaan yang Anda buka sebelumnya. Ini adalah permintaan yang sedang terbuka.',
    acceptOne: 'Terima 1 kredensial',
    acceptOther: 'Terima {count} kredensial',
    decline: 'Tolak',
    reviewChoose:
      'Setiap kredensial sudah dipilih. Hapus centang pada yang tidak Anda inginkan: kredensial itu akan ditolak dan datanya dihapus. Anda mengonfirmasi di halaman berikutnya.',
    choiceAccept: 'Terima',
    acceptNone: 'Lanjutkan: tolak semua',
    selectionSummary: 'Terima {accepted}, tolak {declined}',
    selectionNone: 'Tidak ada yang dipilih: melanjutkan berarti menolak seluruh permintaan.',
    confirmPartialTitle: 'Terima {accepted}, tolak {declined}?',
    confirmPartialBody:
      'Kredensial yang Anda pilih akan disimpan di dompet Anda. Yang lainnya akan ditolak: data dan dokumennya akan dihapus. {partner} akan diberi tahu mana yang Anda terima.',
    confirmPartialDeclined: 'Akan ditolak',
    confirmPartialButton: 'Ya, terima {accepted} dan tolak {declined}',
    confirmNoneSelected:
      'Anda tidak memilih kredensial apa pun, jadi mengonfirmasi berarti menolak seluruh permintaan.',
    outcomeDeclinedOne: '1 kredensial yang Anda tolak tidak ditambahkan; datanya telah dihapus.',
    outcomeDeclinedOther: '{count} kredensial yang Anda tolak tidak ditambahkan; datanya telah dihapus.',
    summaryLabel: 'Ringkasan permintaan',
    summaryFrom: 'Dari',
    summaryName: 'Atas nama',
    summaryCredentials: 'Kredensial',
    summaryDocuments: 'Dokumen',
    summaryExpires: 'Tautan berakhir',
    documentsNone: 'Tidak ada',
    documentsArrivedOne: 'Diterima',
    documentsArrivedOther: 'Semua {count} diterima',
    documentsSome: '{arrived} dari {count} diterima',
    warnExpiredOne: 'Kedaluwarsa: {title}.',
    warnExpiredOther: '{count} kredensial telah kedaluwarsa; semuanya ditandai di bawah.',
    warnNames: 'Kredensial ini tidak semuanya atas nama yang sama ({names}). Terima hanya jika semuanya milik Anda.',
    credentialsHeading: 'Periksa setiap kredensial',
    backToDecision: 'Kembali ke keputusan',
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
    outcomeCanceledTitle: 'Permintaan ditolak',
    outcomeCanceledBody:
      'Tidak ada yang ditambahkan, dan rincian yang dikirim {partner} telah dihapus; {partner} telah diberi tahu bahwa Anda menolak.',
    expiredTitle: 'Tautan ini sudah kedaluwarsa',
    expiredBody:
      'Permintaan untuk menambahkan kredensial terbuka selama {duration}, dan permintaan ini tidak diselesaikan tepat waktu, sehingga rinciannya telah dihapus.',
    expiredAskPartner: 'Untuk menambahkan kredensial, minta {partner} mengirimkan tautan baru kepada Anda.',
    expiredAsk: 'Untuk menambahkan kredensial, minta tautan baru kepada organisasi yang mengirimkan tautan ini.',
    alreadyBoundTitle: 'Tautan ini sudah digunakan',
    alreadyBoundBody:
      'Tautan ini sudah dibuka oleh orang lain, sehingga tidak dapat digunakan dengan akun Anda. Jika menurut Anda ini keliru, hubungi {partner}.',
    linkNotFoundTitle: 'Permintaan ini tidak ditemukan',
    linkNotFoundBody:
      'Tautan mungkin tidak lengkap atau salah ketik. Buka kembali dari pesan atau situs web yang memberikannya.',
    pageNotFoundTitle: 'Halaman ini tidak ada',
    pageNotFoundBody:
      'Alamatnya mungkin salah ketik atau sudah tidak berlaku. Dompet Anda dan kredensial di dalamnya tetap di tempatnya.',
  },
  th: {
    reviewTitleOne: '{partner} ต้องการเพิ่มข้อมูลรับรอง 1 รายการลงในกระเป๋าของคุณ',
    reviewTitleOther: '{partner} ต้องการเพิ่มข้อมูลรับรอง {count} รายการลงในกระเป๋าของคุณ',
    reviewIntro: 'จะไม่มีสิ่งใดถูกเพิ่มจนกว่าคุณจะยอมรับ เปิดข้อมูลรับรองแต่ละรายการเพื่อดูรายละเอียดและเอกสาร',
    reviewIntroDecline: 'หากมีสิ่งใดไม่ถูกต้อง ให้ปฏิเสธและติดต่อ {partner}',
    reviewAwaiting: 'เอกสารบางรายการยังมาไม่ถึง โหลดหน้านี้ใหม่ภายหลังเพื่อดู หรือตัดสินใจได้เลยตอนนี้',
    reviewOtherRequest: 'ไม่มีการเปลี่ยนแปลงใด ๆ: การตัดสินใจนั้นเป็นของคำขอที่คุณเปิดไว้ก่อนหน้านี้ นี่คือคำขอที่เปิดอยู่ตอนนี้',
    acceptOne: 'ยอมรับข้อมูลรับรอง 1 รายการ',
    acceptOther: 'ยอมรับข้อมูลรับรอง {count} รายการ',
    decline: 'ปฏิเสธ',
    reviewChoose:
      'ข้อมูลรับรองทุกรายการถูกเลือกไว้ ยกเลิกการเลือกรายการที่คุณไม่ต้องการ รายการนั้นจะถูกปฏิเสธและข้อมูลจะถูกลบ คุณจะยืนยันในหน้าถัดไป',
    choiceAccept: 'ยอมรับ',
    acceptNone: 'ดำเนินการต่อ: ปฏิเสธทั้งหมด',
    selectionSummary: 'ยอมรับ {accepted} ปฏิเสธ {declined}',
    selectionNone: 'ไม่ได้เลือกรายการใด การดำเนินการต่อจะเป็นการปฏิเสธคำขอทั้งหมด',
    confirmPartialTitle: 'ยอมรับ {accepted} รายการ และปฏิเสธ {declined} รายการหรือไม่',
    confirmPartialBody:
      'ข้อมูลรับรองที่คุณเลือกจะถูกบันทึกไว้ในกระเป๋าของคุณ ส่วนรายการอื่นจะถูกปฏิเสธ และข้อมูลและเอกสารของรายการเหล่านั้นจะถูกลบ {partner} จะได้รับแจ้งว่าคุณยอมรับรายการใดบ้าง',
    confirmPartialDeclined: 'รายการที่จะถูกปฏิเสธ',
    confirmPartialButton: 'ใช่ ยอมรับ {accepted} และปฏิเสธ {declined}',
    confirmNoneSelected: 'คุณไม่ได้เลือกข้อมูลรับรองใดเลย การยืนยันจะเป็นการปฏิเสธคำขอทั้งหมด',
    outcomeDeclinedOne: 'ข้อมูลรับรอง 1 รายการที่คุณปฏิเสธไม่ได้ถูกเพิ่ม และข้อมูลถูกลบแล้ว',
    outcomeDeclinedOther: 'ข้อมูลรับรอง {count} รายการที่คุณปฏิเสธไม่ได้ถูกเพิ่ม และข้อมูลถูกลบแล้ว',
    summaryLabel: 'สรุปคำขอ',
    summaryFrom: 'จาก',
    summaryName: 'ในชื่อ',
    summaryCredentials: 'ข้อมูลรับรอง',
    summaryDocuments: 'เอกสาร',
    summaryExpires: 'ลิงก์หมดอายุ',
    documentsNone: 'ไม่มี',
    documentsArrivedOne: 'ได้รับแล้ว',
    documentsArrivedOther: 'ได้รับครบทั้ง {count} รายการ',
    documentsSome: 'ได้รับ {arrived} จาก {count} รายการ',
    warnExpiredOne: 'หมดอายุแล้ว: {title}',
    warnExpiredOther: 'ข้อมูลรับรอง {count} รายการหมดอายุแล้ว โดยมีเครื่องหมายกำกับไว้ด้านล่าง',
    warnNames: 'ข้อมูลรับรองเหล่านี้ไม่ได้อยู่ในชื่อเดียวกันทั้งหมด ({names}) โปรดยอมรับเฉพาะเมื่อทุกรายการเป็นของคุณ',
    credentialsHeading: 'ตรวจสอบข้อมูลรับรองแต่ละรายการ',
    backToDecision: 'กลับไปที่การตัดสินใจ',
    confirmAcceptTitleOne: 'เพิ่มข้อมูลรับรองนี้ลงในกระเป๋าของคุณหรือไม่',
    confirmAcceptTitleOther: 'เพิ่มข้อมูลรับรอง {count} รายการนี้ลงในกระเป๋าของคุณหรือไม่',
    confirmAcceptBody: 'ทุกอย่างที่แสดงในหน้าก่อนหน้าจะถูกบันทึกไว้ในกระเป๋าของคุณ และ {partner} จะได้รับแจ้งว่าคุณยอมรับแล้ว',
    confirmAcceptButton: 'ใช่ เพิ่มลงในกระเป๋าของฉัน',
    confirmDeclineTitle: 'ปฏิเสธคำขอนี้หรือไม่',
    confirmDeclineBody:
      'จะไม่มีสิ่งใดถูกเพิ่มลงในกระเป๋าของคุณ และ {partner} จะได้รับแจ้งว่าคุณปฏิเสธ การดำเนินการนี้ยกเลิกไม่ได้ หากต้องการเพิ่มข้อมูลรับรองเหล่านี้ภายหลัง {partner} จะต้องส่งลิงก์ใหม่ให้คุณ',
    confirmDeclineButton: 'ใช่ ปฏิเสธ',
    goBack: 'ย้อนกลับ',
    outcomeCanceledTitle: 'ปฏิเสธคำขอแล้ว',
    outcomeCanceledBody: 'ไม่มีสิ่งใดถูกเพิ่ม รายละเอียดที่ {partner} ส่งมาถูกลบแล้ว และ {partner} ได้รับแจ้งแล้วว่าคุณปฏิเสธ',
    expiredTitle: 'ลิงก์นี้หมดอายุแล้ว',
    expiredBody: 'คำขอเพิ่มข้อมูลรับรองเปิดไว้ {duration} และคำขอนี้ไม่ได้ดำเนินการให้เสร็จทันเวลา รายละเอียดจึงถูกลบแล้ว',
    expiredAskPartner: 'หากต้องการเพิ่มข้อมูลรับรอง โปรดขอให้ {partner} ส่งลิงก์ใหม่ให้คุณ',
    expiredAsk: 'หากต้องการเพิ่มข้อมูลรับรอง โปรดขอลิงก์ใหม่จากองค์กรที่ส่งลิงก์นี้ให้คุณ',
    alreadyBoundTitle: 'ลิงก์นี้ถูกใช้งานแล้ว',
    alreadyBoundBody: 'ลิงก์นี้ถูกเปิดโดยบุคคลอื่นแล้ว จึงใช้กับบัญชีของคุณไม่ได้ หากคุณคิดว่าเกิดข้อผิดพลาด โปรดติดต่อ {partner}',
    linkNotFoundTitle: 'ไม่พบคำขอนี้',
    linkNotFoundBody: 'ลิงก์อาจไม่สมบูรณ์หรือพิมพ์ผิด โปรดเปิดอีกครั้งจากข้อความหรือเว็บไซต์ที่ให้ลิงก์นั้นแก่คุณ',
    pageNotFoundTitle: 'ไม่มีหน้านี้',
    pageNotFoundBody: 'ที่อยู่อาจพิมพ์ผิดหรือล้าสมัย กระเป๋าของคุณและข้อมูลรับรองในนั้นยังอยู่ที่เดิม',
  },
}

/** Translator for the review, confirmation, outcome and link-problem strings. */
export const reviewTextOf = (locale: Locale) => translator(reviewText, locale)
