// Package lptracker encodes doc 003 (the lptracker login API). The document is in Russian;
// each requirement quotes it verbatim and carries an English rendering.
package lptracker

import "conform/specs/cite"

const doc = "003"

// ttl24h is doc 003's token lifetime, used when the config gives no ttl.
const ttl24h = 24 * 60 * 60 // seconds

func req(id string, cat cite.Category, quote, english string) cite.Requirement {
	return cite.Requirement{ID: "lptracker." + id, Profile: "lptracker", Doc: doc, Quote: quote, English: english, Level: cite.Must, Category: cat}
}

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
	reqFieldRequired = req("login.field-required", cite.Auth, qRequired, "All fields in this request are required.")
	reqVersion       = req("login.version-1-0-only", cite.Auth, qVersion, "At the moment only version 1.0 is available.")
	reqWrongPassword = req("login.wrong-password-refused", cite.Auth, qError, "Error example: status error, errors [{code 401, message Invalid login or password}].")
	reqErrorShape    = req("login.error-shape", cite.Shape, qError, "Error example: status error, errors [{code 401, message Invalid login or password}].")
	reqSuccessShape  = req("login.success-shape", cite.Shape, qSuccess, "Successful answer: status success, result.token.")
	reqTokenHeader   = req("token.header", cite.Placement, qHeader, "The token (result.token) from a successful login must be added to all other requests in the header field token.")
	reqTokenRequired = req("token.required", cite.Placement, qOnlyLogin, "/login is the only request sent without a token.")
	reqTokenIssued   = req("token.unknown-refused", cite.Placement, qHeader, "The token (result.token) from a successful login must be added to all other requests in the header field token.")
	reqLogoutShape   = req("logout.success-shape", cite.Logout, qLogoutShape, "Successful logout answer: status success, result true.")
	reqLogoutDeletes = req("logout.deletes-token", cite.Logout, qLogoutDeletes, "Logout is a POST request that deletes your token from the database.")
	reqLogoutToken   = req("logout.requires-token", cite.Logout, qLogoutToken, "The request header must carry your token, obtained from the previous request.")
	reqTTLWithin     = req("ttl.valid-within-idle", cite.TTL, qTTL, "A token lives 24 hours; if no action is taken in that period, the token becomes invalid.")
	reqTTLExpires    = req("ttl.expires-when-idle", cite.TTL, qTTL, "A token lives 24 hours; if no action is taken in that period, the token becomes invalid.")
	reqTTLExtends    = req("ttl.activity-extends", cite.TTL, qTTL, "A token lives 24 hours; if no action is taken in that period, the token becomes invalid.")
	reqOneUserPerIP  = req("per-ip.one-user", cite.PerIP, qOneUser, "From one IP address only one lptracker user can be authorized.")
	reqIPsApart      = req("per-ip.ips-independent", cite.PerIP, qOneUser, "From one IP address only one lptracker user can be authorized.")
	reqManyServices  = req("per-ip.many-services", cite.PerIP, qServices, "From one IP address any number of services can be authorized.")
)
