package reference

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing, so benchmarks
// measure the handlers rather than httptest.ResponseRecorder.
type discardWriter struct {
	h      http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(status int)      { d.status = status }

// benchServe runs h on a fresh request from newReq per goroutine, serially
// and in parallel, failing on any status but 200.
func benchServe(b *testing.B, h http.Handler, newReq func() *http.Request) {
	b.Run("serial", func(b *testing.B) {
		r, w := newReq(), &discardWriter{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			h.ServeHTTP(w, r)
		}
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r, w := newReq(), &discardWriter{h: http.Header{}, status: 200}
			for pb.Next() {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
			if w.status != 200 {
				b.Errorf("status %d", w.status)
			}
		})
	})
}

// BenchmarkBaseline is a bare net/http handler answering the probe's body:
// the floor the profile handlers are compared to.
func BenchmarkBaseline(b *testing.B) {
	body := []byte(`{"status":"success","result":[]}`)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})
	benchServe(b, h, func() *http.Request { return httptest.NewRequest("GET", "/projects", nil) })
}

func BenchmarkLptrackerProbe(b *testing.B) {
	s := newTestServer(b, lpOnly)
	tok := newClient(b, s).lpLogin("alice@example.com", "bench")
	benchServe(b, s.Handler(), func() *http.Request {
		r := httptest.NewRequest("GET", "/projects", nil)
		r.Header["Token"] = []string{tok}
		return r
	})
}

func BenchmarkJWTUsersMe(b *testing.B) {
	s := newTestServer(b, jwtOnly)
	tok := newClient(b, s).jwtLogin("alice@example.com")
	benchServe(b, s.Handler(), func() *http.Request {
		r := httptest.NewRequest("GET", "/users/me", nil)
		r.Header["X-Access-Token"] = []string{tok}
		return r
	})
}
