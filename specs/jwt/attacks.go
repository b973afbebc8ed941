package jwt

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// The attacks of jwt_tool (github.com/ticarpi/jwt_tool, its -X exploits and -T tamper modes)
// that apply to a server of doc 004, which signs with HMAC: the signature stripped or cut
// short, the algorithm switched, a key named or embedded by the token itself, and claims
// (nbf, exp) only the key's holder can set. Key confusion proper (RS256 to HS256 with the
// server's public key) needs a public key, which an HMAC server does not have; the switch
// between HMAC algorithms is its form here. Each is a should: doc 004 only says it "Uses JSON
// Web Tokens", and each reason names the RFC 8725 or OWASP ASVS 4.0.3 requirement it rests on.
var (
	reqSigStripped = doc.Should("security.signature-stripped-refused", cite.Security, qUses,
		`Doc 004 only says it uses JWTs. A token with its signature removed or emptied but its "alg" kept is unsigned: RFC 8725 §2.1 names "insufficient signature validation" as an attack, RFC 7515 §5.2 rejects a JWS whose signature does not validate, and OWASP ASVS 4.0.3 V3.5.3 asks that stateless tokens be protected by their signature against tampering. Accepted readings: any refusal.`)
	reqSigTruncated = doc.Should("security.signature-truncated-refused", cite.Security, qUses,
		"Doc 004 only says it uses JWTs. A server that compares a signature only over the bytes the token gives accepts a prefix of it, which an attacker finds a byte at a time: RFC 8725 §2.1 (insufficient signature validation), RFC 7515 §5.2 (the signature must validate, not a part of it), OWASP ASVS 4.0.3 V3.5.3. Accepted readings: any refusal.")
	reqOneAlgPerKey = doc.Should("security.one-alg-per-key", cite.Security, qUses,
		`Doc 004 only says it uses JWTs. RFC 8725 §3.1: "each key MUST be used with exactly one algorithm, and this MUST be checked when the cryptographic operation is performed"; a server that lets the token's "alg" choose (node-jsonwebtoken's default for a secret accepts HS256, HS384 and HS512) is open to algorithm substitution (OWASP ASVS 4.0.3 V3.5.3). conform re-signs the login's own token with jwt.secret under the other HMAC algorithms. Accepted readings: the target's own algorithm only.`)
	reqJWKInjection = doc.Should("security.jwk-header-ignored", cite.Security, qUses,
		`Doc 004 only says it uses JWTs. A token that carries its own key ("jwk", RFC 7515 §4.1.3) and is signed with it proves nothing: trusting it is the key substitution OWASP ASVS 4.0.3 V3.5.3 asks to protect against, and RFC 8725 §3.10 asks that header parameters not be trusted blindly. conform embeds a key of its own (EC P-256, and an HMAC key as kty "oct") in a token that had no jwk. Accepted readings: any refusal, whatever the server does with jwk.`)
	reqJKUInjection = doc.Should("security.jku-header-ignored", cite.Security, qUses,
		`Doc 004 only says it uses JWTs. RFC 8725 §3.10: "blindly following a "jku" (JWK set URL) ... header, which may contain an arbitrary URL, could result in server-side request forgery (SSRF) attacks"; a server that verifies with the set it fetched accepts any signer (OWASP ASVS 4.0.3 V3.5.3, key substitution). conform serves a JWK Set on a loopback port of its own and names it in jku; the token is refused, and the set never fetched, by a target that ignores jku or allows only its own URLs. A target that cannot reach conform's port proves nothing either way (the spec then passes on the refusal alone). Accepted readings: any refusal without a fetch.`)
	reqKIDInjection = doc.Should("security.kid-header-ignored", cite.Security, qUses,
		`Doc 004 only says it uses JWTs. RFC 8725 §3.10: the "kid" header is used for key lookup and must not create injection vulnerabilities; jwt_tool tries a kid that walks to /dev/null (an empty key) and one that is SQL selecting a key of the attacker's choosing (OWASP ASVS 4.0.3 V3.5.3, key substitution). conform adds such a kid to a token that had none and signs with the key it would select. Accepted readings: any refusal.`)
	reqNbf = doc.Should("security.not-yet-valid-refused", cite.Security, qUses,
		`Doc 004 only says it uses JWTs. RFC 7519 §4.1.5: a token "MUST NOT be accepted for processing" before its nbf; OWASP ASVS 4.0.3 V3.5.3 (replay: a token is valid only within its time span). conform signs the login's own token, with an nbf an hour ahead, with jwt.secret. Accepted readings: any refusal.`)
	reqNoExpRefused = doc.Should("security.exp-required", cite.Security, qUses,
		"Doc 004 only says it uses JWTs; its own example token carries exp. A token without exp, signed with the target's key, is valid for ever: a stolen one is replayed for ever (OWASP ASVS 4.0.3 V3.5.3, replay; V3.3.1, expiration invalidates the token; RFC 8725 §3.10 asks that claims be validated, not trusted). conform signs the login's own token without exp with jwt.secret. Accepted readings: any refusal. That the target's own tokens carry exp is security.exp-present.")
)

func attackSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("token attacks", func() {
		for _, w := range ways {
			b.It(reqSigStripped, "sends the probe with the token's signature removed and emptied, its alg kept, in "+w.name, func(ctx ginkgo.SpecContext) {
				signing := signingInput(acceptedToken(ctx, e))
				for _, f := range []struct{ tok, what string }{{signing, "removed (header.payload)"}, {signing + ".", "emptied (header.payload.)"}} {
					expectRefusedToken(ctx, e, w, f.tok, "the token with its signature "+f.what)
				}
			})

			b.It(reqSigTruncated, "sends the probe with the token's signature cut short, in "+w.name, func(ctx ginkgo.SpecContext) {
				tok := acceptedToken(ctx, e)
				signing, sig := signingInput(tok), b64(tok[strings.LastIndex(tok, ".")+1:])
				if len(sig) < 2 {
					ginkgo.Skip("the token's signature has fewer than two bytes: nothing to cut short")
				}
				for _, n := range []int{len(sig) - 1, len(sig) / 2, 1} {
					forged := signing + "." + base64.RawURLEncoding.EncodeToString(sig[:n])
					expectRefusedToken(ctx, e, w, forged, fmt.Sprintf("the token with its signature cut to its first %d of %d bytes", n, len(sig)))
				}
			})

			b.It(reqOneAlgPerKey, "sends the probe with the token re-signed with jwt.secret under each other HMAC algorithm, in "+w.name, func(ctx ginkgo.SpecContext) {
				k := provenKey(ctx, e, "a token under another algorithm")
				for _, m := range []*gojwt.SigningMethodHMAC{gojwt.SigningMethodHS256, gojwt.SigningMethodHS384, gojwt.SigningMethodHS512} {
					if m == k.method {
						continue
					}
					h := maps.Clone(k.header)
					h["alg"] = m.Alg()
					expectRefusedToken(ctx, e, w, resign(h, k.payload, m, k.key), fmt.Sprintf("the token signed with the target's key under %s instead of %s", m.Alg(), k.method.Alg()))
				}
			})

			b.It(reqJWKInjection, "sends the probe with the token re-signed with conform's own key, embedded in a jwk header, in "+w.name, func(ctx ginkgo.SpecContext) {
				h, payload := untouchedBy(ctx, e, "jwk")
				priv := ecKey()
				ec := maps.Clone(h)
				ec["alg"], ec["jwk"] = "ES256", ecJWK(&priv.PublicKey, "")
				expectRefusedToken(ctx, e, w, signES256(ec, payload, priv), "a token signed ES256 with the EC key its own jwk header carries")
				secret := []byte("conform-embedded-hmac-key")
				oct := maps.Clone(h)
				oct["alg"], oct["jwk"] = "HS256", map[string]string{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString(secret)}
				expectRefusedToken(ctx, e, w, resign(oct, payload, gojwt.SigningMethodHS256, secret), `a token signed HS256 with the "oct" key its own jwk header carries`)
			})

			b.It(reqJKUInjection, "sends the probe with the token re-signed with conform's own key, published at a jku header's URL, in "+w.name, func(ctx ginkgo.SpecContext) {
				h, payload := untouchedBy(ctx, e, "jku")
				priv := ecKey()
				set, err := serveJWKS(map[string]any{"keys": []any{ecJWK(&priv.PublicKey, "conform-jku")}})
				env.Expect(err == nil, "a loopback port to serve a JWK Set on", fmt.Sprint(err))
				ginkgo.DeferCleanup(set.close)
				forged := maps.Clone(h)
				forged["alg"], forged["jku"], forged["kid"] = "ES256", set.url, "conform-jku"
				expectRefusedToken(ctx, e, w, signES256(forged, payload, priv), "a token signed ES256 with the key of the JWK Set its own jku header names ("+set.url+")")
				fetched := set.fetched()
				env.Expect(fetched == 0, "the jku URL never fetched (RFC 8725 §3.10: blindly following jku is SSRF)", fmt.Sprintf("%d GET of %s", fetched, set.url))
			})

			b.It(reqKIDInjection, "sends the probe with the token re-signed under a path-traversal and an SQL kid, in "+w.name, func(ctx ginkgo.SpecContext) {
				h, payload := untouchedBy(ctx, e, "kid")
				for _, k := range []struct{ kid, key, what string }{
					{strings.Repeat("../", 16) + "dev/null", "", "kid ../(16 times)dev/null, signed with the empty key /dev/null holds"},
					{"conform' UNION SELECT 'conform-kid-key';--", "conform-kid-key", "an SQL kid selecting 'conform-kid-key', signed with that key"},
				} {
					forged := maps.Clone(h)
					forged["alg"], forged["kid"] = "HS256", k.kid
					expectRefusedToken(ctx, e, w, resign(forged, payload, gojwt.SigningMethodHS256, []byte(k.key)), "a token with "+k.what)
				}
			})

			b.It(reqNbf, "sends the probe with the token re-signed with jwt.secret and an nbf an hour ahead, in "+w.name, func(ctx ginkgo.SpecContext) {
				k := provenKey(ctx, e, "a token not valid yet")
				k.payload["nbf"] = issuerNow(k.payload).Add(time.Hour).Unix()
				expectRefusedToken(ctx, e, w, k.sign(k.header, k.payload), "a token whose nbf is an hour ahead, signed with the target's key")
			})

			b.It(reqNoExpRefused, "sends the probe with the token re-signed with jwt.secret without its exp, in "+w.name, func(ctx ginkgo.SpecContext) {
				k := provenKey(ctx, e, "a token without exp")
				delete(k.payload, "exp")
				expectRefusedToken(ctx, e, w, k.sign(k.header, k.payload), "a token without exp, signed with the target's key")
			})
		}
	})
}

