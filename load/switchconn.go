package load

import (
	"io"
	"net"
)

// switchConn is what crypto/tls reads its records from and writes them to: the dialed
// connection's raw system calls (rawIO) for the workers' pool and for the handshake; then,
// once an event loop holds the socket (loop), the bytes the loop read and the bytes for it
// to write.
type switchConn struct {
	net.Conn
	rw   io.ReadWriter
	loop bool
	in   snapReader // what the loop read; err once the socket said io.EOF or failed
	out  []byte
}

func (s *switchConn) Read(p []byte) (int, error) {
	if !s.loop {
		return s.rw.Read(p)
	}
	return s.in.Read(p)
}

func (s *switchConn) Write(p []byte) (int, error) {
	if !s.loop {
		return s.rw.Write(p)
	}
	s.out = append(s.out, p...)
	return len(p), nil
}

// snapReader reads the bytes a connection has, then says whether more may come: its err,
// or errWouldBlock.
type snapReader struct {
	b   []byte
	off int
	err error
}

func (s *snapReader) Read(p []byte) (int, error) {
	if s.off == len(s.b) {
		if s.err != nil {
			return 0, s.err
		}
		return 0, errWouldBlock
	}
	n := copy(p, s.b[s.off:])
	s.off += n
	return n, nil
}

// errWouldBlock is what a loop's connection gives a reader when the bytes it has are all
// read and the socket has none yet: the answer is not all there. crypto/tls keeps a
// connection usable after a temporary error, and so reads the rest when it comes.
var errWouldBlock error = wouldBlock{}

type wouldBlock struct{}

func (wouldBlock) Error() string   { return "no more bytes yet" }
func (wouldBlock) Timeout() bool   { return false }
func (wouldBlock) Temporary() bool { return true }
