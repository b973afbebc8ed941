package reference

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/conformhq/conform/reference/store"
)

// jwtAPI implements doc 004:
//
//	POST /users/login {"email","password"} -> 200 {"uid","token"} (an HS256 JWT)
//	                  or 401 {"success":false,"message":"Authentication failed. ..."}
//	GET  /users/me    token in header x-access-token or query ?token=
//	                  -> 200 {"uid","email","name"}, or 401 {"success":false,"message"}
//
// Tokens carry sub and uid (the user's UID), email, iat and exp =
// iat + TokenTTL on the server clock; never the password or its hash (doc
// 004's example token does carry the hash, which is a leak we do not copy).
// Verification accepts only HS256, requires exp and checks it against the
// server clock, so the test clock can expire tokens.
type jwtAPI struct {
	e      *deps
	brk    jwtBreaks
	parser *jwt.Parser
	// validator checks claims when skip-signature parses unverified.
	validator *jwt.Validator
	// unchecked verifies algorithm and signature only, for the breaks that check claims
	// their own way (jwtattacks.go).
	unchecked *jwt.Parser
	keyFunc   jwt.Keyfunc
	// cache holds verified tokens; nil when a break changes verification.
	cache *verifiedCache
	// me holds each user's pre-encoded /users/me body, by user ID.
	me map[int][]byte

	noToken, badToken, tooLarge []byte
	storeFailed                 func(error) []byte
	// secret is the HS256 key: the server's, or a well-known one with that break.
	secret []byte
	mint   *mint
	// logins counts the logins that signed a token, for the jwt.key-changes break.
	logins atomic.Int64
	recent recentTokens // jwt.two-token-table
	probes spans        // jwt.login-signs-probed-user: the users of /users/me in flight
}

// keyChangesAt is the login at which the jwt.key-changes break's server changes its key.
const keyChangesAt = 4

// key is the HS256 key in use: the jwt.key-changes break's server changes it once, at its
// keyChangesAt-th login.
func (h *jwtAPI) key() []byte {
	if h.brk.keyChanges && h.logins.Load() >= keyChangesAt {
		return append(slices.Clip(h.secret), "-changed"...)
	}
	return h.secret
}

// wellKnownKey is the jwt.io debugger's default HS256 key, for the well-known-key break.
const wellKnownKey = "your-256-bit-secret"

// jwtBreaks are the documented behaviours of doc 004 that Options.Breaks
// can switch off; see jwtBreakDefs.
type jwtBreaks struct {
	successShape, opaqueToken                           bool
	loginFail200, loginFailShape                        bool
	noHeaderToken, noQueryToken                         bool
	meWrongUser, acceptMissingToken, acceptGarbageToken bool
	acceptAlgNone, skipSignature, ignoreExp             bool
	passwordInPayload                                   bool
	password                                            laxForm // how a password is compared
	acceptGarbageQueryToken, meWrongUserQuery           bool
	laterUserShape, unknownEmailShape, otherMessage     bool
	queryUnverified                                     bool
	wellKnownKey, algNoneAnyCase, noExp                 bool
	keyChanges                                          bool
	twoTokenTable                                       bool // interleave.go
	loginSignsProbedUser                                bool // interleave_concurrent.go
	attack                                              jwtAttackBreaks
	mint                                                mintBreaks
	wire                                                wireBreaks
}