// expectRefusedToken fails the spec unless the probe refuses forged in w.
func expectRefusedToken(ctx context.Context, e *env.Env, w way, forged, what string) {
	ginkgo.GinkgoHelper()
	ok, resp := e.Probe(ctx, "", w.in(e, forged))
	env.Expect(!ok, "the probe to refuse "+what+", in "+w.name, env.DescribeField(resp, "@this"))
}

// signingInput is a compact JWS without its signature: "header.payload".
func signingInput(tok string) string { return tok[:strings.LastIndex(tok, ".")] }

// untouchedBy returns the decoded header and payload of an accepted token whose header has no
// param: jwt_tool injects a header where the token has none; a target that uses one (a kid
// it issued, say) looks keys up by it by design, which the spec does not judge.
func untouchedBy(ctx context.Context, e *env.Env, param string) (header, payload map[string]any) {
	ginkgo.GinkgoHelper()
	h, payload, _, _ := parts(acceptedToken(ctx, e))
	if _, has := h[param]; has {
		ginkgo.Skip(fmt.Sprintf("the target's own tokens carry a %q header: conform injects one only where there is none", param))
	}
	return h, payload
}

// ecKey is a fresh P-256 key: the attacker's, known to no one else.
func ecKey() *ecdsa.PrivateKey {
	ginkgo.GinkgoHelper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	env.Expect(err == nil, "a P-256 key", fmt.Sprint(err))
	return k
}

// ecJWK is pub as a JWK (RFC 7518 §6.2.1), with kid when not empty.
func ecJWK(pub *ecdsa.PublicKey, kid string) map[string]string {
	ginkgo.GinkgoHelper()
	k, err := pub.ECDH()
	env.Expect(err == nil, "a P-256 public key", fmt.Sprint(err))
	xy := k.Bytes()[1:] // 0x04 || X || Y
	j := map[string]string{"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig",
		"x": base64.RawURLEncoding.EncodeToString(xy[:32]), "y": base64.RawURLEncoding.EncodeToString(xy[32:])}
	if kid != "" {
		j["kid"] = kid
	}
	return j
}

// signES256 signs header and payload with priv.
func signES256(header, payload map[string]any, priv *ecdsa.PrivateKey) string {
	ginkgo.GinkgoHelper()
	signing := enc(header) + "." + enc(payload)
	sig, err := gojwt.SigningMethodES256.Sign(signing, priv)
	env.Expect(err == nil, "to sign a token with conform's own EC key", fmt.Sprint(err))
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// issuerNow is the later of conform's clock and the token's own iat: the nbf attack must be
// ahead of the target's clock, which may run ahead of ours (a staging server's skew, or a
// reference whose clock a TTL spec moved on). A token issued "in our future" tells us so.
func issuerNow(payload map[string]any) time.Time {
	now := time.Now()
	var iat float64
	switch v := payload["iat"].(type) {
	case float64:
		iat = v
	case json.Number:
		iat, _ = v.Float64()
	}
	if t := time.Unix(int64(iat), 0); t.After(now) {
		return t
	}
	return now
}
