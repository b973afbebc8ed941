package reference

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/reference/store"
)

// apikey implements doc 001:
//
//	POST /auth/login {"apiKey","apiSecret"} (both required)
//	     -> 200 ApiKeyLoginResponse {id, email, createdBy, updatedBy, createdAt,
//	        updatedAt, primaryAccount, accounts, flatRolesList, flatPermissionsList, token}
//	     or 401 {"message":"..."} (400 for a malformed body, 413 over 1 MiB)
//	GET  /apikeys/swagger.yaml -> the OpenAPI document fixtures/apikey/swagger.yaml
//	GET  /auth/me  Authorization: Bearer <token> -> 200 {"id","email"} or 401 {"message"}
//
// Doc 001 documents only the 200 answer; the failure statuses and body,
// the Bearer header and /auth/me are ours (a target's config names the
// token placement and probe). Tokens live for TokenTTL of inactivity.
type apikey struct {
	e      *deps
	mint   *mint
	brk    apikeyBreaks
	tokens laxTokens   // the apikey.token-* breaks' lax token match
	owned  ownedTokens // apikey.near-miss-revokes
	probes spans       // apikey.concurrent-probes-refused

	badLogin, missing, malformed, tooLarge, badToken []byte
	storeFailed                                      func(error) []byte
}

// apikeyBreaks are the documented behaviours of doc 001 that
// Options.Breaks can switch off; see apikeyBreakDefs.
type apikeyBreaks struct {
	acceptMissingKey, acceptMissingSecret, acceptWrongSecret bool
	idString, badDate, missingEmail, accountMissingName      bool
	badUpdatedDate, dateSQL, dateNoOffset, accountsItemNoID  bool
	noSwagger, ignoreToken, laterUserSchema, swaggerDrift    bool
	key, secret                                              laxForm // how an apiKey and an apiSecret are compared
	token                                                    laxForm // how a sent token is matched
	mint                                                     mintBreaks
	wire                                                     wireBreaks
	laterUserProbe                                           bool
	nearMissRevokes                                          bool // apikey.near-miss-revokes
	concurrentProbes                                         bool // interleave_concurrent.go
}

func apikeyBreakDefs() []breakDef[apikeyBreaks] {
	type b = apikeyBreaks
	defs := []breakDef[b]{
		{"apikey.concurrent-probes-refused", "two probes with one token in flight together are both refused (a per-token in-use flag that refuses instead of waiting)", func(x *b) { x.concurrentProbes = true }},
		{"apikey.accept-missing-key", "a login without apiKey (the field left out) succeeds as the first user with a key, without a secret check", func(x *b) { x.acceptMissingKey = true }},
		{"apikey.accept-missing-secret", "a login without apiSecret (the field left out) succeeds for a known apiKey", func(x *b) { x.acceptMissingSecret = true }},
		{"apikey.accept-wrong-secret", "any apiSecret is accepted for a known apiKey", func(x *b) { x.acceptWrongSecret = true }},
		{"apikey.id-string", `the login answers "id" as a JSON string, not an integer`, func(x *b) { x.idString = true }},
		{"apikey.bad-date", `the login answers createdAt "yesterday", not a date-time`, func(x *b) { x.badDate = true }},
		{"apikey.bad-updated-date", `the login answers updatedAt "today", not a date-time (createdAt stays right)`, func(x *b) { x.badUpdatedDate = true }},
		{"apikey.date-sql", `the login answers createdAt as SQL writes it, "2024-01-15 09:30:00": a space for T and no offset`, func(x *b) { x.dateSQL = true }},
		{"apikey.date-no-offset", `the login answers updatedAt without its offset, "2024-01-15T09:30:00"`, func(x *b) { x.dateNoOffset = true }},
		{"apikey.accounts-item-missing-id", `the accounts[] item omits its required "accountId" (primaryAccount keeps it)`, func(x *b) { x.accountsItemNoID = true }},
		{"apikey.missing-email", `the login answer omits the required "email"`, func(x *b) { x.missingEmail = true }},
		{"apikey.account-missing-name", `primaryAccount omits its required "name"`, func(x *b) { x.accountMissingName = true }},
		{"apikey.later-user-schema", "the login of every user but the first breaks every part of the schema: id a string, createdAt not a date-time, no email, no primaryAccount.name, flatRolesList a string", func(x *b) { x.laterUserSchema = true }},
		{"apikey.swagger-drift", "/apikeys/swagger.yaml declares ApiKeyLoginResponse.id a string", func(x *b) { x.swaggerDrift = true }},
		{"apikey.no-swagger", "/apikeys/swagger.yaml answers 404", func(x *b) { x.noSwagger = true }},
		{"apikey.ignore-token", "/auth/me answers the first user with any token or none", func(x *b) { x.ignoreToken = true }},
		{"apikey.near-miss-revokes", "a probe with a token one character off a live token (cut or lengthened) ends that token (a revocation on suspicion of guessing)", func(x *b) { x.nearMissRevokes = true }},
		{"apikey.later-user-token-refused", "/auth/me (the probe) refuses the token of every user but the first", func(x *b) { x.laterUserProbe = true }},
	}
	defs = append(defs, mintBreakDefs("apikey", func(x *b) *mintBreaks { return &x.mint }, "predictable-tokens", "echo-password", "hands-out-first-users-token", "accept-injection", "wedged-by-oversize")...)
	defs = append(defs, laxBreakDefs("apikey.secret", "apiSecret", func(x *b, f laxForm) { x.secret = f })...)
	defs = append(defs, laxBreakDefs("apikey.token", "token", func(x *b, f laxForm) { x.token = f }, laxPrefix, laxAppended)...)
	// Another account's apiKey with this account's apiSecret is the mirror of
	// apikey.secret-other-account: one break of the pair.
	defs = append(defs, exampleBreakDefs(func(x *b) *wireBreaks { return &x.wire }, "apikey.example-unindented-json-refused")...)
	defs = append(defs, wireBreakDefs("apikey", func(x *b) *wireBreaks { return &x.wire }, "header-name-case")...)
	defs = append(defs, wireStrictDef("apikey", func(x *b) *wireBreaks { return &x.wire }))
	return append(defs, laxBreakDefs("apikey.key", "apiKey", func(x *b, f laxForm) { x.key = f }, laxEmpty, laxCase, laxPrefix, laxAppended)...)
}

