package reference

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/conformhq/conform/reference/store"
)

// newapikey implements doc 002. Every endpoint answers JSON at .json and
// the same data as XML (root <response>) at .xml:
//
//	GET /user/newapikey/login.json?user=&pass=&description=[&tfkey=]
//	    -> {"status":"success","success":"ADDED_KEY","newapikey":{"controlapikey":0,"key":"dcHZ2TXvMV"}}
//	    2FA user without tfkey: {"status":"success","success":"ADDED_TF"}, code sent to the phone
//	    wrong user, pass or tfkey: 401 {"status":"error","error":"USER_NOT_FOUND","login":{"user","pass"}}
//	GET /view/user/api.json?user=&key=
//	    -> {"status":"success","user":{"username","name","email"}}
//	    or 401 {"status":"error","error":"KEY_NOT_VALID"}
//
// Both also take POST, and their fields from a form body as well as the query, as the
// service's PHP does ($_REQUEST; see newapikeyFields).
//
// Doc 002 gives no HTTP statuses; failures answer 401 (our choice) so that
// a client that checks only the status still sees the refusal. It echoes
// the password in USER_NOT_FOUND, and so do we. controlapikey is 0, as in
// both of its examples. Keys never expire and are not used up: "this only
// needs to be done once"; each login adds a key and earlier keys stay
// valid (the doc is silent on that). user is the account's login.
type newapikey struct {
	e    *deps
	mint *mint
	brk  newapikeyBreaks
	tf   *secondFactor
	// issued lists each user's keys by User.ID, kept only for the
	// newapikey.key-* breaks, which compare a sent key with them laxly, and
	// for newapikey.new-login-revokes, which deletes them.
	issuedMu sync.Mutex
	issued   map[int][]string
	owned    ownedTokens // newapikey.login-ends-used-keys
	// views are the users of the queries in flight, for newapikey.login-key-for-queried-user.
	views spans
}

// newapikeyBreaks are the documented behaviours of doc 002 that
// Options.Breaks can switch off; see newapikeyBreakDefs.
type newapikeyBreaks struct {
	successShape, skip2FA, acceptWrongTfkey, noDelivery, acceptWrongPassword   bool
	errorShape, ignoreKey, otherUserKey, keySingleUse                          bool
	keyWithoutUser                                                             bool // a valid key answers without user
	xmlDiffers, xmlMalformed, laterUserShape                                   bool
	unknownUserShape, tfkeyErrorShape                                          bool
	xmlMissingKeyOK, xmlOtherUserKey, viewWrongUser, xmlExtraUser, viewUnnamed bool
	newLoginRevokes, tfkeyReusable, hashInAnswer, earlierTfkey                 bool
	acct                                                                       accountBreaks
	mint                                                                       mintBreaks
	raceTfkey                                                                  bool    // newapikey.race-tfkey-500
	tfkeyAnswerShape                                                           bool    // newapikey.tfkey-answer-shape
	loginEndsUsedKeys                                                          bool    // newapikey.login-ends-used-keys
	keyForQueried                                                              bool    // interleave_concurrent.go
	password, key, tfkey                                                       laxForm // how a pass, a key and a tfkey are compared
	wire                                                                       wireBreaks
}

