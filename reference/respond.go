package reference

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/conformhq/conform/reference/store"
)

// maxBodyBytes bounds every request body the reference reads.
const maxBodyBytes = 1 << 20

// contentTypeJSON is assigned to response headers directly, skipping the
// key canonicalisation and slice allocation of Header.Set on hot paths.
// Never modified.
var contentTypeJSON = []string{"application/json; charset=utf-8"}

// writeRaw sends an already encoded JSON body.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = contentTypeJSON
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}

// writeJSON encodes v and sends it.
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeRaw(w, status, encode(v))
}

// encode marshals the reference's own response values, which are maps,
// slices and structs of strings, numbers and booleans and cannot fail to
// encode; the fallback only keeps the function total.
func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{"error":"internal encoding error"}`)
	}
	return b
}

// errBodyTooLarge reports a request body over maxBodyBytes.
var errBodyTooLarge = errors.New("request body larger than 1 MiB")

// decodeBody reads one JSON value from the request body into dst. Data
// after that value is ignored on purpose: doc 003's own curl example sends
// a stray closing brace ({...}}), and the documented server accepts it.
// Member names match dst's fields exactly (RFC 8259 §8.3: "Password" is not
// "password"), not in any letter case as encoding/json matches them.
func decodeBody(w http.ResponseWriter, r *http.Request, dst any) error {
	return decodeMembers(w, r, dst, false)
}

// decodeMembers is decodeBody; folded matches member names in any letter
// case (the wire-member-case-folded breaks).
func decodeMembers(w http.ResponseWriter, r *http.Request, dst any, folded bool) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	var raw json.RawMessage
	err := json.NewDecoder(r.Body).Decode(&raw)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errBodyTooLarge
	}
	if err != nil {
		return err
	}
	if !folded {
		raw = exactMembers(raw, dst)
	}
	return json.Unmarshal(raw, dst)
}

// exactMembers drops from a JSON object the members whose names equal a
// field name of *dst only in another letter case, so encoding/json does not
// read them as that field.
func exactMembers(raw json.RawMessage, dst any) json.RawMessage {
	t := reflect.TypeOf(dst)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return raw
	}
	var names []string
	for f := range t.Elem().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return raw
	}
	dropped := false
	for k := range obj {
		exact, folded := false, false
		for _, n := range names {
			exact = exact || k == n
			folded = folded || strings.EqualFold(k, n)
		}
		if folded && !exact {
			delete(obj, k)
			dropped = true
		}
	}
	if !dropped {
		return raw
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return raw
	}
	return out
}

// newToken returns 128 random bits, hex encoded: an opaque session token.
func newToken() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand crashes the program instead)
	return hex.EncodeToString(b[:])
}

// storeErrMessage is the message answered with HTTP 503 when the session
// store fails: a server-side fault (Redis unreachable, store full), never
// a consequence of the request's content.
func storeErrMessage(err error) string {
	if errors.Is(err, store.ErrFull) {
		return "too many sessions; try again later"
	}
	return "session store unavailable"
}