func apikeyProfile() profileDef {
	return profileDef{
		name:   "apikey",
		doc:    "001",
		breaks: breakNamesOf(apikeyBreakDefs()),
		mount:  mountAPIKey,
	}
}

// apikeyService marks apikey sessions in the shared store.
const apikeyService = "apikey"

// apikeyMessage is the failure body (ours: doc 001 documents none).
type apikeyMessage struct {
	Message string `json:"message"`
}

func mountAPIKey(e *deps, breaks map[string]bool, mux *http.ServeMux, prefix string) ([]string, error) {
	h := &apikey{e: e, brk: resolveBreaks(apikeyBreakDefs(), breaks)}
	h.mint = newMint(h.brk.mint, e.users.first().ID)
	h.tokens.form = h.brk.token
	h.badLogin = encode(apikeyMessage{"Invalid API key or secret"})
	h.missing = encode(apikeyMessage{"apiKey and apiSecret are required"})
	h.malformed = encode(apikeyMessage{"Request body must be a JSON object with apiKey and apiSecret"})
	h.tooLarge = encode(apikeyMessage{errBodyTooLarge.Error()})
	h.badToken = encode(apikeyMessage{"Invalid or expired token"})
	h.storeFailed = func(err error) []byte { return encode(apikeyMessage{storeErrMessage(err)}) }

	mux.Handle("POST "+prefix+"/auth/login", h.brk.wire.guard(http.HandlerFunc(h.login)))
	mux.Handle("GET "+prefix+"/auth/me", h.brk.wire.guard(http.HandlerFunc(h.me)))
	lines := []string{
		describeLine("apikey", "POST", prefix+"/auth/login", "{apiKey,apiSecret} -> ApiKeyLoginResponse (doc 001)"),
		describeLine("apikey", "GET", prefix+"/auth/me", "Authorization: Bearer -> {id,email} (probe; ours, doc 001 names none)"),
	}
	if !h.brk.noSwagger {
		swagger := fixtures.APIKeySwagger
		if h.brk.swaggerDrift {
			swagger = driftedSwagger()
		}
		mux.HandleFunc("GET "+prefix+"/apikeys/swagger.yaml", func(w http.ResponseWriter, _ *http.Request) { serveSwagger(w, swagger) })
		lines = append(lines, describeLine("apikey", "GET", prefix+"/apikeys/swagger.yaml", "the OpenAPI document (doc 001)"))
	}
	return lines, nil
}

// serveSwagger serves doc 001's "swagger.yaml spec this documentation was
// generated from".
func serveSwagger(w http.ResponseWriter, doc []byte) {
	w.Header().Set("Content-Type", "application/yaml")
	w.WriteHeader(http.StatusOK)
	w.Write(doc) //nolint:errcheck // the client went away
}

// driftedSwagger is the swagger.yaml of apikey.swagger-drift: ApiKeyLoginResponse's
// id typed string, still a valid OpenAPI document.
func driftedSwagger() []byte {
	const integerID = "        id:\n          type: integer\n"
	return []byte(strings.Replace(string(fixtures.APIKeySwagger), integerID, "        id:\n          type: string\n", 1))
}

// apikeyLoginRequest is doc 001's ApiKeyLogin. The fields are pointers to tell a value given
// empty (a wrong one) from one left out (a missing required field); both are refused.
type apikeyLoginRequest struct {
	APIKey    *string `json:"apiKey"`
	APISecret *string `json:"apiSecret"`
}

