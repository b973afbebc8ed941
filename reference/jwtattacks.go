package reference

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// jwtAttackBreaks are the verification mistakes jwt_tool's attacks find (specs/jwt/attacks.go):
// each lets one kind of forged token through, and only that kind.
type jwtAttackBreaks struct {
	emptySig, truncatedSig, otherHMAC bool
	trustJWK, trustJKU, kidFile       bool
	ignoreNbf, noExp                  bool
}

func jwtAttackBreakDefs() []breakDef[jwtBreaks] {
	type b = jwtBreaks
	return []breakDef[b]{
		{"jwt.accept-empty-signature", `a token whose alg is HS256 and whose signature is removed ("header.payload") or empty ("header.payload.") is accepted`, func(x *b) { x.attack.emptySig = true }},
		{"jwt.accept-truncated-signature", "a signature is compared only over the bytes the token gives: a non-empty prefix of the right one is accepted", func(x *b) { x.attack.truncatedSig = true }},
		{"jwt.accept-other-hmac", "tokens signed HS384 or HS512 with the server's key are accepted (node-jsonwebtoken's default for a secret)", func(x *b) { x.attack.otherHMAC = true }},
		{"jwt.trust-jwk", `a token whose header embeds an EC public key ("jwk") is verified with that key (CVE-2018-0114's mistake)`, func(x *b) { x.attack.trustJWK = true }},
		{"jwt.trust-jku", `a token whose header names a JWK Set URL ("jku") on loopback is verified with the set's key for its kid, fetched from there`, func(x *b) { x.attack.trustJKU = true }},
		{"jwt.kid-file", `a token's "kid" names a key file under ` + kidDir + `, path and all: ../ walks out of it (../../dev/null is an empty key)`, func(x *b) { x.attack.kidFile = true }},
		{"jwt.ignore-nbf", "tokens whose nbf is still ahead are accepted (exp is checked)", func(x *b) { x.attack.ignoreNbf = true }},
		{"jwt.accept-no-exp", "a token without exp is accepted, though the server's own tokens carry one", func(x *b) { x.attack.noExp = true }},
	}
}

// kidDir is where the kid-file break looks key files up: a directory that need not exist, so
// that only a kid that walks out of it (to /dev/null) finds a file.
const kidDir = "/var/lib/conform-reference/keys"

// attackAccepts reports whether one of the attack breaks lets tok through, with its claims in
// c (their exp, nbf and iat checked as ever). Without those breaks it is always false.
func (h *jwtAPI) attackAccepts(tok string, c *jwtClaims) bool {
	a := h.brk.attack
	if !a.emptySig && !a.truncatedSig && !a.trustJWK && !a.trustJKU && !a.kidFile {
		return false
	}
	p := strings.Split(tok, ".")
	if len(p) != 2 && len(p) != 3 {
		return false
	}
	var head struct {
		Alg string          `json:"alg"`
		Kid string          `json:"kid"`
		JKU string          `json:"jku"`
		JWK json.RawMessage `json:"jwk"`
	}
	raw, err := base64.RawURLEncoding.DecodeString(p[0])
	if err != nil || json.Unmarshal(raw, &head) != nil {
		return false
	}
	sig := ""
	if len(p) == 3 {
		sig = p[2]
	}
	signing := p[0] + "." + p[1]
	var key any
	switch {
	case a.emptySig && head.Alg == "HS256" && sig == "":
		return h.claimsOf(p[1], c)
	case a.truncatedSig && head.Alg == "HS256" && sig != "":
		given, err := base64.RawURLEncoding.DecodeString(sig)
		want, _ := jwt.SigningMethodHS256.Sign(signing, h.secret)
		if err != nil || len(given) == 0 || len(given) >= len(want) || !hmac.Equal(given, want[:len(given)]) {
			return false
		}
		return h.claimsOf(p[1], c)
	case a.trustJWK && head.Alg == "ES256" && len(head.JWK) > 0:
		key, err = ecPublicKey(head.JWK)
	case a.trustJKU && head.Alg == "ES256" && head.JKU != "":
		key, err = fetchJWK(head.JKU, head.Kid)
	case a.kidFile && head.Alg == "HS256" && head.Kid != "":
		key, err = readKidFile(head.Kid)
	default:
		return false
	}
	if err != nil || len(p) != 3 {
		return false
	}
	only := jwt.NewParser(jwt.WithValidMethods([]string{head.Alg}), jwt.WithoutClaimsValidation())
	_, err = only.ParseWithClaims(tok, c, func(*jwt.Token) (any, error) { return key, nil })
	return err == nil && h.validator.Validate(c) == nil
}

// claimsOf decodes the payload segment into c and checks its claims.
func (h *jwtAPI) claimsOf(payload string, c *jwtClaims) bool {
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	return err == nil && json.Unmarshal(raw, c) == nil && h.validator.Validate(c) == nil
}

// verifyIgnoringNbf is verify for the ignore-nbf break: algorithm, signature and exp as ever,
// nbf not at all.
func (h *jwtAPI) verifyIgnoringNbf(tok string, c *jwtClaims) error {
	if _, err := h.unchecked.ParseWithClaims(tok, c, h.keyFunc); err != nil {
		return err
	}
	early := *c
	early.NotBefore = nil
	return h.validator.Validate(early)
}

// ecPublicKey decodes a P-256 JWK (RFC 7518 §6.2.1).
func ecPublicKey(raw json.RawMessage) (*ecdsa.PublicKey, error) {
	var k struct{ Kty, Crv, X, Y string }
	if err := json.Unmarshal(raw, &k); err != nil {
		return nil, err
	}
	if k.Kty != "EC" || k.Crv != "P-256" {
		return nil, fmt.Errorf("unsupported JWK %s %s", k.Kty, k.Crv)
	}
	x, errX := base64.RawURLEncoding.DecodeString(k.X)
	y, errY := base64.RawURLEncoding.DecodeString(k.Y)
	if err := errors.Join(errX, errY); err != nil {
		return nil, err
	}
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
}

// fetchJWK gets the JWK Set at u and returns its key with kid (or its first). Only loopback
// URLs are fetched: the break follows jku blindly, the reference still never reaches out.
func fetchJWK(u, kid string) (*ecdsa.PublicKey, error) {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "http" {
		return nil, fmt.Errorf("jku %q: not an http URL", u)
	}
	if ip := net.ParseIP(parsed.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("jku %q: not on loopback", u)
	}
	cl := http.Client{Timeout: 2 * time.Second}
	resp, err := cl.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&set); err != nil {
		return nil, err
	}
	for _, k := range set.Keys {
		var id struct{ Kid string }
		if json.Unmarshal(k, &id) == nil && (kid == "" || id.Kid == kid) {
			return ecPublicKey(k)
		}
	}
	return nil, fmt.Errorf("jku %q: no key %q", u, kid)
}

// readKidFile reads the key file kid names under kidDir, as a server that joins the header's
// value to its key directory does.
func readKidFile(kid string) ([]byte, error) {
	f, err := os.Open(filepath.Join(kidDir, kid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 4<<10))
}
