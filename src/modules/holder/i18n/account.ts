import { translator, type Dictionary, type Locale } from './index.js'

// Strings of the holder's data rights: the "Your data" page, the confirmations of removing a
// credential and deleting the account, and the page after the deletion. English is the reference.

const en = {
  linkFromWallet: 'Your data: download everything, remove a credential, delete your account',
  accountTitle: 'Your data',
  accountIntro: 'Everything Credport keeps about you is yours: take a copy of it, or delete it.',
  removedNotice: 'The credential was removed from your wallet, with its documents.',
  exportHeading: 'Download everything',
  exportBody:
    'One ZIP file with every credential in your wallet (its details, who submitted it and when you accepted it), your share links, each decision you made on credentials sent to you, your account details and your documents, with a README that explains what is inside.',
  exportButton: 'Download my data (ZIP)',
  removeHeading: 'Remove a credential',
  removeBody:
    'Removing a credential deletes its details and documents from Credport. Share links that included it then say it was removed by you. The organisation that sent it is not told.',
  removeNone: 'Your wallet has no credential to remove.',
  removeLink: 'Remove…',
  removeLinkLabel: 'Remove {title}',
  deleteHeading: 'Delete my account',
  deleteBody:
    'Deleting your account deletes every credential, document and share link in it, your sign-in history and your email address. It cannot be undone.',
  deleteLink: 'Delete my account…',
  removeConfirmTitle: 'Remove this credential?',
  removeConfirmBody:
    '“{title}” from {partner} will be deleted from your wallet, with its documents. Share links that included it will say it was removed by you. This cannot be undone: to have it again, ask {partner} to send it again.',
  removeConfirmButton: 'Remove the credential',
  deleteConfirmTitle: 'Delete your account?',
  deleteConfirmBody:
    'Everything will be deleted at once: the credentials in your wallet ({count}) and their documents, your share links, your sign-in history and your email address ({email}). Requests still waiting for your answer are declined, and their organisations are told. Organisations keep only that they sent you credentials and your answers, never their contents.',
  deleteConfirmExport: 'You may want to download your data first.',
  deleteConfirmCheck:
    'I understand that my account and everything in it will be deleted, and that this cannot be undone.',
  deleteConfirmRequired: 'Tick the box to confirm that you want to delete your account.',
  deleteConfirmButton: 'Delete my account',
  goBack: 'Go back',
  deletedTitle: 'Your account is deleted',
  deletedBody:
    'Your credentials, documents, share links, sign-in history and email address have been deleted, and you have been signed out. If an organisation sends you credentials again, you can sign in with your email address to start a new wallet.',
  notFoundTitle: 'Credential not found',
  notFoundBody: 'There is no credential at this address in your wallet. It may have been removed already.',
}

/** Keys of the data-rights strings. */
export type AccountTextKey = keyof typeof en

