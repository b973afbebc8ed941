// Package lptracker encodes doc 003 (the lptracker login API). The document is in Russian;
// each requirement quotes it verbatim and carries an English rendering.
package lptracker

import "github.com/conformhq/conform/specs/cite"

// doc is the document this package encodes.
var doc = cite.Document{Profile: "lptracker", Number: "003"}

// ttl24h is doc 003's token lifetime, used when the config gives no ttl.
const ttl24h = 24 * 60 * 60 // seconds

const (
	qRequired      = "Все поля в данном запросе обязательны."
	qVersion       = "На данный момент доступна только версия 1.0"
	qSuccess       = `Пример ответа при успешном выполнении: { "status": "success", "result": { "token": "Here will be your token" } }`
	qError         = `Пример ошибки: { "status": "error", "errors": [ { "code": 401, "message": "Invalid login or password" } ] }`
	qHeader        = "Полученный в результате успешного выполнения данного запроса token (result.token) неодходимо добавлять к остальным запросам в заголовок в поле token."
	qOnlyLogin     = "/login - единственный запрос, передаваемый без токена."
	qLogoutDeletes = "Logout представляет собой POST запрос, в результате выполнения которого Ваш токен будет удален из базы."
	qLogoutToken   = "В заголовке запроса необходимо указать Ваш token, который Вы получили в результате предыдущего запроса."
	qLogoutShape   = `Пример ответа при успешном выполнении: { "status": "success", "result": true }`
	qTTL           = `У токена есть "время жизни" - 24 часа. Если в течении этого периода не будет произведено никаких действий - токен станет недействительным.`
	qOneUser       = "С одного IP адреса можно авторизоваться только под 1-м пользователем lptracker."
	qServices      = "С одного IP адреса может быть авторизовано сколько угодно сервисов."
)

var (
	reqFieldRequired = doc.Must("login.field-required", cite.Auth, qRequired).InEnglish("All fields in this request are required.")
	reqVersion       = doc.Must("login.version-1-0-only", cite.Auth, qVersion).InEnglish("At the moment only version 1.0 is available.")
	reqWrongPassword = doc.Must("login.wrong-password-refused", cite.Auth, qError).InEnglish("Error example: status error, errors [{code 401, message Invalid login or password}].")
	reqErrorShape    = doc.Must("login.error-shape", cite.Shape, qError).InEnglish("Error example: status error, errors [{code 401, message Invalid login or password}].")
	reqSuccessShape  = doc.Must("login.success-shape", cite.Shape, qSuccess).InEnglish("Successful answer: status success, result.token.")
	reqTokenHeader   = doc.Must("token.header", cite.Placement, qHeader).InEnglish("The token (result.token) from a successful login must be added to all other requests in the header field token.")
	reqTokenRequired = doc.Must("token.required", cite.Placement, qOnlyLogin).InEnglish("/login is the only request sent without a token.")
	reqTokenIssued   = doc.Must("token.unknown-refused", cite.Placement, qHeader).InEnglish("The token (result.token) from a successful login must be added to all other requests in the header field token.")
	reqLogoutShape   = doc.Must("logout.success-shape", cite.Logout, qLogoutShape).InEnglish("Successful logout answer: status success, result true.")
	reqLogoutDeletes = doc.Must("logout.deletes-token", cite.Logout, qLogoutDeletes).InEnglish("Logout is a POST request that deletes your token from the database.")
	// "Your token": the one the logout carries. The same user's tokens of other services, which
	// "from one IP any number of services can be authorized" lets stand side by side, are not it.
	reqLogoutOthersKept = doc.Must("logout.other-services-kept", cite.Logout, qLogoutDeletes).InEnglish("Logout is a POST request that deletes your token from the database (your token: the one sent; the same user's tokens of other services stay).")
	reqLogoutToken      = doc.Must("logout.requires-token", cite.Logout, qLogoutToken).InEnglish("The request header must carry your token, obtained from the previous request.")
	reqLogoutUnknown    = doc.Should("logout.unknown-token-refused", cite.Logout, qLogoutToken,
		`Doc 003 says the logout carries "your token, obtained from the previous request". A token no login issued is not that token, and its logout deletes nothing, but the document does not say what the answer is then: a server may answer success to any logout (an idempotent logout), so refusing it is not certain. A server that answers success tells a client that sent a wrong token its session ended while the real one stays live.`).InEnglish("The request header must carry your token, obtained from the previous request.")
	reqTTLWithin    = doc.Must("ttl.valid-within-idle", cite.TTL, qTTL).InEnglish("A token lives 24 hours; if no action is taken in that period, the token becomes invalid.")
	reqTTLExpires   = doc.Must("ttl.expires-when-idle", cite.TTL, qTTL).InEnglish("A token lives 24 hours; if no action is taken in that period, the token becomes invalid.")
	reqTTLExtends   = doc.Must("ttl.activity-extends", cite.TTL, qTTL).InEnglish("A token lives 24 hours; if no action is taken in that period, the token becomes invalid.")
	reqOneUserPerIP = doc.Must("per-ip.one-user", cite.PerIP, qOneUser).InEnglish("From one IP address only one lptracker user can be authorized.")
	reqIPsApart     = doc.Must("per-ip.ips-independent", cite.PerIP, qOneUser).InEnglish("From one IP address only one lptracker user can be authorized.")
	reqMessage      = doc.Should("login.example-message", cite.Shape, qError,
		`Doc 003 shows "Invalid login or password" in its error example without saying the text is fixed. Clients show the message, or match it, and it names both causes at once, so a wrong password and an unknown login answer alike and the message does not tell which logins exist.`).InEnglish("Error example: status error, errors [{code 401, message Invalid login or password}].")
	reqManyServices = doc.Must("per-ip.many-services", cite.PerIP, qServices).InEnglish("From one IP address any number of services can be authorized.")
	reqFieldEmpty   = doc.Should("login.field-empty-refused", cite.Auth, qRequired,
		`Doc 003 makes every field of the login required, and an empty string gives none of them a value: an empty service names no service, which the document uses as the signature of the service's actions. But the document does not say what "required" asks of a value, and a server may read it as "present" and take the empty string given, so refusing it is not certain; a server that takes it signs actions with no name.`).InEnglish("All fields in this request are required.")
	reqVersionSpelling = doc.Should("login.version-spelling-refused", cite.Auth, qVersion,
		`Doc 003 names the version "1.0", a JSON string in its example, and says only it is available. "1", "1.00", "1.0.0", " 1.0", "v1.0" and the number 1.0 are other spellings a lenient server may read as version 1.0, so refusing them is not what the sentence asks for certain; a server that takes them lets a client depend on a spelling the document never gave, which the next version can break.`).InEnglish("At the moment only version 1.0 is available.")
)
