package client

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestConnectionCloseIsHonoured: a request sent with a Connection: close header ends its
// connection (RFC 9112 §9.6), so a server that closes it without saying so in its answer
// does not meet the next request on a closed connection.
func TestConnectionCloseIsHonoured(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(r)
					if err != nil {
						return
					}
					io.Copy(io.Discard, req.Body)
					c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
					if strings.EqualFold(req.Header.Get("Connection"), "close") {
						// Closes a moment later, without a Connection: close of its own.
						time.Sleep(100 * time.Millisecond)
						return
					}
				}
			}(c)
		}
	}()
	tg, err := New(Options{URL: "http://" + ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range []http.Header{nil, {"Connection": {"close"}}, nil} {
		resp, err := tg.Do(context.Background(), Request{Method: http.MethodPost, Path: "/x", Header: h, Body: "{}"})
		if err != nil || resp.Status != 200 {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
}
