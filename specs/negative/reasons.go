package negative

// The reasons of the should-level requirements, the same for every document (each is silent
// on them). Each names the OWASP ASVS requirement it checks.
const (
	ReasonNo5xx = "The document does not say how malformed input is refused, but a 5xx to a client's input is an unhandled path: OWASP ASVS 4.0.3 V7.4.1 (a generic message for unexpected errors) and V5.1.3 (input validated against an allow list). Accepted readings: any status below 500 (400, 401, 413, 415, 422, the document's own refusal)."

	ReasonSurvives = "The document says a valid login returns a token; a target that stops answering, or stops logging users in, after one oversize request can be taken down by anyone (OWASP ASVS 4.0.3 V5.1.4 and 5.0 V2.4.1: input limits that keep the service up). Accepted readings: any refusal of the 10 MiB body below 500, or a closed connection, as long as the next valid login and probe work."

	ReasonTokenRefused = "The document says which token to send; it does not say how a malformed one is refused. A 5xx, or an accepted token that was never issued, means the token check has an unhandled path (OWASP ASVS 4.0.3 V3.5.3, 5.0 V7.2.1: the session token is verified by a trusted backend). Accepted readings: any refusal below 500."

	ReasonUnique = "The document does not say how tokens are made. OWASP ASVS 5.0 V7.2.3: reference tokens are unique, made by a CSPRNG, with at least 128 bits of entropy (4.0.3 V3.2.2 asked 64). conform compares consecutive tokens of one account: a counter or a timestamp varies in few positions. Accepted readings: any token format, any length, as long as the positions that vary carry 128 bits."

	ReasonNoPassword = "The document shows no answer carrying a password. An answer that holds the password or its hash hands it to anyone who reads logs or caches (OWASP ASVS 4.0.3 V2.4.1, passwords stored as salted hashes that never leave the server; V8.3.1, sensitive data only where needed). Accepted readings: any answer without the account's secret, without a password hash, and without an echo of the secret sent."

	ReasonOwnToken = "The document says a login returns a token for the user who logged in; it does not say how tokens are made. A login that answers a token already issued to another user hands that user's session to whoever logs in next (OWASP ASVS 4.0.3 V3.2.1 and 5.0 V7.2.4: a new session token on every authentication). conform logs two configured users in one after the other and compares. Accepted readings: a user may hold several tokens, and a later login of the same user may answer a token that user already has (doc 002 needs a login only once); an answer that names no user is not read for one; under a one-user-per-IP rule (doc 003) the first user is logged out before the second logs in."

	ReasonCodeOnce = "The document sends a 2FA code and does not say how long it lasts. OWASP ASVS 5.0 V6.5.1: a code sent out of band can be used only once; a sent code that logs in again can be replayed by anyone who reads the message later. Checked only where the target sends the code (smtp, webhook): a TOTP code is valid for its whole window, and a static test code by design. Accepted readings: any refusal of the second use (an error, or a new challenge), as long as no token comes back."

	ReasonCodeSuperseded = "The document sends a new 2FA code on each login without one and does not say what becomes of the earlier codes. OWASP ASVS 4.0.3 V2.7.3: an out-of-band code is usable only once, and only for the authentication request it was sent for; a code mailed or texted before a later one was sent for an earlier request, and a server that keeps every code sent valid lets a reader of any old message in. Checked only where the target sends the code (smtp, webhook). Accepted readings: any refusal of the earlier code (an error, or a new challenge), as long as no token comes back; whether the later code still works afterwards is not asked (a refused code may itself send a new one)."

	ReasonAdvice = "Advisories: findings a security reviewer asks about that the document does not rule on (enumeration, OWASP ASVS 5.0 V6.3.8; throttling, 4.0.3 V2.2.1; Cache-Control no-store on answers with tokens, 4.0.3 V8.2.1; tokens in URLs, 4.0.3 V3.1.1). They are listed in the summary and the reports and never fail a run, even with --strict."
)
