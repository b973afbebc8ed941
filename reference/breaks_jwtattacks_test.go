package reference

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testJWTKey is newTestServer's JWT secret.
var testJWTKey = []byte("test-secret-test-secret-test-sec")

// The checks of the attack breaks (jwtattacks.go): each forged token is refused by the
// unbroken server.
func init() {
	documented["jwt.accept-empty-signature"] = func(c *client) bool {
		tok := forgeFor(c, jwt.SigningMethodHS256, testJWTKey)
		signing := tok[:strings.LastIndex(tok, ".")]
		return meUID(c, signing, true) == "" && meUID(c, signing+".", true) == ""
	}
	documented["jwt.accept-truncated-signature"] = func(c *client) bool {
		tok := forgeFor(c, jwt.SigningMethodHS256, testJWTKey)
		return meUID(c, tok[:len(tok)-4], true) == ""
	}
	documented["jwt.accept-other-hmac"] = func(c *client) bool {
		return meUID(c, forgeFor(c, jwt.SigningMethodHS512, testJWTKey), true) == ""
	}
	documented["jwt.trust-jwk"] = func(c *client) bool {
		priv, jwk := testECKey(c)
		return meUID(c, forgeWithHeader(c, priv, map[string]any{"jwk": jwk}), true) == ""
	}
	documented["jwt.trust-jku"] = func(c *client) bool {
		priv, jwk := testECKey(c)
		jwk["kid"] = "k1"
		set, _ := json.Marshal(map[string]any{"keys": []any{jwk}})
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(set) }))
		defer hs.Close()
		return meUID(c, forgeWithHeader(c, priv, map[string]any{"jku": hs.URL, "kid": "k1"}), true) == ""
	}
	documented["jwt.kid-file"] = func(c *client) bool {
		t := jwt.NewWithClaims(jwt.SigningMethodHS256, aliceClaims(0))
		t.Header["kid"] = "../../../../../../../../dev/null"
		s, err := t.SignedString([]byte{})
		if err != nil {
			c.t.Fatal(err)
		}
		return meUID(c, s, true) == ""
	}
	documented["jwt.ignore-nbf"] = func(c *client) bool {
		claims := aliceClaims(0)
		claims["nbf"] = time.Now().Add(time.Hour).Unix()
		s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(testJWTKey)
		return meUID(c, s, true) == ""
	}
	documented["jwt.accept-no-exp"] = func(c *client) bool {
		claims := aliceClaims(0)
		delete(claims, "exp")
		s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(testJWTKey)
		return meUID(c, s, true) == ""
	}
	// A server that takes tokens without exp also takes a token whose exp it never issued.
	coupled["jwt.no-exp jwt.accept-no-exp"] = true
	coupled["jwt.ignore-exp jwt.accept-no-exp"] = true
	// Claims unchecked means nbf unchecked.
	coupled["jwt.ignore-exp jwt.ignore-nbf"] = true
	// Signatures unchecked (HS256 only): the stripped, cut and kid-chosen signatures pass.
	coupled["jwt.skip-signature jwt.accept-empty-signature"] = true
	coupled["jwt.skip-signature jwt.accept-truncated-signature"] = true
	coupled["jwt.skip-signature jwt.kid-file"] = true
	// A token without its signature segment is malformed, which that break takes as alice.
	coupled["jwt.accept-garbage-token jwt.accept-empty-signature"] = true
}

// aliceClaims are the claims of an unexpired token of alice, at the server's clock moved by d.
func aliceClaims(d time.Duration) jwt.MapClaims {
	now := time.Now().Add(d)
	return jwt.MapClaims{"uid": "uid-alice", "sub": "uid-alice", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// testECKey is a fresh P-256 key and its public JWK.
func testECKey(c *client) (*ecdsa.PrivateKey, map[string]any) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		c.t.Fatal(err)
	}
	pub, _ := priv.PublicKey.ECDH()
	xy := pub.Bytes()[1:]
	return priv, map[string]any{"kty": "EC", "crv": "P-256", "x": base64.RawURLEncoding.EncodeToString(xy[:32]), "y": base64.RawURLEncoding.EncodeToString(xy[32:])}
}

// forgeWithHeader signs alice's claims ES256 with priv, with extra header parameters.
func forgeWithHeader(c *client, priv *ecdsa.PrivateKey, extra map[string]any) string {
	t := jwt.NewWithClaims(jwt.SigningMethodES256, aliceClaims(0))
	for k, v := range extra {
		t.Header[k] = v
	}
	s, err := t.SignedString(priv)
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}
