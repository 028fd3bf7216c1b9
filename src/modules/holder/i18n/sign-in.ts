import type { Dictionary } from './index.js'

type Key =
  | 'signInTitle'
  | 'signInIntro'
  | 'emailLabel'
  | 'emailHint'
  | 'sendCode'
  | 'invalidEmail'
  | 'rateLimited'
  | 'cooldown'
  | 'mailFailed'
  | 'codeTitle'
  | 'codeIntro'
  | 'codeLabel'
  | 'codeHint'
  | 'verify'
  | 'wrongCode'
  | 'wrongCodeOne'
  | 'expired'
  | 'tooManyAttempts'
  | 'resendTitle'
  | 'resendHint'
  | 'resendWait'
  | 'resend'
  | 'newCodeSent'
  | 'useAnotherEmail'
  | 'csrfTitle'
  | 'csrfBody'
  | 'mailSubject'
  | 'mailBody'
  | 'errorTitle'
  | 'issuerWantsOne'
  | 'issuerWantsOther'
  | 'nextTitle'
  | 'nextSignIn'
  | 'nextReview'
  | 'nextDecide'
  | 'supportIntro'
  | 'emailStepTitle'
  | 'codeForIssuer'
  | 'mailSubjectIssuer'
  | 'mailBodyIssuer'
  | 'mailSignature'

