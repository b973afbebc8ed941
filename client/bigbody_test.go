package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/conformhq/conform/redact"
)

// TestBigRequestBodyIsMaskedOnlyWhereKept: a 10 MiB request body (the negative specs send
// one) is kept as its masked start, and the transcript counts every byte it left out.
func TestBigRequestBodyIsMaskedOnlyWhereKept(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) //nolint:errcheck // the test reads only the transcript
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL, Redactor: redact.New("hunter2")})
	body := "hunter2 " + strings.Repeat("p", 10<<20)
	if _, err := tg.Do(context.Background(), Request{Method: "POST", Path: "/login", Body: body}); err != nil {
		t.Fatal(err)
	}
	ex := tg.Transcript().Exchanges()[0]
	if strings.Contains(ex.ReqBody, "hunter2") || !strings.HasPrefix(ex.ReqBody, "****") {
		t.Errorf("kept body starts %q, want the secret masked", ex.ReqBody[:20])
	}
	if got := len(ex.ReqBody) + ex.ReqBodyClipped; got != len(body)-len("hunter2")+len("****") {
		t.Errorf("kept %d + clipped %d = %d bytes, want the masked body's %d", len(ex.ReqBody), ex.ReqBodyClipped, got, len(body)-3)
	}
}