func newapikeyBreakDefs() []breakDef[newapikeyBreaks] {
	type b = newapikeyBreaks
	defs := []breakDef[b]{
		{"newapikey.login-key-for-queried-user", "a login stores its new key for the user of another user's query in flight with it (a user variable shared between requests)", func(x *b) { x.keyForQueried = true }},
		{"newapikey.success-shape", "ADDED_KEY answers newapikey without controlapikey", func(x *b) { x.successShape = true }},
		{"newapikey.unknown-user-shape", "an unknown user answers USER_NOT_FOUND without the login echo", func(x *b) { x.unknownUserShape = true }},
		{"newapikey.tfkey-error-shape", `a wrong tfkey answers {"status":"error","error":"WRONG_TFKEY"}`, func(x *b) { x.tfkeyErrorShape = true }},
		{"newapikey.xml-missing-key-ok", "/view/user/api.xml answers a known user without a key", func(x *b) { x.xmlMissingKeyOK = true }},
		{"newapikey.xml-other-user-key", "/view/user/api.xml takes a valid key with any user name", func(x *b) { x.xmlOtherUserKey = true }},
		{"newapikey.view-wrong-user", "/view/user/api answers another user's information, in both formats", func(x *b) { x.viewWrongUser = true }},
		{"newapikey.xml-extra-user", "/view/user/api.xml answers another user's information beside the user's own", func(x *b) { x.xmlExtraUser = true }},
		{"newapikey.view-unnamed", "/view/user/api answers the user's information by its name alone, without its user name or email", func(x *b) { x.viewUnnamed = true }},
		{"newapikey.race-tfkey-500", "a texted tfkey is checked, then used up after a delay (a second round trip to the database); a login whose tfkey another login used up in the meantime answers HTTP 500", func(x *b) { x.raceTfkey = true }},
		{"newapikey.new-login-revokes", "a login revokes the user's earlier keys", func(x *b) { x.newLoginRevokes = true }},
		{"newapikey.tfkey-answer-shape", "the ADDED_KEY of a login with tfkey answers newapikey without controlapikey", func(x *b) { x.tfkeyAnswerShape = true }},
		{"newapikey.later-user-shape", "ADDED_KEY answers newapikey without controlapikey for every user but the first", func(x *b) { x.laterUserShape = true }},
		{"newapikey.2fa-skip", "a 2FA user gets ADDED_KEY without tfkey", func(x *b) { x.skip2FA = true }},
		{"newapikey.2fa-accept-wrong-tfkey", "any non-empty tfkey logs a 2FA user in", func(x *b) { x.acceptWrongTfkey = true }},
		{"newapikey.hash-in-answer", "ADDED_KEY answers the user's bcrypt hash beside the key (doc 002's echo of pass on errors is the document's own, so the shared echo break fails no spec here)", func(x *b) { x.hashInAnswer = true }},
		{"newapikey.2fa-tfkey-reusable", "a texted code stays valid after it logged its user in", func(x *b) { x.tfkeyReusable = true }},
		{"newapikey.2fa-earlier-tfkey-ok", "a texted code stays valid after a later code was texted", func(x *b) { x.earlierTfkey = true }},
		{"newapikey.2fa-no-delivery", "ADDED_TF is answered but no code is sent", func(x *b) { x.noDelivery = true }},
		{"newapikey.accept-wrong-password", "any pass is accepted for a known user", func(x *b) { x.acceptWrongPassword = true }},
		{"newapikey.error-shape", "USER_NOT_FOUND answers without the login echo", func(x *b) { x.errorShape = true }},
		{"newapikey.ignore-key", "/view/user/api answers a known user with any key", func(x *b) { x.ignoreKey = true }},
		{"newapikey.other-user-key", "a valid key works with any user name", func(x *b) { x.otherUserKey = true }},
		{"newapikey.key-without-user-ok", "a query with a valid key and no user answers the key's user", func(x *b) { x.keyWithoutUser = true }},
		{"newapikey.login-ends-used-keys", "a login ends every key of the other users that was already used (a current session the login moves on, to which a used key is bound)", func(x *b) { x.loginEndsUsedKeys = true }},
		{"newapikey.key-single-use", "a key stops working after its first query", func(x *b) { x.keySingleUse = true }},
		{"newapikey.xml-differs", `.xml answers status "OK" and, for ADDED_KEY, a key that does not work`, func(x *b) { x.xmlDiffers = true }},
		{"newapikey.xml-malformed", ".xml answers lack the closing </response>", func(x *b) { x.xmlMalformed = true }},
	}
	// Doc 002's own keys are 10 characters and its error echoes the pass: the predictable and
	// echo breaks would fail no spec (their findings are advisories there).
	defs = append(defs, accountBreakDefs("newapikey", "tfkey", `"success": "TF_SENT" instead of ADDED_TF`, `newapikey {controlapikey, apikey} (the key under another name)`, func(x *b) *accountBreaks { return &x.acct })...)
	defs = append(defs, mintBreakDefs("newapikey", func(x *b) *mintBreaks { return &x.mint }, "same-key-each-login", "hands-out-first-users-token", "accept-injection", "wedged-by-oversize")...)
	defs = append(defs, laxBreakDefs("newapikey.password", "pass", func(x *b, f laxForm) { x.password = f })...)
	// A tfkey has no letter case.
	defs = append(defs, laxBreakDefs("newapikey.tfkey", "tfkey", func(x *b, f laxForm) { x.tfkey = f }, laxEmpty, laxPrefix, laxAppended, laxOther)...)
	// An empty key and another user's key have breaks of their own (ignore-key, other-user-key).
	defs = append(defs, wireBreakDefs("newapikey", func(x *b) *wireBreaks { return &x.wire }, "query-order", "query-extra", "space-percent-20", "accept-any", "unencoded")...)
	defs = append(defs, exampleBreakDefs(func(x *b) *wireBreaks { return &x.wire },
		"newapikey.example-login-order-refused", "newapikey.example-tfkey-order-refused", "newapikey.example-view-order-refused")...)
	defs = append(defs, wireStrictDef("newapikey", func(x *b) *wireBreaks { return &x.wire }))
	return append(defs, laxBreakDefs("newapikey.key", "key", func(x *b, f laxForm) { x.key = f }, laxCase, laxPrefix, laxAppended)...)
}

