//go:build linux

package load

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/textproto"
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
	excess  int64  // chunked overhead beyond what the data justifies
	body    []byte // the first maxBody bytes of the body
}

func (a *answer) reset() {
	a.resp, a.scanned, a.frame, a.left, a.chunk, a.excess, a.body = nil, 0, noBody, 0, chunkSize, 0, a.body[:0]
}

// judge reads what c has of its answer; once it is all there, the hit is handled.
func (l *evLoop) judge(c *evConn) {
	done, err := c.step(l.d.targets[c.h.target].req)
	switch {
	case err != nil:
		l.fail(c, err)
	case done:
		l.answered(c)
	}
}

// step reads what c.in has of the answer to req (consuming it): done once the answer is all
// there; an error when it cannot be read, with the words of http.ReadResponse and its body.
func (c *evConn) step(req *http.Request) (done bool, err error) {
	if len(c.in) > 0 {
		c.got = true
	}
	a := &c.ans
	if a.resp == nil {
		from := max(0, a.scanned-2)
		end := headEnd(c.in[from:])
		if end < 0 {
			switch {
			case c.rerr != nil:
				return false, c.headErr(req) // net/http's words for an answer cut short
			case len(c.in) > maxHead:
				return false, errHeadTooLong
			}
			a.scanned = len(c.in)
			return false, nil
		}
		if err := c.head(req, from+end); err != nil {
			return false, err
		}
	}
	used, done, err := a.feed(c.in, c.rerr == io.EOF)
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
	return done, err
}

// headEnd is where the head in b ends, after its empty line, or -1: lines end in LF, with or
// without CR before it, as textproto reads them.
func headEnd(b []byte) int {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
		if i < len(b) && b[i] == '\n' {
			return i + 1
		}
		if i+1 < len(b) && b[i] == '\r' && b[i+1] == '\n' {
			return i + 2
		}
	}
}

// head reads the answer's head, c.in[:end], and how its body is framed.
func (c *evConn) head(req *http.Request, end int) error {
	a := &c.ans
	c.snap = snapReader{b: c.in[:end], err: io.EOF}
	c.br.Reset(&c.snap)
	resp, plain, err := readResponse(c.br, req, &c.rc)
	if err != nil {
		return err
	}
	a.resp = resp
	switch {
	case plain != nil:
		a.frame, a.left = fixedBody, plain.body.left
	case resp.Body == http.NoBody || resp.Body == nil: // HEAD, 1xx, 204, 304, or Content-Length 0
		a.frame = noBody
	case len(resp.TransferEncoding) > 0 && resp.TransferEncoding[0] == "chunked":
		a.frame = chunkedBody
	case resp.ContentLength >= 0:
		a.frame, a.left = fixedBody, resp.ContentLength
	default:
		a.frame = untilClose
	}
	c.in = c.in[:copy(c.in, c.in[end:])]
	return nil
}

// headErr is how http.ReadResponse fails on an answer whose head never ended.
func (c *evConn) headErr(req *http.Request) error {
	c.snap = snapReader{b: c.in, err: c.rerr}
	c.br.Reset(&c.snap)
	_, err := http.ReadResponse(c.br, req)
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// feed reads body bytes from in: how many it used, and whether the body ended; eof says no
// more will come.
func (a *answer) feed(in []byte, eof bool) (used int, done bool, err error) {
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
	used, done, err = a.chunks(in)
	if err == nil && !done && eof {
		err = io.ErrUnexpectedEOF
		if a.chunk == chunkTrailer {
			err = a.trailer(in[used:], true)
		}
	}
	return used, done, err
}

// chunks reads a chunked body (RFC 9112 §7.1) with net/http's rules and words
// (net/http/internal/chunked.go): size lines end in CRLF and fit its 4 KiB buffer, data ends
// in CRLF, no more than 16 KiB of overhead beyond what the data justifies, and the trailer's
// fields end within 4 KiB and are read by textproto.
func (a *answer) chunks(in []byte) (used int, done bool, err error) {
	for used < len(in) {
		switch a.chunk {
		case chunkSize:
			line, n, err := chunkLine(in[used:])
			if err != nil || n == 0 {
				return used, false, err
			}
			used += n
			a.excess += int64(len(line)) + 2
			size, err := chunkLen(line)
			if err != nil {
				return used, false, err
			}
			if a.excess = max(0, a.excess-16-2*min(size, 1<<40)); a.excess > 16<<10 {
				return used, false, errors.New("chunked encoding contains too much non-data")
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
		case chunkTrailer:
			rest := in[used:]
			if len(rest) >= 2 && rest[0] == '\r' && rest[1] == '\n' {
				return used + 2, true, nil
			}
			end := bytes.Index(rest[:min(len(rest), 4096)], []byte("\r\n\r\n"))
			if end < 0 {
				if len(rest) >= 4096 {
					return used, false, a.trailer(rest, false)
				}
				return used, false, nil
			}
			if err := a.trailer(rest[:end+4], false); err != nil {
				return used, false, err
			}
			return used + end + 4, true, nil
		}
	}
	return used, false, nil
}

// trailer reads the trailer's fields, b (ending in an empty line unless eof or too long), as
// net/http's body does.
func (a *answer) trailer(b []byte, eof bool) error {
	if len(b) < 2 {
		return errors.New("http: unexpected EOF reading trailer")
	}
	if end := bytes.Index(b[:min(len(b), 4096)], []byte("\r\n\r\n")); end < 0 {
		return errors.New("http: suspiciously long trailer after chunked body")
	}
	if _, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(b))).ReadMIMEHeader(); err != nil {
		if err == io.EOF {
			return errors.New("http: unexpected EOF reading trailer")
		}
		return err
	}
	return nil
}

// chunkLine is the size line at the start of b without its CRLF, and the bytes it takes; 0
// while it is not all there.
func chunkLine(b []byte) (line []byte, n int, err error) {
	i := bytes.IndexByte(b[:min(len(b), 4096)], '\n')
	if i < 0 {
		if len(b) >= 4096 {
			return nil, 0, errors.New("header line too long")
		}
		return nil, 0, nil
	}
	line = b[:i+1]
	if cr := bytes.IndexByte(line, '\r'); cr < 0 {
		return nil, 0, errors.New("chunked line ends with bare LF")
	} else if cr != len(line)-2 {
		return nil, 0, errors.New("invalid CR in chunked line")
	}
	return line[:len(line)-2], i + 1, nil
}

// keep keeps what of b fits within maxBody.
func (a *answer) keep(b []byte) {
	if room := maxBody - len(a.body); room > 0 {
		a.body = append(a.body, b[:min(room, len(b))]...)
	}
}

// chunkLen reads a chunk's size from its line as net/http does: trailing blanks dropped,
// then any extension after ';'.
func chunkLen(line []byte) (int64, error) {
	line = bytes.TrimRight(line, " \t")
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	if len(line) == 0 {
		return 0, errors.New("empty hex number for chunk length")
	}
	var n uint64
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
		n = n<<4 | uint64(b)
	}
	if n > 1<<62 {
		return 0, errors.New("http chunk length too large") // beyond what counting can hold
	}
	return int64(n), nil
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
