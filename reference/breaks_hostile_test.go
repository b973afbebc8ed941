package reference

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The checks of the breaks that the negative specs (specs/negative, specs/jwt/keys.go) catch
// (the mint breaks' are in breaks_mint_test.go):
// how a server meets hostile input, and the token properties auditors check. They are added to
// documented and coupled here, beside the breaks' own file, rather than in breaks_test.go.
func init() {
	// Each profile's login with a MongoDB operator in its body (or query) is answered below 500.
	hostileLogin := map[string]func(c *client) resp{
		"lptracker": func(c *client) resp {
			return c.do("POST", "/login", nil, `{"login":"alice@example.com","password":{"$ne":null},"service":"S","version":"1.0"}`)
		},
		"jwt": func(c *client) resp {
			return c.do("POST", "/users/login", nil, `{"email":"alice@example.com","password":{"$ne":null}}`)
		},
		"flylogs": func(c *client) resp {
			return c.do("POST", "/users/login.json", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "email=alice%40example.com&password%5B%24ne%5D=")
		},
		"apikey": func(c *client) resp {
			return c.do("POST", "/auth/login", nil, `{"apiKey":"alice-api-key","apiSecret":{"$ne":null}}`)
		},
		"newapikey": func(c *client) resp {
			return c.do("GET", "/user/newapikey/login.json?user=alice%40example.com&pass%5B%24ne%5D=&description=d", nil, "")
		},
	}
	for p, login := range hostileLogin {
		documented[p+hostileBreak] = func(c *client) bool { return login(c).status < 500 }
	}

	documented["jwt.well-known-key"] = func(c *client) bool {
		_, err := jwt.Parse(c.jwtLogin("alice@example.com"), func(*jwt.Token) (any, error) { return []byte(wellKnownKey), nil })
		return err != nil
	}
	documented["jwt.accept-alg-none-any-case"] = func(c *client) bool {
		head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"None","typ":"JWT"}`))
		body := base64.RawURLEncoding.EncodeToString([]byte(`{"uid":"uid-alice","exp":` + expIn(time.Hour) + `}`))
		return meUID(c, head+"."+body+".", true) == ""
	}
	documented["jwt.no-exp"] = func(c *client) bool {
		_, claims, _ := strings.Cut(c.jwtLogin("alice@example.com"), ".")
		raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(claims, ".")[0])
		return strings.Contains(string(raw), `"exp":`)
	}

	documented["flylogs.2fa-code-reusable"] = func(c *client) bool {
		c.flyJSON("carol@example.com", "carol-password-3", nil)
		code := c.codes.last("carol@example.com")
		first := c.flyJSON("carol@example.com", "carol-password-3", code)
		again := c.flyJSON("carol@example.com", "carol-password-3", code)
		return flyToken(first) != "" && flyToken(again) == ""
	}
	// A code mailed before a later one no longer logs in (OWASP ASVS 4.0.3 V2.7.3).
	documented["flylogs.2fa-earlier-code-ok"] = func(c *client) bool {
		c.flyJSON("carol@example.com", "carol-password-3", nil)
		earlier := c.codes.last("carol@example.com")
		c.flyJSON("carol@example.com", "carol-password-3", nil)
		later := c.codes.last("carol@example.com")
		return earlier == later || flyToken(c.flyJSON("carol@example.com", "carol-password-3", earlier)) == ""
	}
	coupled["flylogs.2fa-no-delivery flylogs.2fa-earlier-code-ok"] = true
	coupled["flylogs.2fa-token-without-code flylogs.2fa-earlier-code-ok"] = true
	coupled["flylogs.2fa-accept-wrong-code flylogs.2fa-earlier-code-ok"] = true
	coupled["flylogs.success-shape flylogs.2fa-earlier-code-ok"] = true
	// Without a delivered code, or with any code accepted, the code's reuse cannot show.
	coupled["flylogs.2fa-no-delivery flylogs.2fa-code-reusable"] = true
	coupled["flylogs.2fa-token-without-code flylogs.2fa-code-reusable"] = true
	coupled["flylogs.2fa-accept-wrong-code flylogs.2fa-code-reusable"] = true
	coupled["flylogs.success-shape flylogs.2fa-code-reusable"] = true

	// A token without exp is what the ignore-exp check expires through the clock.
	coupled["jwt.no-exp jwt.ignore-exp"] = true
	// An opaque token has no claims to read exp from.
	coupled["jwt.opaque-token jwt.no-exp"] = true
}

func expIn(d time.Duration) string {
	return strconv.FormatInt(time.Now().Add(d).Unix(), 10)
}
