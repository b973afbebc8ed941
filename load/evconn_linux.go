//go:build linux

package load

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

// sysEpollPwait2 is epoll_pwait2(2) (Linux 5.11, the same number on every architecture):
// epoll_wait with a timeout in nanoseconds, so that a hit due in 300 µs is not sent a
// millisecond late. Where the kernel lacks it, epoll_wait with the timeout rounded up.
const sysEpollPwait2 = 441

// errDeadline is an answer out of time, as net.Conn words it (os.ErrDeadlineExceeded).
var errDeadline error = os.ErrDeadlineExceeded

// evConn is one connection of a loop: a non-blocking socket the runtime's poller does not
// know, and, over HTTPS, the tls.Conn over it.
type evConn struct {
	fd           int
	laddr, raddr net.Addr
	tc           *tls.Conn   // nil over plain HTTP
	sw           *switchConn // tc's transport

	in     []byte // the answer's bytes (plain text) not judged yet
	rerr   error  // io.EOF once the server closed, or the read's error
	out    []byte // bytes to write, from outOff
	outOff int
	req    []byte // the request's bytes over TLS, reused

	busy    bool // an answer is awaited
	gen     uint64
	reused  bool // it has answered before
	got     bool // bytes of this answer came
	retried bool
	h       hit
	dl      time.Time

	ans  answer
	br   *bufio.Reader // reads the answer's head from snap
	snap snapReader
	rc   respCache
}

// dialLoop opens a connection for a loop, and makes its TLS handshake: as the pool's get
// does, then taken away from the runtime's poller.
func (t *fastTransport) dialLoop(deadline time.Time) (*evConn, error) {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	nc, sw, tc, err := t.connect(ctx)
	if err != nil {
		return nil, err
	}
	c := &evConn{laddr: nc.LocalAddr(), raddr: nc.RemoteAddr(), sw: sw, tc: tc}
	fd, err := dupFD(nc)
	nc.Close() // the duplicate keeps the socket open
	if err != nil {
		return nil, err
	}
	c.fd = fd
	if c.sw != nil {
		c.sw.loop = true
	}
	c.br = bufio.NewReaderSize(&c.snap, 4<<10)
	return c, nil
}

// dupFD duplicates nc's descriptor (non-blocking, as the runtime made it).
func dupFD(nc net.Conn) (int, error) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return -1, errors.New("not a socket")
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	var derr error
	if err := rc.Control(func(s uintptr) {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, s, syscall.F_DUPFD_CLOEXEC, 0)
		if e != 0 {
			derr = os.NewSyscallError("fcntl", e)
			return
		}
		fd = int(r)
	}); err != nil {
		return -1, err
	}
	return fd, derr
}

func (c *evConn) close() { syscall.Close(c.fd) }

// opError words err as net.Conn's Read and Write do ("read tcp A->B: i/o timeout").
func (c *evConn) opError(op string, err error) error { return connOpError(op, c.laddr, c.raddr, err) }

// send writes h's request on c.
func (l *evLoop) send(c *evConn, h hit, retried bool) {
	t := &l.d.targets[h.target]
	c.busy, c.h, c.retried, c.got = true, h, retried, false
	c.gen++
	c.dl = h.sent.Add(l.d.fast.timeout)
	l.flight.add(c)
	if c.tc == nil {
		c.out = append(strconv.AppendUint(append(c.out, t.wire[:t.cut]...), h.seq, 10), t.wire[t.cut:]...)
	} else {
		c.req = append(strconv.AppendUint(append(c.req[:0], t.wire[:t.cut]...), h.seq, 10), t.wire[t.cut:]...)
		if _, err := c.tc.Write(c.req); err != nil {
			l.fail(c, err)
			return
		}
		c.out = append(c.out, c.sw.out...)
		c.sw.out = c.sw.out[:0]
	}
	l.flush(c)
}

// pending reports whether c has bytes still to write.
func (c *evConn) pending() bool { return c.outOff < len(c.out) }

// flush writes what c has to write; the rest when the socket can take it.
func (l *evLoop) flush(c *evConn) {
	for c.pending() {
		p := c.out[c.outOff:]
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(c.fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
		switch e {
		case 0:
			c.outOff += int(n)
			continue
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_MOD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLOUT, Fd: int32(c.fd)})
			return
		}
		l.fail(c, c.opError("write", os.NewSyscallError("write", e)))
		return
	}
	c.out, c.outOff = c.out[:0], 0
}

