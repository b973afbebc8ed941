package reference

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// flyLoginRequest is doc 000's login body: email*, password*, code.
type flyLoginRequest struct {
	Email, Password, Code string
}

// flyLoginJSON is the JSON form. Doc 000 types code as int, yet codes are
// digits a user types, so a string is accepted too (and null as absent).
type flyLoginJSON struct {
	Email    string          `json:"email"`
	Password string          `json:"password"`
	Code     json.RawMessage `json:"code"`
}

// readLogin reads the login body in any form a client of doc 000 sends
// it: a form (the doc's curl -d), multipart (curl -F) or JSON. A body
// without a Content-Type is JSON if it starts with "{", else a form. The
// status is 0 on success, else 400, 413 or 415.
func (h *flylogs) readLogin(w http.ResponseWriter, r *http.Request) (flyLoginRequest, int) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	ct := r.Header.Get("Content-Type")
	media := ""
	if ct != "" {
		var err error
		if media, _, err = mime.ParseMediaType(ct); err != nil {
			return flyLoginRequest{}, http.StatusUnsupportedMediaType
		}
	}
	if media == "multipart/form-data" {
		if h.brk.jsonOnly {
			return flyLoginRequest{}, http.StatusUnsupportedMediaType
		}
		if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
			return flyLoginRequest{}, bodyStatus(err)
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files only
		return flyLoginRequest{Email: r.PostFormValue("email"), Password: r.PostFormValue("password"), Code: r.PostFormValue("code")}, 0
	}

	body, err := io.ReadAll(r.Body)
	if err != nil {
		return flyLoginRequest{}, bodyStatus(err)
	}
	isJSON := media == "application/json" || strings.HasSuffix(media, "+json")
	if media == "" {
		isJSON = bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))
	} else if !isJSON && media != "application/x-www-form-urlencoded" {
		return flyLoginRequest{}, http.StatusUnsupportedMediaType
	}
	if !isJSON {
		if h.brk.jsonOnly {
			return flyLoginRequest{}, http.StatusUnsupportedMediaType
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return flyLoginRequest{}, http.StatusBadRequest
		}
		return flyLoginRequest{Email: form.Get("email"), Password: form.Get("password"), Code: form.Get("code")}, 0
	}

	var j flyLoginJSON
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&j); err != nil {
		return flyLoginRequest{}, http.StatusBadRequest
	}
	code, ok := codeFromJSON(j.Code)
	if !ok {
		return flyLoginRequest{}, http.StatusBadRequest
	}
	return flyLoginRequest{Email: j.Email, Password: j.Password, Code: code}, 0
}

// codeFromJSON turns a JSON code (absent, null, string or integer) into
// its text; other JSON values are malformed.
func codeFromJSON(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	if raw[0] == '"' {
		var s string
		return s, json.Unmarshal(raw, &s) == nil
	}
	for _, c := range raw {
		if c < '0' || c > '9' {
			return "", false // fractions, exponents, signs, objects: not a code
		}
	}
	return string(raw), true
}

// bodyStatus maps a body read error to 413 or 400.
func bodyStatus(err error) int {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}