func jwtBreakDefs() []breakDef[jwtBreaks] {
	type b = jwtBreaks
	defs := []breakDef[b]{
		{"jwt.login-signs-probed-user", "a login signs its token for the user of another user's /users/me in flight with it (a user variable shared between requests)", func(x *b) { x.loginSignsProbedUser = true }},
		{"jwt.success-shape", `login answers {"token":...} without uid`, func(x *b) { x.successShape = true }},
		{"jwt.opaque-token", "login answers a random hex token, not a JWT (still accepted by /users/me)", func(x *b) { x.opaqueToken = true }},
		{"jwt.login-fail-200", "a failed login answers HTTP 200 with the same body", func(x *b) { x.loginFail200 = true }},
		{"jwt.login-fail-shape", `a failed login answers {"error":...}`, func(x *b) { x.loginFailShape = true }},
		{"jwt.no-header-token", "header x-access-token is ignored", func(x *b) { x.noHeaderToken = true }},
		{"jwt.no-query-token", "query parameter token is ignored", func(x *b) { x.noQueryToken = true }},
		{"jwt.me-wrong-user", "/users/me answers another user than the token's", func(x *b) { x.meWrongUser = true }},
		{"jwt.accept-missing-token", "/users/me without a token answers the first user", func(x *b) { x.acceptMissingToken = true }},
		{"jwt.accept-garbage-token", "a malformed (unparsable) token is accepted as the first user", func(x *b) { x.acceptGarbageToken = true }},
		{"jwt.accept-garbage-query-token", "a malformed (unparsable) token in query parameter token is accepted as the first user", func(x *b) { x.acceptGarbageQueryToken = true }},
		{"jwt.unknown-email-shape", `a login with an unknown email answers 401 {"error":...}`, func(x *b) { x.unknownEmailShape = true }},
		{"jwt.other-message", `a wrong password answers the message "Authentication failed. Invalid credentials."`, func(x *b) { x.otherMessage = true }},
		{"jwt.later-user-shape", "the login of every user but the first answers without uid", func(x *b) { x.laterUserShape = true }},
		{"jwt.me-wrong-user-query", "/users/me with the token in query parameter token answers another user than the token's", func(x *b) { x.meWrongUserQuery = true }},
		{"jwt.accept-alg-none", `unsigned tokens (alg "none") are accepted`, func(x *b) { x.acceptAlgNone = true }},
		{"jwt.skip-signature", "token signatures are not verified", func(x *b) { x.skipSignature = true }},
		{"jwt.ignore-exp", "expired tokens (or tokens without exp) are accepted", func(x *b) { x.ignoreExp = true }},
		{"jwt.password-in-payload", "tokens carry the bcrypt hash in a password claim", func(x *b) { x.passwordInPayload = true }},
		{"jwt.query-unverified", "a token in query parameter token is only decoded: its signature, algorithm and exp go unchecked (the header's are checked)", func(x *b) { x.queryUnverified = true }},
		{"jwt.well-known-key", `tokens are signed with "your-256-bit-secret", the jwt.io debugger's default key`, func(x *b) { x.wellKnownKey = true }},
		{"jwt.accept-alg-none-any-case", `unsigned tokens are accepted when alg is "none" in another case ("None", "NONE"); "none" itself is refused`, func(x *b) { x.algNoneAnyCase = true }},
		{"jwt.two-token-table", "only the two most recently issued tokens are accepted (a session table of two rows)", func(x *b) { x.twoTokenTable = true }},
		{"jwt.no-exp", "tokens carry no exp, and tokens without exp are accepted", func(x *b) { x.noExp = true }},
		{"jwt.key-changes", "the server changes its signing key at its fourth login (a run's preflight logs two accounts in, then one spec logs in): from then on tokens are signed and verified with another key, and the earlier ones are refused", func(x *b) { x.keyChanges = true }},
	}
	defs = append(defs, jwtAttackBreakDefs()...)
	defs = append(defs, mintBreakDefs("jwt", func(x *b) *mintBreaks { return &x.mint }, "echo-password", "hands-out-first-users-token", "accept-injection", "wedged-by-oversize")...)
	defs = append(defs, wireBreakDefs("jwt", func(x *b) *wireBreaks { return &x.wire }, "accept-json", "connection-keep-alive")...)
	defs = append(defs, exampleBreakDefs(func(x *b) *wireBreaks { return &x.wire },
		"jwt.example-spaced-json-refused", "jwt.example-curl-header-refused", "jwt.example-curl-query-refused")...)
	defs = append(defs, wireStrictDef("jwt", func(x *b) *wireBreaks { return &x.wire }))
	return append(defs, laxBreakDefs("jwt.password", "password", func(x *b, f laxForm) { x.password = f })...)
}

func jwtProfile() profileDef {
	return profileDef{
		name:   "jwt",
		doc:    "004",
		breaks: breakNamesOf(jwtBreakDefs()),
		mount:  mountJWT,
	}
}