// ready handles what epoll says of c.
func (l *evLoop) ready(c *evConn, ev uint32) {
	if ev&syscall.EPOLLOUT != 0 && c.pending() {
		l.flush(c)
		if !c.pending() && l.byFD[c.fd] == c {
			syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_MOD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(c.fd)})
		}
		if l.byFD[c.fd] != c {
			return
		}
	}
	if ev&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP|syscall.EPOLLERR) == 0 {
		return
	}
	if !l.read(c) {
		return // nothing new
	}
	if !c.busy {
		// The server closed it while idle, or sent what was not asked (over TLS, a session
		// ticket is neither: it leaves no plain text).
		if len(c.in) > 0 || c.rerr != nil || (c.sw != nil && c.sw.in.err != nil) {
			l.discard(c)
		}
		return
	}
	l.judge(c)
}

// read reads what the socket has into c.in (through TLS when over HTTPS); false when it had
// nothing.
func (l *evLoop) read(c *evConn) bool {
	dst := &c.in
	if c.sw != nil {
		// What tls.Conn has not read yet moves to the front (it reads all there is, so
		// usually nothing).
		s := &c.sw.in
		s.b, s.off = s.b[:copy(s.b, s.b[s.off:])], 0
		dst = &s.b
	}
	if cap(*dst)-len(*dst) < 4<<10 {
		*dst = append(*dst, make([]byte, 16<<10)...)[:len(*dst)]
	}
	b := *dst
	n, _, e := syscall.RawSyscall(syscall.SYS_READ, uintptr(c.fd), uintptr(unsafe.Pointer(&b[len(b):cap(b)][0])), uintptr(cap(b)-len(b)))
	switch {
	case e == syscall.EAGAIN || e == syscall.EINTR:
		return false
	case e != 0:
		l.readErr(c, c.opError("read", os.NewSyscallError("read", e)))
	case n == 0:
		l.readErr(c, io.EOF)
	default:
		*dst = b[:len(b)+int(n)]
	}
	if c.sw == nil {
		return true
	}
	// The records read, as plain text: tls.Conn reads a record at a time.
	for {
		if cap(c.in)-len(c.in) < 4<<10 {
			c.in = append(c.in, make([]byte, 16<<10)...)[:len(c.in)]
		}
		m, err := c.tc.Read(c.in[len(c.in):cap(c.in)])
		c.in = c.in[:len(c.in)+m]
		if err == errWouldBlock {
			break
		}
		if err != nil {
			c.rerr = err
			break
		}
	}
	if len(c.sw.out) > 0 && !c.pending() { // what TLS answered to the server (a key update)
		c.out = append(c.out[:0], c.sw.out...)
		c.sw.out = c.sw.out[:0]
		l.flush(c)
	}
	return true
}

func (l *evLoop) readErr(c *evConn, err error) {
	if c.sw != nil {
		c.sw.in.err = err
	} else {
		c.rerr = err
	}
}

// fail ends c's answer with err and closes c; a request on a kept-alive connection that the
// server had closed before any answer is sent once more, on a new connection.
func (l *evLoop) fail(c *evConn, err error) {
	h := c.h
	retry := c.reused && !c.got && !c.retried && stale(err)
	bodyErr := c.ans.resp != nil
	c.ans.reset()
	l.discard(c)
	if retry {
		h.retried = true
		l.dial(h)
		return
	}
	h.latency = time.Since(h.sent)
	if bodyErr {
		// Failed in the body, after http.Client.Do would have returned: its reader's error.
		h.err = err.Error()
	} else {
		h.err = l.urlError(&h, err)
	}
	l.d.handle(&h)
}

// urlError is err as http.Client.Do words it.
func (l *evLoop) urlError(h *hit, err error) string {
	t := l.d.targets[h.target].tgt
	u, _ := url.Parse(t.URL)
	return (&url.Error{Op: urlErrorOp(t.Method), URL: u.String(), Err: err}).Error()
}

// deadlines are a loop's answers in flight in the order sent, and so of their deadlines
// (a request sent again keeps its first one, so its place is at most a timeout late).
type deadlines struct {
	q    []flightEntry
	head int
	busy int
}

type flightEntry struct {
	c   *evConn
	gen uint64
}

func (f *deadlines) add(c *evConn) {
	if f.head > 0 && f.head == len(f.q) {
		f.q, f.head = f.q[:0], 0
	} else if f.head > 1024 && f.head*2 > len(f.q) {
		f.q, f.head = f.q[:copy(f.q, f.q[f.head:])], 0
	}
	f.q = append(f.q, flightEntry{c, c.gen})
	f.busy++
}

// first is the deadline of the first answer still awaited.
func (f *deadlines) first() (time.Time, bool) {
	for f.head < len(f.q) {
		e := f.q[f.head]
		if e.c.busy && e.c.gen == e.gen {
			return e.c.dl, true
		}
		f.head++
	}
	return time.Time{}, false
}

// expired takes the first answer awaited past its deadline.
func (f *deadlines) expired(now time.Time) (*evConn, bool) {
	dl, ok := f.first()
	if !ok || now.Before(dl) {
		return nil, false
	}
	c := f.q[f.head].c
	f.head++
	return c, true
}
