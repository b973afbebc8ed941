//go:build linux

package load

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"
)

// An event loop reads an answer as its bytes come, without waiting on them: the head once it
// is all there, with readResponse (the workers' reader, so status and fields are read as
// net/http reads them); then the body as its framing says (RFC 9112 §6.3): Content-Length
// bytes, chunks, or everything until the server closes. The first maxBody bytes of the body
// are kept for the judging, the rest counted and dropped, so an answer of any size costs
// time in proportion to its length and memory up to maxBody plus its head.

// maxHead bounds an answer's status line and fields, as net/http's Transport bounds them by
// default (MaxResponseHeaderBytes).
const maxHead = 1 << 20

var errHeadTooLong = errors.New("net/http: server response headers exceeded 1048576 bytes; aborted")

type framing uint8

const (
	noBody framing = iota
	fixedBody
	chunkedBody
	untilClose
)

// chunk states
const (
	chunkSize uint8 = iota
	chunkData
	chunkEnd
	chunkTrailer
)

// answer is what a loop has read of the answer to a connection's request.
type answer struct {
	resp    *http.Response // once the head is read
	scanned int            // bytes of the head searched for its end
	frame   framing
	left    int64 // bytes of the body (fixed) or of the chunk still to come
	chunk   uint8
	body    []byte // the first maxBody bytes of the body
}

func (a *answer) reset() {
	a.resp, a.scanned, a.frame, a.left, a.chunk, a.body = nil, 0, noBody, 0, chunkSize, a.body[:0]
}

// judge reads what c has of its answer; once it is all there, the hit is handled.
func (l *evLoop) judge(c *evConn) {
	if len(c.in) > 0 {
		c.got = true
	}
	a := &c.ans
	if a.resp == nil {
		end := bytes.Index(c.in[max(0, a.scanned-3):], []byte("\r\n\r\n"))
		if end < 0 {
			switch {
			case c.rerr != nil:
				l.fail(c, l.headErr(c, c.in)) // net/http's words for an answer cut short
			case len(c.in) > maxHead:
				l.fail(c, errHeadTooLong)
			default:
				a.scanned = len(c.in)
			}
			return
		}
		end += max(0, a.scanned-3) + 4
		if !l.head(c, end) {
			return
		}
	}
	used, done, err := a.feed(c.in)
	c.in = c.in[:copy(c.in, c.in[used:])]
	if err == nil && !done && c.rerr != nil {
		switch {
		case a.frame == untilClose && c.rerr == io.EOF:
			done = true
		case c.rerr == io.EOF:
			err = io.ErrUnexpectedEOF // as net/http's body says of an answer cut short
		default:
			err = c.rerr
		}
	}
	if err != nil {
		l.fail(c, err)
		return
	}
	if done {
		l.answered(c)
	}
}

// head reads the answer's head, c.in[:end]; false when the answer failed.
func (l *evLoop) head(c *evConn, end int) bool {
	a := &c.ans
	req := l.d.targets[c.h.target].req
	c.snap = snapReader{b: c.in[:end], err: io.EOF}
	c.br.Reset(&c.snap)
	resp, plain, err := readResponse(c.br, req, &c.rc)
	if err != nil {
		l.fail(c, err)
		return false
	}
	a.resp = resp
	code := resp.StatusCode
	switch {
	case req.Method == "HEAD" || code < 200 || code == 204 || code == 304 || resp.Body == http.NoBody:
		a.frame = noBody
	case plain != nil:
		a.frame, a.left = fixedBody, plain.body.left
	case len(resp.TransferEncoding) > 0 && resp.TransferEncoding[0] == "chunked":
		a.frame = chunkedBody
	case resp.ContentLength >= 0:
		a.frame, a.left = fixedBody, resp.ContentLength
	default:
		a.frame = untilClose
	}
	c.in = c.in[:copy(c.in, c.in[end:])]
	return true
}

// headErr is how http.ReadResponse fails on an answer whose head never ended.
func (l *evLoop) headErr(c *evConn, b []byte) error {
	c.snap = snapReader{b: b, err: c.rerr}
	c.br.Reset(&c.snap)
	_, err := http.ReadResponse(c.br, l.d.targets[c.h.target].req)
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// feed reads body bytes from in: how many it used, and whether the body ended.
func (a *answer) feed(in []byte) (used int, done bool, err error) {
	switch a.frame {
	case noBody:
		return 0, true, nil
	case fixedBody:
		n := int(min(a.left, int64(len(in))))
		a.keep(in[:n])
		a.left -= int64(n)
		return n, a.left == 0, nil
	case untilClose:
		a.keep(in)
		return len(in), false, nil
	}
	for used < len(in) {
		switch a.chunk {
		case chunkSize, chunkTrailer:
			i := bytes.IndexByte(in[used:], '\n')
			if i < 0 {
				if len(in)-used > 4096 {
					return used, false, errors.New("header line too long")
				}
				return used, false, nil
			}
			line := bytes.TrimSuffix(in[used:used+i], []byte("\r"))
			used += i + 1
			if a.chunk == chunkTrailer {
				if len(line) == 0 {
					return used, true, nil
				}
				continue
			}
			size, err := chunkLen(line)
			if err != nil {
				return used, false, err
			}
			if size == 0 {
				a.chunk = chunkTrailer
			} else {
				a.chunk, a.left = chunkData, size
			}
		case chunkData:
			n := int(min(a.left, int64(len(in)-used)))
			a.keep(in[used : used+n])
			used += n
			if a.left -= int64(n); a.left == 0 {
				a.chunk = chunkEnd
			}
		case chunkEnd:
			if len(in)-used < 2 {
				return used, false, nil
			}
			if in[used] != '\r' || in[used+1] != '\n' {
				return used, false, errors.New("malformed chunked encoding")
			}
			used += 2
			a.chunk = chunkSize
		}
	}
	return used, false, nil
}

// keep keeps what of b fits within maxBody.
func (a *answer) keep(b []byte) {
	if room := maxBody - len(a.body); room > 0 {
		a.body = append(a.body, b[:min(room, len(b))]...)
	}
}

// chunkLen reads a chunk's size line (its extensions after ';' ignored), with net/http's
// errors.
func chunkLen(line []byte) (int64, error) {
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 {
		return 0, errors.New("empty hex number for chunk length")
	}
	var n int64
	for i, b := range line {
		switch {
		case '0' <= b && b <= '9':
			b -= '0'
		case 'a' <= b && b <= 'f':
			b = b - 'a' + 10
		case 'A' <= b && b <= 'F':
			b = b - 'A' + 10
		default:
			return 0, errors.New("invalid byte in chunk length")
		}
		if i == 16 {
			return 0, errors.New("http chunk length too large")
		}
		n = n<<4 | int64(b)
	}
	if n < 0 {
		return 0, errors.New("http chunk length too large")
	}
	return n, nil
}

// answered hands c's hit its answer and gives c back (or closes it, when the answer said
// so or left bytes behind).
func (l *evLoop) answered(c *evConn) {
	h, a := &c.h, &c.ans
	h.latency = time.Since(h.sent)
	h.body, h.bytesIn = a.body, uint64(len(a.body))
	if h.code = uint16(a.resp.StatusCode); h.code < 200 || h.code >= 400 {
		h.err = a.resp.Status
	}
	keep := !a.resp.Close && a.frame != untilClose
	c.busy, c.reused = false, true
	l.flight.busy--
	l.d.handle(h)
	a.reset()
	if !keep || c.rerr != nil || len(c.in) > 0 {
		l.discard(c)
		return
	}
	l.idle = append(l.idle, c)
}
