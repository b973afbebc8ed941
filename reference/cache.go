package reference

import "net/http"

// Every answer of the reference says it must not be stored: the login answers carry a token
// or key, and the rest (a user's information, a logout's result) belong to one user. ASVS
// 4.0.3 V8.2.1 asks for Cache-Control: no-store on sensitive answers; Pragma: no-cache is for
// HTTP/1.0 caches, which ignore Cache-Control. The values are assigned to the header map
// directly (they are never modified), which costs the hot paths no allocation.
var (
	cacheControlNoStore = []string{"no-store"}
	pragmaNoCache       = []string{"no-cache"}
)

// withNoStore marks every answer of h as not to be stored by a browser or proxy.
func withNoStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr["Cache-Control"] = cacheControlNoStore
		hdr["Pragma"] = pragmaNoCache
		h.ServeHTTP(w, r)
	})
}
