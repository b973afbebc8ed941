package profile

import (
	"net/http"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// Lptracker is doc 003: POST /login {login, password, service, version: "1.0"} ("All fields
// in this request are required"); the token comes back in result.token and goes in the
// request header `token`; "From one IP address only one lptracker user can be authorized".
// Every answer carries the envelope status success or error.
func Lptracker() Document {
	return Document{
		Name:      "lptracker",
		Number:    "003",
		Title:     "login per service; token header, logout, 24 h idle TTL, one user per IP",
		LiveToken: "lptracker.token.header",
		Config: config.Rules{
			Services:  []string{"conform-a", "conform-b"},
			ValidJSON: map[string]string{"status": "success"},
		},
		Wire: Wire{
			Login: func(sec *config.Profile, a config.Account, n int) client.Request {
				return client.Request{Method: http.MethodPost, Path: "/login", JSON: map[string]any{
					"login": a.Login, "password": a.Password, "service": Service(sec, n), "version": "1.0",
				}}
			},
			TokenPath: "result.token",
			// "Successful answer: status success, result.token."
			Success: map[string]any{"status": "success"},
			// Error example: status error, errors [{code 401, message Invalid login or password}].
			Failure:    map[string]any{"status": "error"},
			Placements: fixed(lptrackerToken),
			// "Logout is a POST request that deletes your token from the database."
			Logout: func(_ *config.Profile, s Session) client.Request {
				r := client.Request{Method: http.MethodPost, Path: "/logout"}
				lptrackerToken.Put(&r, s)
				return r
			},
			OneUserPerIP: true,
		},
	}
}

// lptrackerToken is where doc 003's token travels: "the header field token".
var lptrackerToken = header("token")