/** Strings of the sign-in pages and of the sign-in email. */
export const signIn: Dictionary<Key> = {
  en: {
    signInTitle: 'Sign in',
    signInIntro: 'Enter your email address and we will send you a 6-digit code to sign in. You do not need a password.',
    emailLabel: 'Email address',
    emailHint: 'We use it only to sign you in and to keep your credentials together.',
    sendCode: 'Send code',
    invalidEmail: 'Enter an email address like name@example.com.',
    rateLimited: 'Too many codes have been requested. Try again in {minutes} minutes.',
    cooldown: 'A code was sent a moment ago. You can ask for a new one in {seconds} seconds.',
    mailFailed: 'We could not send the email just now. Please try again in a minute.',
    codeTitle: 'Check your email',
    codeIntro: 'We sent a 6-digit code to {email}. It expires in {minutes} minutes.',
    codeLabel: 'Sign-in code',
    codeHint: 'The 6 digits from the email.',
    verify: 'Sign in',
    wrongCode: 'That code is not right. You have {n} attempts left.',
    wrongCodeOne: 'That code is not right. You have 1 attempt left.',
    expired: 'This code has expired. Ask for a new code below.',
    tooManyAttempts: 'Too many wrong codes: for your security, this code no longer works. Ask for a new code below.',
    resendTitle: 'Did not get the email?',
    resendHint: 'Check your spam folder. You can ask for a new code {seconds} seconds after the last one.',
    resendWait: 'You can ask for a new code in {seconds} seconds.',
    resend: 'Send a new code',
    newCodeSent: 'We sent a new code. Use the newest one: earlier codes no longer work.',
    useAnotherEmail: 'Use another email address',
    csrfTitle: 'This form has expired',
    csrfBody: 'For your security, we could not accept this form. Go back, reload the page and try again.',
    mailSubject: 'Your Credport sign-in code',
    issuerWantsOne: '{issuer} wants to add 1 credential to your wallet',
    issuerWantsOther: '{issuer} wants to add {count} credentials to your wallet',
    nextTitle: 'What happens next',
    nextSignIn: 'Sign in with a 6-digit code we email you; no account is needed.',
    nextReview: 'Review the credentials. Nothing is added before you have seen them.',
    nextDecide: 'Accept them into your wallet, or decline. Declined credentials are deleted.',
    supportIntro: 'Questions about these credentials? Contact {issuer}:',
    emailStepTitle: 'Sign in to see them',
    codeForIssuer: 'Signing in to see the credentials from {issuer}.',
    mailSubjectIssuer: 'Your sign-in code for {issuer}’s credentials',
    mailBodyIssuer:
      'Your Credport sign-in code is {code}. Use it to see the credentials {issuer} wants to add to your wallet. It expires in {minutes} minutes. If you did not ask for it, ignore this email.',
    mailSignature: 'Credport: nothing is added to your wallet without your consent.',
    errorTitle: 'Error: {title}',
    mailBody:
      'Your Credport sign-in code is {code}. It expires in {minutes} minutes. If you did not ask for it, ignore this email.',
  },
  id: {
    signInTitle: 'Masuk',
    signInIntro:
      'Masukkan alamat email Anda, lalu kami akan mengirimkan kode 6 digit untuk masuk. Anda tidak memerlukan kata sandi.',
    emailLabel: 'Alamat email',
    emailHint: 'Kami hanya menggunakannya untuk proses masuk dan untuk menyatukan kredensial Anda.',
    sendCode: 'Kirim kode',
    invalidEmail: 'Masukkan alamat email seperti nama@contoh.com.',
    rateLimited: 'Terlalu banyak permintaan kode. Coba lagi dalam {minutes} menit.',
    cooldown: 'Kode baru saja dikirim. Anda dapat meminta kode baru dalam {seconds} detik.',
    mailFailed: 'Kami tidak dapat mengirim email saat ini. Silakan coba lagi dalam satu menit.',
    codeTitle: 'Periksa email Anda',
    codeIntro: 'Kami telah mengirim kode 6 digit ke {email}. Kode ini berlaku selama {minutes} menit.',
    codeLabel: 'Kode masuk',
    codeHint: '6 angka dari email tersebut.',
    verify: 'Masuk',
    wrongCode: 'Kode tersebut salah. Anda masih memiliki {n} kali percobaan.',
    wrongCodeOne: 'Kode tersebut salah. Anda masih memiliki 1 kali percobaan.',
    expired: 'Kode ini sudah kedaluwarsa. Minta kode baru di bawah.',
    tooManyAttempts:
      'Terlalu banyak kode yang salah: demi keamanan Anda, kode ini tidak berlaku lagi. Minta kode baru di bawah.',
    resendTitle: 'Tidak menerima email?',
    resendHint: 'Periksa folder spam Anda. Anda dapat meminta kode baru {seconds} detik setelah kode terakhir.',
    resendWait: 'Anda dapat meminta kode baru dalam {seconds} detik.',
    resend: 'Kirim kode baru',
    newCodeSent: 'Kami telah mengirim kode baru. Gunakan kode terbaru: kode sebelumnya tidak berlaku lagi.',
    useAnotherEmail: 'Gunakan alamat email lain',
    csrfTitle: 'Formulir ini sudah kedaluwarsa',
    csrfBody:
      'Demi keamanan Anda, formulir ini tidak dapat kami terima. Kembali ke halaman sebelumnya, muat ulang halaman, lalu coba lagi.',
    mailSubject: 'Kode masuk Credport Anda',
    issuerWantsOne: '{issuer} ingin menambahkan 1 kredensial ke dompet Anda',
    issuerWantsOther: '{issuer} ingin menambahkan {count} kredensial ke dompet Anda',
    nextTitle: 'Langkah berikutnya',
    nextSignIn: 'Masuk dengan kode 6 digit yang kami kirim ke email Anda; tidak perlu akun.',
    nextReview: 'Tinjau kredensialnya. Tidak ada yang ditambahkan sebelum Anda melihatnya.',
    nextDecide: 'Terima ke dompet Anda, atau tolak. Kredensial yang ditolak akan dihapus.',
    supportIntro: 'Ada pertanyaan tentang kredensial ini? Hubungi {issuer}:',
    emailStepTitle: 'Masuk untuk melihatnya',
    codeForIssuer: 'Anda masuk untuk melihat kredensial dari {issuer}.',
    mailSubjectIssuer: 'Kode masuk Anda untuk kredensial dari {issuer}',
    mailBodyIssuer:
      'Kode masuk Credport Anda adalah {code}. Gunakan kode ini untuk melihat kredensial yang ingin ditambahkan {issuer} ke dompet Anda. Kode ini berlaku selama {minutes} menit. Jika Anda tidak memintanya, abaikan email ini.',
    mailSignature: 'Credport: tidak ada yang ditambahkan ke dompet Anda tanpa persetujuan Anda.',
    errorTitle: 'Kesalahan: {title}',
    mailBody:
      'Kode masuk Credport Anda adalah {code}. Kode ini berlaku selama {minutes} menit. Jika Anda tidak memintanya, abaikan email ini.',
  },
  th: {
    signInTitle: 'เข้าสู่ระบบ',
    signInIntro: 'กรอกอีเมลของคุณ แล้วเราจะส่งรหัส 6 หลักให้คุณเพื่อใช้เข้าสู่ระบบ โดยไม่ต้องใช้รหัสผ่าน',
    emailLabel: 'อีเมล',
    emailHint: 'เราใช้อีเมลนี้เพื่อให้คุณเข้าสู่ระบบและเพื่อเก็บข้อมูลรับรองของคุณไว้ด้วยกันเท่านั้น',
    sendCode: 'ส่งรหัส',
    invalidEmail: 'กรอกอีเมลให้ถูกต้อง เช่น name@example.com',
    rateLimited: 'มีการขอรหัสมากเกินไป โปรดลองอีกครั้งในอีก {minutes} นาที',
    cooldown: 'เพิ่งมีการส่งรหัสไปเมื่อสักครู่ คุณสามารถขอรหัสใหม่ได้ในอีก {seconds} วินาที',
    mailFailed: 'ขณะนี้เราไม่สามารถส่งอีเมลได้ โปรดลองอีกครั้งในอีกหนึ่งนาที',
    codeTitle: 'ตรวจสอบอีเมลของคุณ',
    codeIntro: 'เราได้ส่งรหัส 6 หลักไปที่ {email} แล้ว รหัสนี้จะหมดอายุใน {minutes} นาที',
    codeLabel: 'รหัสเข้าสู่ระบบ',
    codeHint: 'ตัวเลข 6 หลักในอีเมล',
    verify: 'เข้าสู่ระบบ',
    wrongCode: 'รหัสไม่ถูกต้อง คุณลองได้อีก {n} ครั้ง',
    wrongCodeOne: 'รหัสไม่ถูกต้อง คุณลองได้อีก 1 ครั้ง',
    expired: 'รหัสนี้หมดอายุแล้ว โปรดขอรหัสใหม่ด้านล่าง',
    tooManyAttempts: 'กรอกรหัสผิดหลายครั้งเกินไป เพื่อความปลอดภัยของคุณ รหัสนี้จึงใช้ไม่ได้อีกต่อไป โปรดขอรหัสใหม่ด้านล่าง',
    resendTitle: 'ไม่ได้รับอีเมลใช่ไหม',
    resendHint: 'โปรดตรวจสอบโฟลเดอร์อีเมลขยะ คุณสามารถขอรหัสใหม่ได้เมื่อผ่านไป {seconds} วินาทีหลังจากรหัสล่าสุด',
    resendWait: 'คุณสามารถขอรหัสใหม่ได้ในอีก {seconds} วินาที',
    resend: 'ส่งรหัสใหม่',
    newCodeSent: 'เราได้ส่งรหัสใหม่แล้ว โปรดใช้รหัสล่าสุด เพราะรหัสก่อนหน้าใช้ไม่ได้แล้ว',
    useAnotherEmail: 'ใช้อีเมลอื่น',
    csrfTitle: 'แบบฟอร์มนี้หมดอายุแล้ว',
    csrfBody: 'เพื่อความปลอดภัยของคุณ เราไม่สามารถรับแบบฟอร์มนี้ได้ โปรดย้อนกลับ โหลดหน้านี้ใหม่ แล้วลองอีกครั้ง',
    mailSubject: 'รหัสเข้าสู่ระบบ Credport ของคุณ',
    issuerWantsOne: '{issuer} ต้องการเพิ่มข้อมูลรับรอง 1 รายการลงในกระเป๋าของคุณ',
    issuerWantsOther: '{issuer} ต้องการเพิ่มข้อมูลรับรอง {count} รายการลงในกระเป๋าของคุณ',
    nextTitle: 'ขั้นตอนถัดไป',
    nextSignIn: 'เข้าสู่ระบบด้วยรหัส 6 หลักที่เราส่งให้ทางอีเมล โดยไม่ต้องมีบัญชี',
    nextReview: 'ตรวจสอบข้อมูลรับรอง ไม่มีสิ่งใดถูกเพิ่มก่อนที่คุณจะได้ดู',
    nextDecide: 'ยอมรับเพื่อเก็บไว้ในกระเป๋าของคุณ หรือปฏิเสธ ข้อมูลรับรองที่ถูกปฏิเสธจะถูกลบ',
    supportIntro: 'มีคำถามเกี่ยวกับข้อมูลรับรองเหล่านี้ใช่ไหม ติดต่อ {issuer}:',
    emailStepTitle: 'เข้าสู่ระบบเพื่อดูข้อมูลรับรอง',
    codeForIssuer: 'คุณกำลังเข้าสู่ระบบเพื่อดูข้อมูลรับรองจาก {issuer}',
    mailSubjectIssuer: 'รหัสเข้าสู่ระบบสำหรับข้อมูลรับรองจาก {issuer}',
    mailBodyIssuer:
      'รหัสเข้าสู่ระบบ Credport ของคุณคือ {code} ใช้รหัสนี้เพื่อดูข้อมูลรับรองที่ {issuer} ต้องการเพิ่มลงในกระเป๋าของคุณ รหัสนี้จะหมดอายุใน {minutes} นาที หากคุณไม่ได้ขอรหัสนี้ โปรดเพิกเฉยต่ออีเมลฉบับนี้',
    mailSignature: 'Credport: ไม่มีสิ่งใดถูกเพิ่มลงในกระเป๋าของคุณหากไม่ได้รับความยินยอมจากคุณ',
    errorTitle: 'ข้อผิดพลาด: {title}',
    mailBody: 'รหัสเข้าสู่ระบบ Credport ของคุณคือ {code} รหัสนี้จะหมดอายุใน {minutes} นาที หากคุณไม่ได้ขอรหัสนี้ โปรดเพิกเฉยต่ออีเมลฉบับนี้',
  },
}
