/** The README.txt inside a holder's data export. */
export const EXPORT_README = `Your data from Credport
=======================

This archive holds everything Credport keeps about you, as it was when you downloaded it.

credport-export.json
  account       your email address, when your account was created and when you last signed in.
  credentials   every credential in your wallet: its type, title, issuer, the organisation that
                submitted it (submitted_by) and the organisations between them (partner_chain),
                when it was received and when you accepted it, whether its issuer revoked it
                (revoked: date and reason), all its details (fields), and its documents.
                A document's "file" names its copy in this archive; "sha256" is the SHA-256 of its
                bytes as Credport received them, so you can check that copy.
  consents      each decision you made on credentials sent to you: when they were received, when
                you opened the request, when you decided, and for each credential whether you
                accepted or declined it (and when you removed it from your wallet, if you did).
                The details of declined or removed credentials are deleted, so they are not here.
  share_links   the links you created to show credentials to someone: label, when created, when
                they expire, whether you revoked them, whether documents are included, how many
                times and when last they were opened, and which credentials (item_ids, the "id"
                of each credential above) they show. The links themselves are not stored by
                Credport (only a fingerprint of each), so they cannot be listed here.

documents/<credential id>/<document id>.<pdf|png|jpg|opencert>
  the documents of your credentials, byte for byte as their issuers sent them.

Dates and times are in UTC (ISO 8601).
`
