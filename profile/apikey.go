package profile

import (
	"net/http"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// APIKey is doc 001: POST /auth/login {apiKey, apiSecret} answers an ApiKeyLoginResponse
// whose token travels where the config's token says.
func APIKey() Document {
	return Document{
		Name:      "apikey",
		Number:    "001",
		Title:     "API key and secret login (OpenAPI schema)",
		LiveToken: "apikey.token.accepted",
		Config:    config.Rules{Credentials: config.KeySecret, TokenSilent: true},
		Wire: Wire{
			Login: func(_ *config.Profile, a config.Account, _ int) client.Request {
				return client.Request{Method: http.MethodPost, Path: "/auth/login",
					JSON: map[string]any{"apiKey": a.APIKey, "apiSecret": a.APISecret}}
			},
			TokenPath:  "token",
			Placements: configured,
		},
	}
}