// login serves POST /auth/login. Doc 001's ApiKeyLogin schema: "required:
// apiKey, apiSecret".
func (h *apikey) login(w http.ResponseWriter, r *http.Request) {
	var req apikeyLoginRequest
	if err := decodeBody(w, r, &req); err != nil {
		if err == errBodyTooLarge {
			h.mint.oversize()
			writeRaw(w, http.StatusRequestEntityTooLarge, h.tooLarge)
			return
		}
		writeRaw(w, http.StatusBadRequest, h.malformed)
		return
	}
	u, ok, answered := h.authenticate(w, r, req)
	if answered {
		return
	}
	if !ok {
		if h.mint.echo() && req.APISecret != nil {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Invalid API key or secret", "apiSecret": *req.APISecret})
			return
		}
		writeRaw(w, http.StatusUnauthorized, h.badLogin)
		return
	}
	if h.mint.stalled() {
		writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(errors.New("busy")))
		return
	}
	now := h.e.now()
	s := store.Session{Token: h.mint.token(newToken), UserID: u.ID, Service: apikeyService, Created: now, TTL: h.e.ttl}
	if err := h.e.store.Create(r.Context(), s, store.RuleNone); err != nil {
		writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
		return
	}
	tok := h.mint.handOut(u.ID, s.Token)
	h.tokens.issue(tok)
	if h.brk.nearMissRevokes {
		h.owned.issue(tok, u.ID)
	}
	writeJSON(w, http.StatusOK, h.loginResponse(u, tok, now))
}

// authenticate finds the user of req's key and checks the secret, behind the login throttle:
// answered means the throttle answered w itself.
func (h *apikey) authenticate(w http.ResponseWriter, r *http.Request, req apikeyLoginRequest) (u *User, ok, answered bool) {
	if req.APIKey == nil {
		if !h.brk.acceptMissingKey {
			return nil, false, false
		}
		u := h.firstWithKey()
		return u, u != nil, false
	}
	key, secret := *req.APIKey, ""
	if req.APISecret != nil {
		secret = *req.APISecret
	}
	if h.mint.injected(key, secret) {
		u := h.firstWithKey()
		return u, u != nil, false
	}
	switch {
	case key == "" && h.brk.key != laxEmpty,
		req.APISecret == nil && !h.brk.acceptMissingSecret,
		req.APISecret != nil && secret == "" && h.brk.secret != laxEmpty:
		return nil, false, false
	}
	u = h.user(key)
	if u == nil {
		h.e.passwordOK(nil, secret) // same time as a wrong secret
		return nil, false, false
	}
	if req.APISecret == nil || h.brk.acceptWrongSecret {
		return u, true, false // only with the accept-missing-secret or accept-wrong-secret breaks
	}
	ok, locked := h.e.throttledSecretOK(w, r, "apikey", u, apiSecretHash, secret, h.brk.secret)
	if locked > 0 {
		writeRaw(w, http.StatusTooManyRequests, tooManyFailures(locked))
		return u, false, true
	}
	return u, ok, false
}

// firstWithKey is the first user with an apiKey: whom the broken logins let in.
func (h *apikey) firstWithKey() *User {
	for _, u := range h.e.users.list {
		if u.APIKey != "" {
			return u
		}
	}
	return nil
}

// user finds the user of an apiKey: exactly, or as the apikey.key-* breaks compare.
func (h *apikey) user(key string) *User {
	if h.brk.key == exact {
		return h.e.users.byKey[key]
	}
	for _, u := range h.e.users.list {
		if u.APIKey != "" && laxEqual(u.APIKey, key, h.brk.key) {
			return u
		}
	}
	return nil
}

// me is the probe: the token's user, exactly when the token is valid.
func (h *apikey) me(w http.ResponseWriter, r *http.Request) {
	if h.brk.concurrentProbes {
		tok := r.Header.Get("Authorization")
		sp, release := h.probes.held(tok, h.e.holdShort())
		defer release()
		if slices.Contains(h.probes.during(sp.start, sp), tok) {
			writeRaw(w, http.StatusUnauthorized, h.badToken)
			return
		}
	}
	u := h.e.users.first()
	if !h.brk.ignoreToken {
		tok := ""
		if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
			tok = strings.TrimSpace(a[7:])
		}
		if tok == "" {
			writeRaw(w, http.StatusUnauthorized, h.badToken)
			return
		}
		s, ok, err := h.e.store.Lookup(r.Context(), h.tokens.resolve(tok), h.e.now())
		if err != nil {
			writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
			return
		}
		if u = h.e.users.byID[s.UserID]; !ok || s.Service != apikeyService || u == nil {
			if h.brk.nearMissRevokes {
				if err := h.owned.endNear(r.Context(), h.e.store, tok); err != nil {
					writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
					return
				}
			}
			writeRaw(w, http.StatusUnauthorized, h.badToken)
			return
		}
	}
	if h.brk.laterUserProbe && u != h.e.users.first() {
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		ID    int    `json:"id"`
		Email string `json:"email"`
	}{u.ID, u.Email})
}