// jwtClaims is the payload of issued tokens.
type jwtClaims struct {
	UID      string `json:"uid"`
	Email    string `json:"email"`
	Password string `json:"password,omitempty"` // only with jwt.password-in-payload
	jwt.RegisteredClaims
}

func mountJWT(e *deps, breaks map[string]bool, mux *http.ServeMux, prefix string) ([]string, error) {
	if len(e.secret) == 0 {
		return nil, errors.New("JWT secret required")
	}
	h := &jwtAPI{e: e, brk: resolveBreaks(jwtBreakDefs(), breaks), secret: e.secret}
	h.mint = newMint(h.brk.mint, e.users.first().ID)
	if h.brk.wellKnownKey {
		h.secret = []byte(wellKnownKey)
	}

	methods := []string{jwt.SigningMethodHS256.Alg()}
	if h.brk.attack.otherHMAC {
		methods = append(methods, jwt.SigningMethodHS384.Alg(), jwt.SigningMethodHS512.Alg())
	}
	if h.brk.acceptAlgNone {
		methods = append(methods, jwt.SigningMethodNone.Alg())
	}
	claimOpts := []jwt.ParserOption{jwt.WithTimeFunc(e.now)}
	if !h.brk.noExp && !h.brk.attack.noExp {
		claimOpts = append(claimOpts, jwt.WithExpirationRequired())
	}
	opts := append([]jwt.ParserOption{jwt.WithValidMethods(methods)}, claimOpts...)
	if h.brk.ignoreExp {
		opts = append(opts, jwt.WithoutClaimsValidation())
	}
	h.parser = jwt.NewParser(opts...)
	h.validator = jwt.NewValidator(claimOpts...)
	h.unchecked = jwt.NewParser(jwt.WithValidMethods(methods), jwt.WithoutClaimsValidation())
	h.keyFunc = func(t *jwt.Token) (any, error) {
		if t.Method == jwt.SigningMethodNone && h.brk.acceptAlgNone {
			return jwt.UnsafeAllowNoneSignatureType, nil
		}
		return h.key(), nil
	}

	if !h.brk.acceptAlgNone && !h.brk.skipSignature && !h.brk.ignoreExp && !h.brk.noExp && !h.brk.queryUnverified && !h.brk.keyChanges {
		h.cache = newVerifiedCache()
	}

	h.me = make(map[int][]byte, len(e.users.list))
	for _, u := range e.users.list {
		h.me[u.ID] = encode(map[string]string{"uid": u.UID, "email": u.Email, "name": u.Name})
	}
	h.noToken = encode(jwtFailure{Message: "No token provided."})
	h.badToken = encode(jwtFailure{Message: "Failed to authenticate token."})
	h.tooLarge = encode(jwtFailure{Message: errBodyTooLarge.Error()})
	h.storeFailed = func(err error) []byte { return encode(jwtFailure{Message: storeErrMessage(err)}) }

	mux.Handle("POST "+prefix+"/users/login", h.brk.wire.guard(http.HandlerFunc(h.login)))
	mux.Handle("GET "+prefix+"/users/me", h.brk.wire.guard(http.HandlerFunc(h.usersMe)))
	return []string{
		describeLine("jwt", "POST", prefix+"/users/login", "{email,password} -> {uid,token} HS256 JWT (doc 004)"),
		describeLine("jwt", "GET", prefix+"/users/me", "header x-access-token or ?token= -> {uid,email,name} (doc 004)"),
	}, nil
}

// jwtFailure is doc 004's failure body.
type jwtFailure struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}

type jwtLoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// loginFailed answers a failed login: doc 004 "it will respond with a
// status code of 401 and a message explaining why they can't login".
func (h *jwtAPI) loginFailed(w http.ResponseWriter, message string) {
	status := http.StatusUnauthorized
	if h.brk.loginFail200 {
		status = http.StatusOK
	}
	if h.brk.loginFailShape {
		writeJSON(w, status, map[string]string{"error": message})
		return
	}
	writeJSON(w, status, jwtFailure{Message: message})
}