func newapikeyProfile() profileDef {
	return profileDef{
		name:   "newapikey",
		doc:    "002",
		breaks: breakNamesOf(newapikeyBreakDefs()),
		mount:  mountNewAPIKey,
	}
}

// newapikeyService marks keys in the shared store. Keys are sessions
// without a TTL.
const newapikeyService = "newapikey"

func mountNewAPIKey(e *deps, breaks map[string]bool, mux *http.ServeMux, prefix string) ([]string, error) {
	h := &newapikey{e: e, brk: resolveBreaks(newapikeyBreakDefs(), breaks), issued: map[int][]string{}}
	h.mint = newMint(h.brk.mint, e.users.first().ID)
	h.tf = &secondFactor{
		e: e, book: e.codeBook("newapikey", 4), send: e.sms, channel: "sms",
		text: codeText("Your code"), crossUser: h.brk.tfkey == laxOther, lax: h.brk.tfkey, reusable: h.brk.tfkeyReusable, keepEarlier: h.brk.earlierTfkey,
	}
	// GET and POST alike, fields in the query or a form body (newapikeyFields).
	for _, format := range []string{"json", "xml"} {
		for _, method := range []string{"GET", "POST"} {
			mux.Handle(method+" "+prefix+"/user/newapikey/login."+format, h.brk.wire.guard(h.handle(format, h.login)))
			mux.Handle(method+" "+prefix+"/view/user/api."+format, h.brk.wire.guard(h.handle(format, h.view)))
		}
	}
	return []string{
		describeLine("newapikey", "GET", prefix+"/user/newapikey/login.json", "?user=&pass=&description=[&tfkey=] -> ADDED_KEY|ADDED_TF (doc 002; also .xml, POST, a form body)"),
		describeLine("newapikey", "GET", prefix+"/view/user/api.json", "?user=&key= -> user info (doc 002; also .xml, POST, a form body)"),
	}, nil
}

// handle adapts an endpoint that returns a status and an answer to one
// output format, and gives it the request's fields (newapikeyFields). An endpoint that
// answered on w itself (the login throttle) returns status 0.
func (h *newapikey) handle(format string, fn func(http.ResponseWriter, *http.Request, url.Values) (int, answer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var status int
		var a answer
		switch q, bad := newapikeyFields(w, r); bad {
		case 0:
			if status, a = fn(w, r, q); status == 0 {
				return
			}
		case http.StatusRequestEntityTooLarge:
			h.mint.oversize()
			status, a = bad, answer{{"status", "error"}, {"error", "TOO_LARGE"}}
		default:
			status, a = bad, answer{{"status", "error"}, {"error", "BAD_REQUEST"}}
		}
		if format == "json" {
			writeRaw(w, status, a.JSON())
			return
		}
		if h.brk.xmlDiffers {
			a = xmlDrift(a)
		}
		body := a.XML()
		if h.brk.xmlMalformed {
			body = []byte(strings.TrimSuffix(string(body), "</response>\n"))
		}
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.WriteHeader(status)
		w.Write(body) //nolint:errcheck // the client went away
	}
}

// xmlDrift is what newapikey.xml-differs answers in XML instead of a.
func xmlDrift(a answer) answer {
	a = a.with("status", "OK")
	if k, ok := a.get("newapikey").(answer); ok {
		a = a.with("newapikey", k.with("key", newAPIKey()))
	}
	return a
}

// userNotFound is doc 002's answer to a wrong user, pass or tfkey.
func (h *newapikey) userNotFound(user, pass string) (int, answer) {
	a := answer{{"status", "error"}, {"error", "USER_NOT_FOUND"}}
	if !h.brk.errorShape {
		a = append(a, field{"login", answer{{"user", user}, {"pass", pass}}})
	}
	return http.StatusUnauthorized, a
}

