package profile

import (
	"net/http"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// JWT is doc 004: POST /users/login {email, password} answers {uid, token}, a JSON Web Token
// passed "as a header on future requests using the header x-access-token" or "as a query
// parameter"; GET /users/me "returns the logged in user's object".
func JWT() Document {
	return Document{
		Name:      "jwt",
		Number:    "004",
		Title:     "password login returning a JWT, sent in x-access-token or ?token=",
		LiveToken: "jwt.token.header",
		Config: config.Rules{
			Probe:      &config.Probe{Method: http.MethodGet, Path: "/users/me"},
			SigningKey: true,
		},
		Wire: Wire{
			Login: func(_ *config.Profile, a config.Account, _ int) client.Request {
				return client.Request{Method: http.MethodPost, Path: "/users/login",
					JSON: map[string]any{"email": a.Login, "password": a.Password}}
			},
			TokenPath: "token",
			// { "success": false, "message": "Authentication failed. Wrong password." }
			Failure:    map[string]any{"success": false},
			Placements: fixed(header("x-access-token"), query("token")),
		},
	}
}
