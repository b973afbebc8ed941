package reference

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"

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
func decodeBody(w http.ResponseWriter, r *http.Request, dst any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	err := json.NewDecoder(r.Body).Decode(dst)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errBodyTooLarge
	}
	return err
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