// storeFailedAnswer answers a session store failure (never the request's fault).
func storeFailedAnswer(err error) (int, answer) {
	return http.StatusServiceUnavailable, answer{{"status", "error"}, {"error", "STORE_UNAVAILABLE"}, {"message", storeErrMessage(err)}}
}

// login serves /user/newapikey/login.
func (h *newapikey) login(w http.ResponseWriter, r *http.Request, q url.Values) (int, answer) {
	start := time.Now()
	if h.brk.keyForQueried {
		time.Sleep(h.e.holdLong())
	}
	user, pass, tfkey := q.Get("user"), q.Get("pass"), q.Get("tfkey")
	if h.mint.brk.wedged && r.ContentLength > maxBodyBytes {
		// A body not a form is not read; only the wedged-by-oversize break looks at its size.
		h.mint.oversize()
		return http.StatusRequestEntityTooLarge, answer{{"status", "error"}, {"error", "TOO_LARGE"}}
	}
	u := h.e.users.byLogin[user]
	injected := h.mint.injected(user, pass)
	if injected {
		u = h.e.users.first()
	}
	if u == nil || user == "" {
		h.e.passwordOK(nil, pass) // same time as a wrong password
		if h.brk.unknownUserShape {
			return http.StatusUnauthorized, answer{{"status", "error"}, {"error", "USER_NOT_FOUND"}}
		}
		return h.userNotFound(user, pass)
	}
	ok := h.brk.acceptWrongPassword || injected || (h.brk.acct.codeSkipsPassword && u.TwoFactor != "" && tfkey != "")
	if !ok {
		var locked time.Duration
		if ok, locked = h.e.throttledSecretOK(w, r, "newapikey", u, passwordHash, pass, h.brk.password); locked > 0 {
			return http.StatusTooManyRequests, answer{{"status", "error"}, {"error", "TOO_MANY_FAILED_LOGINS"}, {"message", tooManyMessage(locked)}}
		}
	}
	if !ok {
		return h.userNotFound(user, pass)
	}
	later := h.e.users.later2FA(u)
	if u.TwoFactor != "" {
		switch {
		case tfkey == "" && h.brk.skip2FA:
		case tfkey == "" && q.Has("tfkey") && h.brk.tfkey == laxEmpty:
		case h.brk.raceTfkey && generated(u) && h.tf.book.outstanding(u, tfkey, h.e.now()):
			if !raceConsume(h.tf, u, tfkey, h.e.now) {
				return http.StatusInternalServerError, answer{{"status", "error"}, {"error", "TFKEY_VANISHED"}}
			}
		case tfkey == "":
			// Doc 002: two-factor authentication "will send a code to the
			// users phone".
			h.tf.challenge(r.Context(), u, !h.brk.noDelivery && !(h.brk.acct.noDeliveryLater && later))
			if h.brk.acct.challengeLater && later {
				return http.StatusOK, answer{{"status", "success"}, {"success", "TF_SENT"}}
			}
			return http.StatusOK, answer{{"status", "success"}, {"success", "ADDED_TF"}}
		case h.brk.acceptWrongTfkey, h.tf.check(u, tfkey, h.e.now()):
		case h.brk.tfkeyErrorShape:
			return http.StatusUnauthorized, answer{{"status", "error"}, {"error", "WRONG_TFKEY"}}
		default:
			return h.userNotFound(user, pass)
		}
	}
	if h.mint.stalled() {
		return storeFailedAnswer(errors.New("busy"))
	}
	key := newAPIKey()
	s := store.Session{Token: key, UserID: u.ID, Service: newapikeyService, Created: h.e.now()}
	if h.brk.keyForQueried {
		for _, k := range h.views.during(start, nil) {
			if id, _ := strconv.Atoi(k); id != u.ID && h.e.users.byID[id] != nil {
				s.UserID = id
				break
			}
		}
	}
	if err := h.e.store.Create(r.Context(), s, store.RuleNone); err != nil {
		return storeFailedAnswer(err)
	}
	key = h.mint.handOut(u.ID, key)
	if h.brk.loginEndsUsedKeys {
		if err := h.owned.endUsedOfOthers(r.Context(), h.e.store, u.ID); err != nil {
			return storeFailedAnswer(err)
		}
		h.owned.issue(key, u.ID)
	}
	if h.brk.key != exact || h.brk.newLoginRevokes {
		h.issuedMu.Lock()
		earlier := h.issued[u.ID]
		h.issued[u.ID] = append(earlier, key)
		if h.brk.newLoginRevokes {
			h.issued[u.ID] = []string{key}
			for _, k := range earlier {
				h.e.store.Delete(r.Context(), k) //nolint:errcheck // a broken server's cleanup
			}
		}
		h.issuedMu.Unlock()
	}
	nk := answer{{"controlapikey", 0}, {"key", key}}
	if h.brk.successShape || (h.brk.laterUserShape && u != h.e.users.first()) || (h.brk.tfkeyAnswerShape && tfkey != "") {
		nk = answer{{"key", key}}
	}
	if h.brk.acct.shapeLater && later {
		nk = answer{{"controlapikey", 0}, {"apikey", key}}
	}
	if h.brk.hashInAnswer {
		nk = append(nk, field{"hash", u.PasswordHash})
	}
	return http.StatusOK, answer{{"status", "success"}, {"success", "ADDED_KEY"}, {"newapikey", nk}}
}

