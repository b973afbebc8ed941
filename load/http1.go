package load

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// The fast transport's wire format, HTTP/1.1 as net/http writes and reads it, without the
// per-request allocations and copies of Request.Write and http.ReadResponse: profiled against
// a bare handler, those two were a fifth of the generator's CPU, most of it building values
// (a header sorter, a transfer writer, a textproto reader, a header map of fresh strings) that
// are the same on every request of a run.
//
// Both take a fast path only for the plain case a load run sends and a server answers, and
// hand everything else to net/http untouched, so nothing is sent or read differently:
//   - writeRequest writes the bytes Request.Write would (the tests compare them), for a
//     request to a plain ASCII host, no Transfer-Encoding, Close or trailers, a body of known
//     length that can write itself (as NewRequest's bodies do), and header keys and values
//     that need no cleaning; anything else is Request.Write.
//   - readResponse parses, without consuming it, a header block already in the read buffer:
//     HTTP/1.1, a status that has a body, one Content-Length, no Transfer-Encoding, Connection
//     or Pragma, and lines net/http would read the same. Anything else is http.ReadResponse on
//     the same, still unread, bytes.

// writeRequest writes req to w as Request.Write does.
func writeRequest(w *bufio.Writer, req *http.Request) error {
	var p plainReq
	if !plainRequest(req, &p) {
		return req.Write(w)
	}
	if req.Body != nil && req.Body != http.NoBody {
		defer req.Body.Close()
	}
	w.WriteString(req.Method)
	w.WriteByte(' ')
	w.WriteString(p.ruri)
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(p.host)
	w.WriteString("\r\n")
	ua := "Go-http-client/1.1" // net/http's default, unless the header has one (blank: none)
	if p.hasUA {
		ua = ""
		if len(p.ua) > 0 {
			ua = p.ua[0]
		}
	}
	if ua != "" {
		w.WriteString("User-Agent: ")
		w.WriteString(ua)
		w.WriteString("\r\n")
	}
	// net/http sends a length for a body, and a zero one for POST, PUT and PATCH.
	if req.ContentLength > 0 || req.Method == "POST" || req.Method == "PUT" || req.Method == "PATCH" {
		w.WriteString("Content-Length: ")
		var num [20]byte
		w.Write(strconv.AppendInt(num[:0], req.ContentLength, 10))
		w.WriteString("\r\n")
	}
	for _, f := range p.fields[:p.n] {
		for _, v := range f.values {
			w.WriteString(f.key)
			w.WriteString(": ")
			w.WriteString(v)
			w.WriteString("\r\n")
		}
	}
	w.WriteString("\r\n")
	if req.ContentLength > 0 {
		n, err := req.Body.(io.WriterTo).WriteTo(w)
		if err != nil {
			return err
		}
		if n != req.ContentLength {
			return fmt.Errorf("http: ContentLength=%d with Body length %d", req.ContentLength, n)
		}
	}
	return nil
}

// plainReq is what writeRequest writes of a request on its fast path.
type plainReq struct {
	ruri, host string
	ua         []string // the User-Agent values, when hasUA
	hasUA      bool
	// fields[:n] are the header's other fields in key order, as Header.Write sorts them,
	// without the keys written apart (Host, User-Agent, Content-Length) or dropped
	// (Transfer-Encoding, Trailer). A request with more goes to Request.Write.
	fields [16]headerField
	n      int
}

type headerField struct {
	key    string
	values []string
}

// plainRequest reports whether Request.Write would write req without changing any of its
// parts, and fills p with what it writes (one pass over the header: it runs once per hit).
func plainRequest(req *http.Request, p *plainReq) bool {
	u := req.URL
	if u == nil {
		return false
	}
	host := req.Host
	if host == "" {
		host = u.Host
	}
	if req.Method == "" || req.Method == "CONNECT" || u.Opaque != "" || u.ForceQuery ||
		!plainHost(host) || req.TransferEncoding != nil || req.Close || req.Trailer != nil {
		return false
	}
	switch {
	case req.ContentLength < 0:
		return false
	case req.ContentLength == 0:
		if req.Body != nil && req.Body != http.NoBody {
			return false // of unknown length: Request.Write probes it
		}
	default:
		if _, ok := req.Body.(io.WriterTo); !ok {
			return false
		}
	}
	p.n = 0
	for k, vs := range req.Header {
		if !httpguts.ValidHeaderFieldName(k) {
			return false // Request.Write drops it
		}
		for _, v := range vs {
			if !cleanValue(v) {
				return false
			}
		}
		switch k {
		case "User-Agent":
			p.ua, p.hasUA = vs, true
		case "Host", "Content-Length", "Transfer-Encoding", "Trailer":
		default:
			if p.n == len(p.fields) {
				return false
			}
			p.fields[p.n] = headerField{k, vs}
			p.n++
		}
	}
	slices.SortFunc(p.fields[:p.n], func(a, b headerField) int { return strings.Compare(a.key, b.key) })
	ruri := u.EscapedPath()
	if ruri == "" {
		ruri = "/"
	}
	if u.RawQuery != "" {
		ruri += "?" + u.RawQuery
	}
	for i := 0; i < len(ruri); i++ {
		if ruri[i] < ' ' || ruri[i] == 0x7f {
			return false // Request.Write refuses it
		}
	}
	p.ruri, p.host = ruri, host
	return true
}

// plainHost reports whether h is a host[:port] that Request.Write sends as it is: ASCII
// letters, digits, dots, dashes, colons and IPv6 brackets (no zone, no Punycode to apply).
func plainHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	return true
}

