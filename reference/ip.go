package reference

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the address doc 003's one-user-per-IP rule applies to. Behind
// a proxy (or when a load generator spoofs many clients) the first
// X-Forwarded-For entry is the client, but only when the operator says the
// header can be trusted; otherwise anyone could pick their IP.
func clientIP(r *http.Request, trustForwardedFor bool) string {
	if trustForwardedFor {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			first = strings.TrimSpace(first)
			if a, err := netip.ParseAddr(first); err == nil {
				return a.Unmap().String()
			}
			if ap, err := netip.ParseAddrPort(first); err == nil {
				return ap.Addr().Unmap().String()
			}
		}
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().String()
	}
	return r.RemoteAddr
}