// view serves /view/user/api: "You have to append your username and key
// to every query you are making."
func (h *newapikey) view(_ http.ResponseWriter, r *http.Request, q url.Values) (int, answer) {
	user, key := q.Get("user"), q.Get("key")
	invalid := answer{{"status", "error"}, {"error", "KEY_NOT_VALID"}}
	u := h.e.users.byLogin[user]
	if user == "" && key != "" && h.brk.keyWithoutUser {
		if s, ok, err := h.e.store.Lookup(r.Context(), key, h.e.now()); err == nil && ok && s.Service == newapikeyService {
			if u = h.e.users.byID[s.UserID]; u != nil {
				user = u.Login
			}
		}
	}
	if u == nil || user == "" {
		return http.StatusUnauthorized, invalid
	}
	if h.brk.keyForQueried {
		_, release := h.views.held(strconv.Itoa(u.ID), h.e.holdShort())
		defer release()
	}
	xml := strings.HasSuffix(r.URL.Path, ".xml")
	if !h.brk.ignoreKey && !(xml && h.brk.xmlMissingKeyOK && key == "") {
		if key == "" {
			return http.StatusUnauthorized, invalid
		}
		s, ok, err := h.e.store.Lookup(r.Context(), h.laxKey(u, key), h.e.now())
		if err != nil {
			return storeFailedAnswer(err)
		}
		if !ok || s.Service != newapikeyService || (s.UserID != u.ID && !h.brk.otherUserKey && !(xml && h.brk.xmlOtherUserKey)) {
			return http.StatusUnauthorized, invalid
		}
		if h.brk.keySingleUse {
			if _, err := h.e.store.Delete(r.Context(), key); err != nil {
				return storeFailedAnswer(err)
			}
		}
		if h.brk.loginEndsUsedKeys {
			h.owned.use(key)
		}
	}
	info := func(u *User) answer {
		return answer{{"username", u.lptrackerLogin()}, {"name", u.Name}, {"email", u.Email}}
	}
	if h.brk.viewWrongUser {
		u = h.e.users.other(u)
	}
	a := answer{{"status", "success"}, {"user", info(u)}}
	if h.brk.viewUnnamed {
		a = answer{{"status", "success"}, {"user", answer{{"name", u.Name}}}}
	}
	if xml && h.brk.xmlExtraUser {
		a = append(a, field{"colleague", info(h.e.users.other(u))})
	}
	return http.StatusOK, a
}

// laxKey is the key to look up for a sent key: the sent one, or with a newapikey.key-* break
// the first of u's issued keys it matches laxly.
func (h *newapikey) laxKey(u *User, key string) string {
	if h.brk.key == exact {
		return key
	}
	h.issuedMu.Lock()
	defer h.issuedMu.Unlock()
	for _, k := range h.issued[u.ID] {
		if laxEqual(k, key, h.brk.key) {
			return k
		}
	}
	return key
}

// keyAlphabet is the alphabet of keys, as in doc 002's "dcHZ2TXvMV".
const keyAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newAPIKey returns 10 random alphanumerics (about 59 bits), the shape of
// doc 002's keys.
func newAPIKey() string {
	out := make([]byte, 0, 10)
	var buf [16]byte
	for len(out) < 10 {
		rand.Read(buf[:]) // never fails
		for _, c := range buf {
			// 248 = 4*62: rejecting larger bytes keeps the choice uniform.
			if c < 248 && len(out) < 10 {
				out = append(out, keyAlphabet[c%62])
			}
		}
	}
	return string(out)
}