export const accountText: Dictionary<AccountTextKey> = {
  en,
  id: {
    linkFromWallet: 'Data Anda: unduh semuanya, hapus kredensial, hapus akun Anda',
    accountTitle: 'Data Anda',
    accountIntro: 'Semua yang disimpan Credport tentang Anda adalah milik Anda: ambil salinannya, atau hapus.',
    removedNotice: 'Kredensial telah dihapus dari dompet Anda, beserta dokumennya.',
    exportHeading: 'Unduh semuanya',
    exportBody:
      'Satu file ZIP berisi setiap kredensial di dompet Anda (rinciannya, siapa yang mengirimkannya, dan kapan Anda menerimanya), tautan berbagi Anda, setiap keputusan Anda atas kredensial yang dikirim kepada Anda, rincian akun Anda, dan dokumen Anda, dengan README yang menjelaskan isinya.',
    exportButton: 'Unduh data saya (ZIP)',
    removeHeading: 'Hapus kredensial',
    removeBody:
      'Menghapus kredensial akan menghapus rincian dan dokumennya dari Credport. Tautan berbagi yang memuatnya akan menyatakan bahwa kredensial itu telah dihapus oleh Anda. Organisasi yang mengirimkannya tidak diberi tahu.',
    removeNone: 'Dompet Anda tidak memiliki kredensial untuk dihapus.',
    removeLink: 'Hapus…',
    removeLinkLabel: 'Hapus {title}',
    deleteHeading: 'Hapus akun saya',
    deleteBody:
      'Menghapus akun akan menghapus setiap kredensial, dokumen, dan tautan berbagi di dalamnya, riwayat masuk Anda, dan alamat email Anda. Tindakan ini tidak dapat dibatalkan.',
    deleteLink: 'Hapus akun saya…',
    removeConfirmTitle: 'Hapus kredensial ini?',
    removeConfirmBody:
      '“{title}” dari {partner} akan dihapus dari dompet Anda, beserta dokumennya. Tautan berbagi yang memuatnya akan menyatakan bahwa kredensial itu dihapus oleh Anda. Tindakan ini tidak dapat dibatalkan: untuk memilikinya lagi, minta {partner} mengirimkannya kembali.',
    removeConfirmButton: 'Hapus kredensial',
    deleteConfirmTitle: 'Hapus akun Anda?',
    deleteConfirmBody:
      'Semuanya akan dihapus sekaligus: {count} kredensial beserta dokumennya, tautan berbagi Anda, riwayat masuk Anda, dan alamat email Anda ({email}). Permintaan yang masih menunggu jawaban Anda akan ditolak, dan organisasinya diberi tahu. Organisasi hanya menyimpan bahwa mereka pernah mengirimi Anda kredensial dan jawaban Anda, tidak pernah isinya.',
    deleteConfirmExport: 'Sebaiknya unduh data Anda terlebih dahulu.',
    deleteConfirmCheck:
      'Saya memahami bahwa akun saya dan semua isinya akan dihapus, dan tindakan ini tidak dapat dibatalkan.',
    deleteConfirmRequired: 'Centang kotak untuk mengonfirmasi bahwa Anda ingin menghapus akun Anda.',
    deleteConfirmButton: 'Hapus akun saya',
    goBack: 'Kembali',
    deletedTitle: 'Akun Anda telah dihapus',
    deletedBody:
      'Kredensial, dokumen, tautan berbagi, riwayat masuk, dan alamat email Anda telah dihapus, dan Anda telah keluar. Jika sebuah organisasi mengirimi Anda kredensial lagi, Anda dapat masuk dengan alamat email Anda untuk memulai dompet baru.',
    notFoundTitle: 'Kredensial tidak ditemukan',
    notFoundBody: 'Tidak ada kredensial di alamat ini dalam dompet Anda. Mungkin kredensial itu sudah dihapus.',
  },
  th: {
    linkFromWallet: 'ข้อมูลของคุณ: ดาวน์โหลดทั้งหมด ลบข้อมูลรับรอง ลบบัญชีของคุณ',
    accountTitle: 'ข้อมูลของคุณ',
    accountIntro: 'ทุกสิ่งที่ Credport เก็บไว้เกี่ยวกับคุณเป็นของคุณ: คุณสามารถดาวน์โหลดสำเนาหรือลบได้',
    removedNotice: 'ลบข้อมูลรับรองออกจากกระเป๋าของคุณพร้อมเอกสารแล้ว',
    exportHeading: 'ดาวน์โหลดทั้งหมด',
    exportBody:
      'ไฟล์ ZIP หนึ่งไฟล์ที่มีข้อมูลรับรองทุกรายการในกระเป๋าของคุณ (รายละเอียด ผู้ส่ง และวันที่คุณยอมรับ) ลิงก์แชร์ของคุณ การตัดสินใจแต่ละครั้งของคุณต่อข้อมูลรับรองที่ส่งถึงคุณ รายละเอียดบัญชี และเอกสารของคุณ พร้อมไฟล์ README ที่อธิบายเนื้อหา',
    exportButton: 'ดาวน์โหลดข้อมูลของฉัน (ZIP)',
    removeHeading: 'ลบข้อมูลรับรอง',
    removeBody:
      'การลบข้อมูลรับรองจะลบรายละเอียดและเอกสารของข้อมูลรับรองนั้นออกจาก Credport ลิงก์แชร์ที่มีข้อมูลรับรองนี้จะแสดงว่าคุณได้ลบออกแล้ว องค์กรที่ส่งมาจะไม่ได้รับแจ้ง',
    removeNone: 'กระเป๋าของคุณไม่มีข้อมูลรับรองให้ลบ',
    removeLink: 'ลบ…',
    removeLinkLabel: 'ลบ {title}',
    deleteHeading: 'ลบบัญชีของฉัน',
    deleteBody: 'การลบบัญชีจะลบข้อมูลรับรอง เอกสาร และลิงก์แชร์ทั้งหมดในบัญชี ประวัติการเข้าสู่ระบบ และที่อยู่อีเมลของคุณ และไม่สามารถย้อนกลับได้',
    deleteLink: 'ลบบัญชีของฉัน…',
    removeConfirmTitle: 'ลบข้อมูลรับรองนี้หรือไม่',
    removeConfirmBody:
      '“{title}” จาก {partner} จะถูกลบออกจากกระเป๋าของคุณพร้อมเอกสาร ลิงก์แชร์ที่มีข้อมูลรับรองนี้จะแสดงว่าคุณได้ลบออกแล้ว การดำเนินการนี้ไม่สามารถย้อนกลับได้ หากต้องการอีกครั้ง โปรดขอให้ {partner} ส่งมาใหม่',
    removeConfirmButton: 'ลบข้อมูลรับรอง',
    deleteConfirmTitle: 'ลบบัญชีของคุณหรือไม่',
    deleteConfirmBody:
      'ทุกอย่างจะถูกลบทันที: ข้อมูลรับรอง {count} รายการพร้อมเอกสาร ลิงก์แชร์ ประวัติการเข้าสู่ระบบ และที่อยู่อีเมลของคุณ ({email}) คำขอที่ยังรอคำตอบจากคุณจะถูกปฏิเสธและองค์กรจะได้รับแจ้ง องค์กรจะเก็บไว้เพียงว่าเคยส่งข้อมูลรับรองให้คุณและคำตอบของคุณ โดยไม่มีเนื้อหา',
    deleteConfirmExport: 'คุณอาจต้องการดาวน์โหลดข้อมูลของคุณก่อน',
    deleteConfirmCheck: 'ฉันเข้าใจว่าบัญชีของฉันและทุกอย่างในบัญชีจะถูกลบ และไม่สามารถย้อนกลับได้',
    deleteConfirmRequired: 'โปรดทำเครื่องหมายในช่องเพื่อยืนยันว่าคุณต้องการลบบัญชี',
    deleteConfirmButton: 'ลบบัญชีของฉัน',
    goBack: 'ย้อนกลับ',
    deletedTitle: 'บัญชีของคุณถูกลบแล้ว',
    deletedBody:
      'ข้อมูลรับรอง เอกสาร ลิงก์แชร์ ประวัติการเข้าสู่ระบบ และที่อยู่อีเมลของคุณถูกลบแล้ว และคุณได้ออกจากระบบแล้ว หากองค์กรส่งข้อมูลรับรองให้คุณอีกครั้ง คุณสามารถเข้าสู่ระบบด้วยที่อยู่อีเมลเพื่อเริ่มกระเป๋าใหม่ได้',
    notFoundTitle: 'ไม่พบข้อมูลรับรอง',
    notFoundBody: 'ไม่มีข้อมูลรับรองที่ที่อยู่นี้ในกระเป๋าของคุณ อาจถูกลบไปแล้ว',
  },
}

export const accountTextOf = (locale: Locale) => translator(accountText, locale)
