package profile

import (
	"net/http"
	"net/url"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// Description is the description conform sends with doc 002's login (the example's
// YourAPP).
const Description = "conform"

// NewAPIKey is doc 002: GET /user/newapikey/login.json?user=&pass=&description= answers
// newapikey.key; "You have to append your username and key to every query you are making";
// 2FA codes to the phone. Its view answer names no envelope but its errors' ("status":
// "error"), so a probe succeeds when it is not an error.
func NewAPIKey() Document {
	return Document{
		Name:      "newapikey",
		Number:    "002",
		Title:     "password login issuing a key, sent with the user on every query; 2FA by phone",
		LiveToken: "newapikey.key.accepted",
		Config: config.Rules{
			TwoFactor: true,
			// "Here is an example of querying your personal information:
			// /view/user/api.json?user=username&key=key" (user and key are placed as the token).
			Probe:       &config.Probe{Method: http.MethodGet, Path: "/view/user/api.json"},
			InvalidJSON: map[string]string{"status": "error"},
		},
		Wire: Wire{
			Login: func(_ *config.Profile, a config.Account, _ int) client.Request {
				return client.Request{Method: http.MethodGet, Path: "/user/newapikey/login.json",
					Query: url.Values{"user": {a.Login}, "pass": {a.Password}, "description": {Description}}}
			},
			TokenPath: "newapikey.key",
			// { "status": "success", "success": "ADDED_KEY", "newapikey": { ... } }
			Success: map[string]any{"status": "success"},
			// { "status": "error", "error": "USER_NOT_FOUND", ... }
			Failure: map[string]any{"status": "error"},
			Placements: fixed(Placement{Name: "query parameters user and key", Put: func(r *client.Request, s Session) {
				if r.Query == nil {
					r.Query = url.Values{}
				}
				r.Query.Set("user", s.Account.Login)
				r.Query.Set("key", s.Token)
			}}),
		},
	}
}
