package reference

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// hostileBreak is the break every profile has of how it meets hostile input: a request whose
// query or body holds a NUL byte or a MongoDB operator ($ne, $gt) is answered 500, as a
// server does whose query layer throws on them. It is applied around the profile's routes
// (withHostileBreaks), so one implementation serves the five documents alike.
const hostileBreak = ".500-on-hostile"

// hostileBreakNames lists the hostile-input breaks of profile, for profileDef.breaks.
func hostileBreakNames(profile string) []string {
	return []string{profile + hostileBreak}
}

// hostileMarkers are what the 500-on-hostile break chokes on, raw and percent-encoded.
var hostileMarkers = [][]byte{[]byte("\x00"), []byte(`\u0000`), []byte("%00"), []byte("$ne"), []byte("$gt"), []byte("%24ne"), []byte("%24gt")}

// withHostileBreaks wraps h with the 500-on-hostile break of every served profile that has it
// on; prefixes maps each served profile to its path prefix ("" when it is served alone).
func withHostileBreaks(h http.Handler, breaks map[string]bool, prefixes map[string]string) http.Handler {
	var broken []string
	for name, prefix := range prefixes {
		if breaks[name+hostileBreak] {
			broken = append(broken, prefix+"/")
		}
	}
	if len(broken) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range broken {
			if strings.HasPrefix(r.URL.Path, p) && hostile(r) {
				http.Error(w, "internal server error", http.StatusInternalServerError)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// hostile reports whether r's query or the first maxBodyBytes of its body hold a marker; the
// body read is put back in front of the rest for the handler.
func hostile(r *http.Request) bool {
	q := []byte(r.URL.RawQuery)
	head, _ := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	for _, m := range hostileMarkers {
		if bytes.Contains(q, m) || bytes.Contains(head, m) {
			return true
		}
	}
	return false
}
