package jwt

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func securitySpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("token security", func() {
		// Each forgery in each of doc 004's two ways: a server may verify the header's token
		// and only decode the query parameter's. The forgery is built from a token proven
		// accepted in the header; the way under test only carries it.
		for _, w := range ways {
			// Every spelling jwt_tool tries: a server that refuses "none" by string comparison
			// and hands the header to a library that folds case accepts the others (RFC 7518
			// §3.6 names "none" only; ASVS 5.0 V9.1.2: the allowlist must not include None).
			b.It(reqAlgNone, `sends the probe with the token re-signed as "alg": "none", "None", "NONE" and "nOnE" in `+w.name, func(ctx ginkgo.SpecContext) {
				tok := acceptedToken(ctx, e)
				_, payload, _, _ := parts(tok)
				for _, alg := range []string{"none", "None", "NONE", "nOnE"} {
					forged := enc(map[string]string{"alg": alg, "typ": "JWT"}) + "." + enc(payload) + "."
					ok, resp := e.Probe(ctx, "", w.in(e, forged))
					env.Expect(!ok, fmt.Sprintf(`the probe to refuse an unsigned ("alg": %q) token in %s`, alg, w.name), env.DescribeField(resp, "@this"))
				}
			})

			b.It(reqTampered, "sends the probe with the token's payload changed and its signature kept, in "+w.name, func(ctx ginkgo.SpecContext) {
				tok := acceptedToken(ctx, e)
				p := strings.Split(tok, ".")
				_, payload, _, _ := parts(tok)
				payload["conform_tampered"] = true
				forged := p[0] + "." + enc(payload) + "." + p[2]
				ok, resp := e.Probe(ctx, "", w.in(e, forged))
				env.Expect(!ok, "the probe to refuse a token whose signature does not match its payload, in "+w.name, env.DescribeField(resp, "@this"))
			})

			b.It(reqExpired, "sends the probe with an expired token in "+w.name, func(ctx ginkgo.SpecContext) {
				tok := expiredToken(ctx, e)
				ok, resp := e.Probe(ctx, "", w.in(e, tok))
				env.Expect(!ok, "the probe to refuse a token past its exp, in "+w.name, env.DescribeField(resp, "@this"))
			})
		}

		b.It(reqNoSecret, "decodes the payload of a valid login's token", func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			tok, _ := logIn(ctx, e, a)
			_, payload, _, ok := parts(tok)
			if !ok {
				ginkgo.Skip("the login's token is not a decodable JWT (see jwt.login.token-is-jwt)")
			}
			for k, v := range payload {
				s := fmt.Sprint(v)
				env.Expect(!secretKey.MatchString(k), "no password-like claim in the payload", fmt.Sprintf("claim %q", k))
				env.Expect(s != a.Password, "the password nowhere in the payload", fmt.Sprintf("claim %q holds the password", k))
				env.Expect(!hashValue.MatchString(s), "no password hash in the payload", fmt.Sprintf("claim %q = %.20s...", k, s))
			}
		})
	})
}

var (
	secretKey = regexp.MustCompile(`(?i)^(password|passwd|pass|pwd|hash|password_?hash|secret)$`)
	hashValue = regexp.MustCompile(`^\$(2[abxy]?|argon2(id|i|d)?|scrypt|pbkdf2[-a-z0-9]*)\$`)
)

// acceptedToken logs in and proves the token works before a spec forges a variant of it, so a
// refusal of the forgery means something. Without a decodable token that the probe accepts
// there is nothing to forge from: the spec skips, and the must-level specs named in the reason
// report the cause.
func acceptedToken(ctx context.Context, e *env.Env) string {
	ginkgo.GinkgoHelper()
	tok, _ := logIn(ctx, e, e.Account(0))
	if _, _, _, ok := parts(tok); !ok {
		ginkgo.Skip("the login's token is not a decodable JWT, so there is nothing to forge from (see jwt.login.token-is-jwt)")
	}
	if valid, _ := e.Probe(ctx, "", inHeader(e, tok)); !valid {
		ginkgo.Skip("the probe refuses the genuine token in header x-access-token, so a refused forgery would prove nothing (see jwt.token.header)")
	}
	return tok
}