// login serves POST /users/login.
func (h *jwtAPI) login(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if h.brk.loginSignsProbedUser {
		time.Sleep(h.e.holdLong())
	}
	var req jwtLoginRequest
	if err := decodeBody(w, r, &req); err != nil {
		if err == errBodyTooLarge {
			h.mint.oversize()
			writeRaw(w, http.StatusRequestEntityTooLarge, h.tooLarge)
			return
		}
		h.loginFailed(w, "Authentication failed. Body must be a JSON object with email and password.")
		return
	}
	if req.Email == "" || (req.Password == "" && h.brk.password != laxEmpty) {
		h.loginFailed(w, "Authentication failed. Email and password are required.")
		return
	}
	u := h.e.users.byEmail[req.Email]
	injected := h.mint.injected(req.Email, req.Password)
	if injected {
		u = h.e.users.first()
	}
	if u == nil {
		h.e.passwordOK(nil, req.Password)
		if h.brk.unknownEmailShape {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Authentication failed. User not found."})
			return
		}
		h.loginFailed(w, "Authentication failed. User not found.")
		return
	}
	ok := injected
	if !injected {
		var locked time.Duration
		if ok, locked = h.e.throttledSecretOK(w, r, "jwt", u, passwordHash, req.Password, h.brk.password); locked > 0 {
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"success": false, "message": tooManyMessage(locked)})
			return
		}
	}
	if !ok {
		if h.brk.otherMessage {
			h.loginFailed(w, "Authentication failed. Invalid credentials.")
			return
		}
		if h.mint.echo() {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"success": false, "message": "Authentication failed. Wrong password.", "password": req.Password})
			return
		}
		h.loginFailed(w, "Authentication failed. Wrong password.")
		return
	}

	if h.mint.stalled() {
		writeJSON(w, http.StatusServiceUnavailable, jwtFailure{Message: "busy"})
		return
	}
	now := h.e.now()
	var token string
	if h.brk.opaqueToken {
		token = newToken()
		s := store.Session{Token: token, UserID: u.ID, Created: now, TTL: h.e.ttl, Absolute: true}
		if err := h.e.store.Create(r.Context(), s, store.RuleNone); err != nil {
			writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
			return
		}
	} else {
		signFor := u
		if h.brk.loginSignsProbedUser {
			for _, k := range h.probes.during(start, nil) {
				if id, _ := strconv.Atoi(k); id != u.ID && h.e.users.byID[id] != nil {
					signFor = h.e.users.byID[id]
					break
				}
			}
		}
		c := jwtClaims{
			UID:   signFor.UID,
			Email: signFor.Email,
			RegisteredClaims: jwt.RegisteredClaims{
				Subject:   u.UID, // the token's own login: a token unlike signFor's own ones
				IssuedAt:  jwt.NewNumericDate(now),
				ExpiresAt: jwt.NewNumericDate(now.Add(h.e.ttl)),
			},
		}
		if h.brk.noExp {
			c.ExpiresAt = nil
		}
		if h.brk.passwordInPayload {
			c.Password = u.PasswordHash
		}
		h.logins.Add(1)
		signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(h.key())
		if err != nil {
			// HMAC signing with a non-empty []byte key cannot fail.
			writeJSON(w, http.StatusInternalServerError, jwtFailure{Message: "could not sign token"})
			return
		}
		token = signed
	}
	token = h.mint.handOut(u.ID, token)
	if h.brk.twoTokenTable {
		h.recent.issue(token)
	}
	if h.brk.successShape || (h.brk.laterUserShape && u != h.e.users.first()) {
		writeJSON(w, http.StatusOK, map[string]string{"token": token})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"uid": u.UID, "token": token})
}

// token returns the request's token: doc 004 "pass it ... using the
// x-access-token" header, or "as a query parameter".
// fromQuery says the token came as the query parameter.
func (h *jwtAPI) token(r *http.Request) (tok string, fromQuery bool) {
	if !h.brk.noHeaderToken {
		if v := r.Header["X-Access-Token"]; len(v) > 0 && v[0] != "" {
			return v[0], false
		}
	}
	if !h.brk.noQueryToken && r.URL.RawQuery != "" {
		return r.URL.Query().Get("token"), true
	}
	return "", false
}