// cleanValue reports whether v is a header value Request.Write sends unchanged: no CR or LF
// (turned into spaces), no space or tab at either end (trimmed), no other control byte.
func cleanValue(v string) bool {
	if v != "" && (v[0] == ' ' || v[0] == '\t' || v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// respCache keeps what one connection's answers repeat: a server sends the same status line
// and most of the same header lines every time, so each distinct one becomes strings once, and
// an answer whose header lines are all the last one's (within the second of its Date) shares
// that answer's Header. Nothing in a run writes to an answer's Header (vegeta keeps it in the
// result, conform drops it), so sharing it is safe and saves building a map per answer.
type respCache struct {
	statusLine string
	status     string
	code       int
	lines      map[string]headerLine

	fields        string // the last header lines, as read
	header        http.Header
	contentLength int64
}

type headerLine struct{ key, value string }

// maxCachedLines bounds respCache.lines: a header that changes on every answer (a request
// id) only refills it.
const maxCachedLines = 64

// plainAnswer is an answer of the fast path and its body, allocated together.
type plainAnswer struct {
	resp http.Response
	body fastBody
}

// readResponse reads the answer to req from br as http.ReadResponse does. An answer of the
// plain kind comes as a plainAnswer, its body still to read from br (body.left bytes); any
// other as net/http's own response.
func readResponse(br *bufio.Reader, req *http.Request, rc *respCache) (*http.Response, *plainAnswer, error) {
	if _, err := br.Peek(1); err != nil {
		resp, err := http.ReadResponse(br, req) // the error net/http gives
		return resp, nil, err
	}
	buf, _ := br.Peek(br.Buffered())
	end := bytes.Index(buf, []byte("\r\n\r\n"))
	if end < 0 || req.Method == "HEAD" {
		resp, err := http.ReadResponse(br, req)
		return resp, nil, err
	}
	a := parsePlain(buf[:end+2], req, rc)
	if a == nil {
		resp, err := http.ReadResponse(br, req)
		return resp, nil, err
	}
	br.Discard(end + 4)
	return &a.resp, a, nil
}

// parsePlain parses a header block (each line ending in CRLF) of the plain kind; nil for any
// other.
func parsePlain(block []byte, req *http.Request, rc *respCache) *plainAnswer {
	line, fields, _ := bytes.Cut(block, []byte("\r\n"))
	if string(line) != rc.statusLine {
		status, code, ok := parseStatus(line)
		if !ok {
			return nil
		}
		rc.statusLine, rc.status, rc.code = string(line), status, code
	}
	if rc.code < 200 || rc.code == 204 || rc.code == 304 {
		return nil
	}
	if rc.header == nil || string(fields) != rc.fields {
		h, contentLength, ok := parseFields(fields, rc)
		if !ok {
			return nil
		}
		rc.fields, rc.header, rc.contentLength = string(fields), h, contentLength
	}
	a := &plainAnswer{resp: http.Response{Status: rc.status, StatusCode: rc.code, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rc.header, ContentLength: rc.contentLength, Request: req}}
	a.body.left = rc.contentLength
	return a
}

// parseFields parses header lines of the plain kind: one Content-Length, no Transfer-Encoding,
// Connection, Pragma or Trailer, each line as net/http reads it unchanged.
func parseFields(rest []byte, rc *respCache) (_ http.Header, contentLength int64, ok bool) {
	count := bytes.Count(rest, []byte("\r\n"))
	h := make(http.Header, count)
	values := make([]string, count)
	contentLength = -1
	for i := 0; len(rest) > 0; i++ {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\r\n"))
		hl, known := rc.lines[string(line)]
		if !known {
			if hl, ok = parseHeaderLine(line); !ok {
				return nil, 0, false
			}
			if rc.lines == nil || len(rc.lines) >= maxCachedLines {
				rc.lines = make(map[string]headerLine, maxCachedLines)
			}
			rc.lines[string(line)] = hl
		}
		switch hl.key {
		case "Transfer-Encoding", "Connection", "Pragma", "Trailer":
			return nil, 0, false
		case "Content-Length":
			if contentLength >= 0 {
				return nil, 0, false // a second one: net/http checks they agree
			}
			n, err := strconv.ParseUint(hl.value, 10, 63)
			if err != nil || hl.value == "" {
				return nil, 0, false
			}
			contentLength = int64(n)
		}
		values[i] = hl.value
		if vs, dup := h[hl.key]; dup {
			h[hl.key] = append(vs, hl.value)
		} else {
			h[hl.key] = values[i : i+1 : i+1]
		}
	}
	return h, contentLength, contentLength >= 0
}

// parseStatus reads "HTTP/1.1 200 OK" (the reason may be empty or missing); a lone CR or LF
// in it is for net/http to judge.
func parseStatus(line []byte) (status string, code int, ok bool) {
	s, found := strings.CutPrefix(string(line), "HTTP/1.1 ")
	if !found || len(s) < 3 || (len(s) > 3 && s[3] != ' ') || bytes.ContainsAny(line, "\r\n") {
		return "", 0, false
	}
	for i := range 3 {
		if s[i] < '0' || s[i] > '9' {
			return "", 0, false
		}
	}
	code = int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')
	return s, code, true
}

// parseHeaderLine reads "Key: value" as textproto's ReadMIMEHeader does for a line it keeps
// unchanged: a token key (canonicalized), the value with its surrounding spaces and tabs
// trimmed, no control byte but tab.
func parseHeaderLine(line []byte) (headerLine, bool) {
	k, v, found := bytes.Cut(line, []byte(":"))
	if !found || len(k) == 0 || !httpguts.ValidHeaderFieldName(string(k)) {
		return headerLine{}, false
	}
	v = bytes.Trim(v, " \t")
	for _, c := range v {
		if c < ' ' && c != '\t' || c == 0x7f {
			return headerLine{}, false
		}
	}
	return headerLine{key: http.CanonicalHeaderKey(string(k)), value: string(v)}, true
}
