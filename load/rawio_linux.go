package load

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// rawIO reads and writes one connection of the fast transport with raw read and write system
// calls, through the connection's syscall.RawConn, so that the runtime's poller still waits for
// readiness and still enforces the connection's deadline.
//
// Why: profiled at its ceiling against a bare handler, the generator spent about a third of its
// time in write(2) on loopback (the kernel delivers the segment to the server in that call) and
// much of the rest around it in the runtime: every system call through net.Conn tells the
// scheduler it may block, and a call that lasts longer than the scheduler's monitor tick (20 µs,
// often the case for a loopback write that wakes the server) has its processor taken away and
// handed to another thread, which must then be woken, and later given back. A write or read on
// a non-blocking socket never blocks, so raw calls lose nothing: when the socket is not ready
// the call returns EAGAIN, the callback says so, and RawConn waits on the poller as net.Conn
// would.
type rawIO struct {
	rc        syscall.RawConn
	nc        net.Conn
	p         []byte
	n         int
	errno     syscall.Errno
	readFn    func(fd uintptr) bool
	writeFn   func(fd uintptr) bool
	remaining []byte
}

// newRawIO returns a reader and writer for nc with raw system calls, or nc itself when it
// is not a TCP connection.
func newRawIO(nc net.Conn) io.ReadWriter {
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return nc
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nc
	}
	r := &rawIO{rc: rc, nc: nc}
	// Bound once, so that a call allocates no closure.
	r.readFn = r.read
	r.writeFn = r.write
	return r
}

func (r *rawIO) read(fd uintptr) bool {
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&r.p[0])), uintptr(len(r.p)))
		switch e {
		case 0:
			r.n, r.errno = int(n), 0
			return true
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false // not readable yet: RawConn waits on the poller, then calls again
		default:
			r.n, r.errno = 0, e
			return true
		}
	}
}

func (r *rawIO) write(fd uintptr) bool {
	for len(r.remaining) > 0 {
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&r.remaining[0])), uintptr(len(r.remaining)))
		switch e {
		case 0:
			r.n += int(n)
			r.remaining = r.remaining[n:]
		case syscall.EINTR:
		case syscall.EAGAIN:
			return false // the socket's buffer is full: wait until it is writable
		default:
			r.errno = e
			return true
		}
	}
	return true
}

// Read implements io.Reader with net.Conn's results and errors.
func (r *rawIO) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.p, r.n, r.errno = p, 0, 0
	err := r.rc.Read(r.readFn)
	r.p = nil
	switch {
	case err != nil:
		return 0, r.opError("read", err)
	case r.errno != 0:
		return 0, r.opError("read", os.NewSyscallError("read", r.errno))
	case r.n == 0:
		return 0, io.EOF
	}
	return r.n, nil
}

// Write implements io.Writer with net.Conn's results and errors: all of p, or an error.
func (r *rawIO) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.remaining, r.n, r.errno = p, 0, 0
	err := r.rc.Write(r.writeFn)
	n := r.n
	r.remaining = nil
	switch {
	case err != nil:
		return n, r.opError("write", err)
	case r.errno != 0:
		return n, r.opError("write", os.NewSyscallError("write", r.errno))
	}
	return n, nil
}

// opError words err as net.Conn's Read and Write do ("read tcp A->B: i/o timeout"); RawConn's
// own error says "raw-read".
func (r *rawIO) opError(op string, err error) error {
	return connOpError(op, r.nc.LocalAddr(), r.nc.RemoteAddr(), err)
}

// connOpError words err as net.Conn's Read and Write do on a TCP connection from local to
// remote ("read tcp A->B: i/o timeout"), the op being the one named here.
func connOpError(op string, local, remote net.Addr, err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	return &net.OpError{Op: op, Net: "tcp", Source: local, Addr: remote, Err: err}
}