// user resolves the request's token to a user. On failure it has already
// answered.
func (h *jwtAPI) user(w http.ResponseWriter, r *http.Request) (*User, bool) {
	tok, fromQuery := h.token(r)
	if tok == "" {
		if h.brk.acceptMissingToken {
			return h.e.users.first(), true
		}
		writeRaw(w, http.StatusUnauthorized, h.noToken)
		return nil, false
	}
	if h.brk.opaqueToken {
		s, ok, err := h.e.store.Lookup(r.Context(), tok, h.e.now())
		if err != nil {
			writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
			return nil, false
		}
		if u := h.e.users.byID[s.UserID]; ok && u != nil {
			return u, true
		}
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return nil, false
	}
	if h.cache != nil {
		if u, ok := h.cache.get(tok, h.e.now()); ok {
			return u, true
		}
	}
	var c jwtClaims
	if h.attackAccepts(tok, &c) {
		if u := h.e.users.byUID[c.UID]; u != nil {
			return u, true
		}
	}
	if h.brk.algNoneAnyCase && unsignedAnyCase(tok, &c) {
		if u := h.e.users.byUID[c.UID]; u != nil {
			return u, true
		}
	}
	err := h.verify(tok, &c)
	if fromQuery && h.brk.queryUnverified {
		_, _, err = h.parser.ParseUnverified(tok, &c)
	}
	if err != nil {
		if (h.brk.acceptGarbageToken || (fromQuery && h.brk.acceptGarbageQueryToken)) && errors.Is(err, jwt.ErrTokenMalformed) {
			return h.e.users.first(), true
		}
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return nil, false
	}
	if u := h.e.users.byUID[c.UID]; u != nil {
		if h.cache != nil && c.ExpiresAt != nil {
			h.cache.put(tok, u, c.ExpiresAt.Time)
		}
		return u, true
	}
	writeRaw(w, http.StatusUnauthorized, h.badToken)
	return nil, false
}

// verify parses tok into c, checking algorithm, signature and exp.
func (h *jwtAPI) verify(tok string, c *jwtClaims) error {
	if h.brk.skipSignature {
		t, _, err := h.parser.ParseUnverified(tok, c)
		if err != nil {
			return err
		}
		// Still refuse other algorithms (alg "none" included), so that
		// this break switches off the signature check and nothing else.
		if t.Method != jwt.SigningMethodHS256 && !(h.brk.acceptAlgNone && t.Method == jwt.SigningMethodNone) {
			return fmt.Errorf("%w: signing method %s is invalid", jwt.ErrTokenSignatureInvalid, t.Method.Alg())
		}
		if h.brk.ignoreExp {
			return nil
		}
		return h.validator.Validate(c)
	}
	if h.brk.attack.ignoreNbf {
		return h.verifyIgnoringNbf(tok, c)
	}
	_, err := h.parser.ParseWithClaims(tok, c, h.keyFunc)
	return err
}

// usersMe serves GET /users/me: "returns the logged in user's object".
func (h *jwtAPI) usersMe(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	if h.brk.loginSignsProbedUser {
		_, release := h.probes.held(strconv.Itoa(u.ID), h.e.holdShort())
		defer release()
	}
	if tok, _ := h.token(r); h.brk.twoTokenTable && !h.recent.has(tok) {
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return
	}
	if _, fromQuery := h.token(r); h.brk.meWrongUser || (fromQuery && h.brk.meWrongUserQuery) {
		u = h.e.users.other(u)
	}
	writeRaw(w, http.StatusOK, h.me[u.ID])
}

// unsignedAnyCase decodes tok's claims into c when its alg is "none" spelled in another case,
// for the accept-alg-none-any-case break: a server that refuses "none" by string comparison and
// then trusts a token whose alg it folds.
func unsignedAnyCase(tok string, c *jwtClaims) bool {
	p := strings.Split(tok, ".")
	if len(p) != 3 {
		return false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	head, err := base64.RawURLEncoding.DecodeString(p[0])
	if err != nil || json.Unmarshal(head, &h) != nil || h.Alg == "none" || !strings.EqualFold(h.Alg, "none") {
		return false
	}
	body, err := base64.RawURLEncoding.DecodeString(p[1])
	return err == nil && json.Unmarshal(body, c) == nil
}
