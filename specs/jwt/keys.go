package jwt

import (
	"fmt"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

var (
	reqWellKnownKey = doc.Should("security.well-known-key", cite.Security, qUses,
		"Doc 004 only says it uses JWTs. An HMAC signature protects a token only while its key is secret: a key from a public wordlist lets anyone sign any user's token (RFC 7518 §3.2: an HS256 key at least as long as the hash; OWASP ASVS 4.0.3 V3.5.3, 5.0 V9.1.1). conform tries the well-known keys of weakkeys.go, each with its source, offline, as jwt_tool does. Accepted readings: any HMAC key not in the list; asymmetric algorithms are not checked.")
	reqExpPresent = doc.Should("security.exp-present", cite.Security, qUses,
		"Doc 004 only says it uses JWTs; its own example token carries exp. A token without exp never expires (RFC 7519 §4.1.4; OWASP ASVS 5.0 V9.2.1: a token is accepted only within its validity time span). Accepted readings: any lifetime, as long as exp is a number after the login. That exp is enforced is security.expired-refused.")
)

func keySpecs(b *cite.Book, e *env.Env) {
	b.It(reqWellKnownKey, "verifies the login's token against a bundled list of well-known HMAC keys", func(ctx ginkgo.SpecContext) {
		tok := acceptedToken(ctx, e)
		h, _, sig, _ := parts(tok)
		alg, _ := h["alg"].(string)
		method, isHMAC := gojwt.GetSigningMethod(alg).(*gojwt.SigningMethodHMAC)
		if !isHMAC {
			ginkgo.Skip(fmt.Sprintf("the token is signed with %q: conform checks HMAC keys only", alg))
		}
		signing := tok[:strings.LastIndex(tok, ".")]
		for _, k := range weakKeys {
			if method.Verify(signing, b64(sig), []byte(k.key)) == nil {
				env.Expect(false, "a signing key that is not publicly known", fmt.Sprintf("the token verifies with the well-known key %q (%s)", k.key, k.source))
			}
		}
	})

	b.It(reqExpPresent, "decodes the login's token for its exp claim", func(ctx ginkgo.SpecContext) {
		start := time.Now().Add(-time.Minute) // the target's clock may run a little behind
		tok, _ := logIn(ctx, e, e.Account(0))
		_, payload, _, ok := parts(tok)
		if !ok {
			ginkgo.Skip("the login's token is not a decodable JWT (see jwt.login.token-is-jwt)")
		}
		exp, isNumber := payload["exp"].(float64)
		env.Expect(isNumber, "an exp claim holding a NumericDate (RFC 7519 §4.1.4)", fmt.Sprintf("exp = %v", payload["exp"]))
		env.Expect(time.Unix(int64(exp), 0).After(start), "exp after the login", time.Unix(int64(exp), 0).UTC().Format(time.RFC3339))
	})
}
