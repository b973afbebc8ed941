package model

import "github.com/conformhq/conform/specs/cite"

// Doc 003's sentences the model's rules cite, verbatim (the document is in Russian).
const (
	q003Success       = `Пример ответа при успешном выполнении: { "status": "success", "result": { "token": "Here will be your token" } }`
	q003Error         = `Пример ошибки: { "status": "error", "errors": [ { "code": 401, "message": "Invalid login or password" } ] }`
	q003Header        = "Полученный в результате успешного выполнения данного запроса token (result.token) неодходимо добавлять к остальным запросам в заголовок в поле token."
	q003LogoutDeletes = "Logout представляет собой POST запрос, в результате выполнения которого Ваш токен будет удален из базы."
	q003LogoutShape   = `Пример ответа при успешном выполнении: { "status": "success", "result": true }`
	q003TTL           = `У токена есть "время жизни" - 24 часа. Если в течении этого периода не будет произведено никаких действий - токен станет недействительным.`
	q003OneUser       = "С одного IP адреса можно авторизоваться только под 1-м пользователем lptracker."
	q003Services      = "С одного IP адреса может быть авторизовано сколько угодно сервисов."
)

// Lptracker is doc 003's model: a login per service from a client address, the token in
// header token, logout, a 24 h idle TTL that activity extends, one user per address.
func Lptracker() *Doc {
	doc := cite.Document{Profile: "lptracker", Number: "003"}
	must := func(key string, q, en string) keyed {
		return keyed{key, doc.Must("model."+key, cite.Model, q).InEnglish(en)}
	}
	d := &Doc{
		Profile: "lptracker", OneUserPerIP: true, Services: true, Logout: true, IdleTTL: true,
		PlaceRules: []string{RuleAccepted},
		Readings: []string{
			"a second login of a user for the same service, or from another address, may end the user's earlier token or keep it",
			"a logout may end the user's other tokens of the same service, or from another address, too, or keep them; its tokens of other services from the same address stay (it deletes \"your token\", and \"any number of services\" may be authorized from one address)",
			"the logout of a token already ended may answer anything",
			`"no action" may mean no request with this token or none by its user at all: a token idle past the TTL whose user was active in between may be either`,
			"a login from an address another user holds may be refused, or end that user's sessions there (never both valid)",
			"an address may be held, when the exploration starts, by a session the specs before it left",
		},
	}
	d.rules(
		must(RuleLogin, q003Success, "Successful answer: status success, result.token."),
		must(RuleWrong, q003Error, "Error example: status error, errors [{code 401, message Invalid login or password}]."),
		must(RuleAccepted, q003Header, "The token (result.token) from a successful login must be added to all other requests in the header field token."),
		must(RuleForged, q003Header, "The token (result.token) from a successful login must be added to all other requests in the header field token."),
		must(RuleServices, q003Services, "From one IP address any number of services can be authorized."),
		must(RuleOneUser, q003OneUser, "From one IP address only one lptracker user can be authorized."),
		must(RuleIPsApart, q003OneUser, "From one IP address only one lptracker user can be authorized."),
		must(RuleLogoutAnswer, q003LogoutShape, "Successful logout answer: status success, result true."),
		must(RuleLogoutEnds, q003LogoutDeletes, "Logout is a POST request that deletes your token from the database."),
		must(RuleLogoutKeeps, q003LogoutDeletes, "Logout is a POST request that deletes your token from the database (your token: the one sent; the same user's tokens of other services from the same address stay)."),
		must(RuleTTLWithin, q003TTL, "A token lives 24 hours; if no action is taken in that period, the token becomes invalid."),
		must(RuleTTLExpires, q003TTL, "A token lives 24 hours; if no action is taken in that period, the token becomes invalid."),
	)
	return d
}
