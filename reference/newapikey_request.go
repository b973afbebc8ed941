package reference

import (
	"io"
	"mime"
	"net/http"
	"net/url"
)

// newapikeyFields are the fields of a doc 002 request, read as the service's PHP reads them
// from $_REQUEST: the query string and a form body merged, on GET and on POST alike. Doc 002
// shows its calls as URLs with a query string and names no method; the service's published
// PHP integration POSTs user, pass and description as a form body (curl's
// CURLOPT_POSTFIELDS), and the service answers it. A field in both places takes the body's
// value, as PHP's default request_order "GP" does (GET first, then POST over it). A form body
// is application/x-www-form-urlencoded or multipart/form-data; a body of another type is
// ignored, as PHP leaves it out of $_REQUEST. A form body is read up to maxBodyBytes, and on
// GET too, which PHP would not (it fills $_POST on POST only): a stand-in takes the wider set.
//
// The status is 0 when the fields were read, 413 for a body over the limit, 400 for a body
// that ended early. A malformed pair is skipped, as url.URL.Query skips it in the query.
func newapikeyFields(w http.ResponseWriter, r *http.Request) (url.Values, int) {
	q := r.URL.Query()
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (media != "application/x-www-form-urlencoded" && media != "multipart/form-data") {
		return q, 0
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	var body url.Values
	if media == "multipart/form-data" {
		// ParseMultipartForm keeps at most maxBodyBytes in memory; the MaxBytesReader bounds
		// the whole body, so nothing is written to disk beyond it.
		if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
			return nil, bodyStatus(err)
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files only
		body = r.MultipartForm.Value
	} else {
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, bodyStatus(err)
		}
		body, _ = url.ParseQuery(string(raw)) // the pairs that parse, as Query keeps them
	}
	for k, vs := range body {
		q[k] = vs
	}
	return q, 0
}