// expiredToken mints a correctly signed token whose exp has passed when the config gives the
// key (proven first: provenKey), else lets the target's own TTL run out (through its clock
// hook or a real wait).
func expiredToken(ctx context.Context, e *env.Env) string {
	ginkgo.GinkgoHelper()
	if e.Config.JWT != nil && e.Config.JWT.Secret != "" {
		k := provenKey(ctx, e, "an expired token")
		now := time.Now()
		k.payload["iat"] = now.Add(-2 * time.Hour).Unix()
		k.payload["exp"] = now.Add(-time.Hour).Unix()
		return k.sign(k.header, k.payload)
	}
	if e.Config.TTL == nil {
		ginkgo.Skip("needs jwt.jwt.secret (to mint an expired token) or jwt.ttl.idle (to let one expire): doc 004 gives no lifetime")
	}
	clock := e.TTLClock(0, 1.5)
	tok := acceptedToken(ctx, e)
	_, payload, _, _ := parts(tok)
	_, hasExp := payload["exp"]
	env.Expect(hasExp, "an exp claim (RFC 7519 §4.1.4) so the token can expire", "a payload without exp: the token never expires")
	clock.PassExpiring(ctx, clock.Idle()+clock.Margin())
	return tok
}

// signingKey is the target's HMAC key from the config, proven to verify on the target, with
// the accepted token it was proven on (header and payload decoded, for a spec to change).
type signingKey struct {
	method  *gojwt.SigningMethodHMAC
	key     []byte
	header  map[string]any
	payload map[string]any
}

// sign signs header and payload with the key and the token's own algorithm.
func (k signingKey) sign(header, payload map[string]any) string {
	ginkgo.GinkgoHelper()
	return resign(header, payload, k.method, k.key)
}

// provenKey returns jwt.secret once it has proven itself: the login's own token, claims
// untouched, re-signed with it (the control token), must be accepted. A token signed with a
// wrong key is refused for its signature whatever else it carries, so without that proof the
// refusal of what (the forgery a spec mints) would prove nothing: the spec does not pass, and
// the run reports a config error (env.ConfigWrong) rather than a failure of the target.
// Without jwt.secret, or with a token not signed with HMAC, the spec skips.
func provenKey(ctx context.Context, e *env.Env, what string) signingKey {
	ginkgo.GinkgoHelper()
	if e.Config.JWT == nil || e.Config.JWT.Secret == "" {
		ginkgo.Skip("needs jwt.jwt.secret, the key the target signs with, to mint " + what)
	}
	tok := acceptedToken(ctx, e)
	h, payload, _, _ := parts(tok)
	alg, _ := h["alg"].(string)
	method, isHMAC := gojwt.GetSigningMethod(alg).(*gojwt.SigningMethodHMAC)
	if !isHMAC {
		ginkgo.Skip(fmt.Sprintf("jwt.jwt.secret is set but the target signs with %q; conform mints tokens only for HMAC algorithms", alg))
	}
	k := signingKey{method: method, key: []byte(e.Config.JWT.Secret), header: h, payload: payload}
	if ok, resp := e.Probe(ctx, "", inHeader(e, k.sign(h, payload))); !ok {
		e.ConfigWrong("jwt.jwt.secret", fmt.Sprintf("does not verify on the target: the login's own token re-signed with it (%s, claims unchanged) was refused, so the refusal of %s would prove nothing; set the key the target signs with, or remove jwt.secret (probe answered %s)", alg, what, env.DescribeField(resp, "@this")))
	}
	e.ConfigWorked("jwt.jwt.secret")
	// The control token's own maps went into its signature; the spec gets fresh ones.
	k.header, k.payload, _, _ = parts(tok)
	return k
}

// resign signs header and payload with key: the header as the target wrote it (kid, typ and
// all), so that the signature is the only thing conform changes besides the claims it sets.
func resign(header, payload map[string]any, method gojwt.SigningMethod, key []byte) string {
	ginkgo.GinkgoHelper()
	signing := enc(header) + "." + enc(payload)
	sig, err := method.Sign(signing, key)
	env.Expect(err == nil, "to sign a token with jwt.secret", fmt.Sprint(err))
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}
