package load

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRawIOReadsAndWritesAsTheConnection(t *testing.T) {
	client, server := tcpPair(t)
	rw := newRawIO(client)
	if _, ok := rw.(*rawIO); !ok {
		t.Fatalf("a TCP connection got %T, want *rawIO", rw)
	}
	// More than the socket buffers hold, so writes meet EAGAIN and wait on the poller until
	// the server reads.
	want := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(server, int64(len(want))))
		got <- b
	}()
	n, err := rw.Write(want)
	if err != nil || n != len(want) {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(want))
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatalf("the server read %d bytes, not the %d written", len(b), len(want))
	}

	// A read waits for the answer; the server's close is io.EOF after the last byte.
	go func() {
		time.Sleep(20 * time.Millisecond)
		server.Write([]byte("answer"))
		server.Close()
	}()
	b, err := io.ReadAll(rw)
	if err != nil || string(b) != "answer" {
		t.Fatalf("ReadAll = %q, %v; want %q, nil", b, err, "answer")
	}
	if n, err := rw.Read(make([]byte, 8)); n != 0 || err != io.EOF {
		t.Fatalf("Read after the end = %d, %v; want 0, io.EOF", n, err)
	}
}

func TestRawIOErrorsAsTheConnection(t *testing.T) {
	t.Run("deadline", func(t *testing.T) {
		client, _ := tcpPair(t)
		rw := newRawIO(client)
		client.SetDeadline(time.Now().Add(30 * time.Millisecond))
		_, err := rw.Read(make([]byte, 8))
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("Read past the deadline: %v, want os.ErrDeadlineExceeded", err)
		}
		// Worded as net.Conn words it, not RawConn's "raw-read".
		if s := err.Error(); !strings.HasPrefix(s, "read tcp 127.0.0.1:") || !strings.HasSuffix(s, ": i/o timeout") {
			t.Fatalf("error %q, want net.Conn's wording", s)
		}
	})
	t.Run("reset", func(t *testing.T) {
		client, server := tcpPair(t)
		rw := newRawIO(client)
		server.(*net.TCPConn).SetLinger(0) // close with RST
		server.Close()
		time.Sleep(20 * time.Millisecond)
		_, err := rw.Read(make([]byte, 8))
		if !errors.Is(err, syscall.ECONNRESET) || !stale(err) {
			t.Fatalf("Read of a reset connection: %v, want ECONNRESET (a stale connection)", err)
		}
		if _, err := rw.Write([]byte("x")); err == nil {
			t.Fatal("Write to a reset connection succeeded")
		}
	})
	t.Run("closed", func(t *testing.T) {
		client, _ := tcpPair(t)
		rw := newRawIO(client)
		client.Close()
		if _, err := rw.Read(make([]byte, 8)); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Read of a closed connection: %v, want net.ErrClosed", err)
		}
	})
}

func TestRawIOAllocatesNothing(t *testing.T) {
	client, server := tcpPair(t)
	rw := newRawIO(client)
	buf := make([]byte, 64)
	msg := []byte("ping")
	allocs := testing.AllocsPerRun(200, func() {
		rw.Write(msg)
		io.ReadFull(server, buf[:len(msg)])
		server.Write(msg)
		io.ReadFull(rw, buf[:len(msg)])
	})
	// The server side is net.Conn; the raw side adds no allocation (no closure per call).
	if allocs > 0 {
		t.Fatalf("%.1f allocations per round trip, want 0", allocs)
	}
}
