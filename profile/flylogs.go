package profile

import (
	"net/http"
	"net/url"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// Flylogs is doc 000: POST /users/login.json with email and password as a form (the
// document's curl -d), the company API key as the basic-auth user on every request ("Any
// request that doesn't include an API key will return an error"), 2FA codes by email; the
// token comes back in response.token and travels where the config's token says.
func Flylogs() Document {
	return Document{
		Name:      "flylogs",
		Number:    "000",
		Title:     "password login, company API key, 2FA codes by email",
		LiveToken: "flylogs.token.accepted",
		Config: config.Rules{
			CompanyKey:       true,
			CompanyKeyHeader: "Authorization",
			OtherCompany:     true,
			TokenSilent:      true,
			TwoFactor:        true,
		},
		Wire: Wire{
			Login: func(sec *config.Profile, a config.Account, _ int) client.Request {
				r := client.Request{
					Method: http.MethodPost,
					Path:   "/users/login.json",
					Form:   url.Values{"email": {a.Login}, "password": {a.Password}},
				}
				flylogsKey(sec, &r)
				return r
			},
			TokenPath: "response.token",
			// { "response": { "result": true, "two_factor": null "message": null, ... } }
			Success: map[string]any{"response.result": true},
			// { "response": { "result": false, "message": "Incorrect email or password", ... } }
			Failure:    map[string]any{"response.result": false},
			Placements: configured,
			Authorize:  flylogsKey,
		},
	}
}

// flylogsKey puts the company API key on r as doc 000's curl does: `-u YOUR_API_KEY:`.
func flylogsKey(sec *config.Profile, r *client.Request) {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Set("Authorization", BasicAuth(sec.APIKey))
}
