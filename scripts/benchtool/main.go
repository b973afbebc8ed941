// Command benchtool serves what scripts/bench.sh measures, on fixed loopback ports, and times
// one bcrypt hash. It is a bench helper, not part of conform.
//
//	benchtool serve -bare 127.0.0.1:18081 -bare-tls 127.0.0.1:18083 -ref 127.0.0.1:18082 -tokens DIR
//	benchtool bcrypt -cost 10
//
// serve answers on -bare the cheapest server that still looks like doc 004: POST /users/login
// returns a constant {uid, token}, GET /users/me a constant body, no check at all (the "bare
// net/http handler" of the bench). On -bare-tls (if given) it serves the same handler over
// TLS, HTTP/1.1 only (as wrk and bombardier speak), with a self-signed ECDSA P-256 certificate
// for 127.0.0.1 made at start and written to DIR/bare-ca.pem (for conform's --ca-cert). On -ref it serves the reference with lptracker under
// /lptracker and jwt under /jwt, logs one user in to each and writes the tokens to
// DIR/lptracker.token and DIR/jwt.token for wrk. It runs until killed.
package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/conformhq/conform/reference"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool serve|bcrypt [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "bcrypt":
		err = timeBcrypt(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

// bareBody is the reference's lptracker probe answer, so both servers send the same bytes.
var bareBody = []byte(`{"status":"success","result":[]}`)

func bareHandler() http.Handler {
	login := []byte(`{"uid":"00000000-0000-4000-8000-000000000001","token":"bare-token"}`)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /users/login", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(login)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(bareBody)
	})
	return mux
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	bare := fs.String("bare", "127.0.0.1:18081", "address of the bare handler")
	ref := fs.String("ref", "127.0.0.1:18082", "address of the reference")
	bareTLS := fs.String("bare-tls", "", "address of the bare handler over TLS (none if empty)")
	dir := fs.String("tokens", ".", "directory for the token files and the TLS certificate")
	_ = fs.Parse(args)
	if *bareTLS != "" {
		if err := serveTLS(*bareTLS, filepath.Join(*dir, "bare-ca.pem")); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", *bare)
	if err != nil {
		return err
	}
	go func() { _ = (&http.Server{Handler: bareHandler(), ReadHeaderTimeout: 5 * time.Second}).Serve(ln) }()

	users, err := reference.DefaultUsers()
	if err != nil {
		return err
	}
	url, stop, err := reference.Start(context.Background(), reference.Options{Users: users}, *ref)
	if err != nil {
		return err
	}
	defer stop()
	for _, l := range []struct{ profile, path, body, field string }{
		{"lptracker", "/lptracker/login", `{"login":"alice@example.com","password":"alice-password-1","service":"bench","version":"1.0"}`, "result.token"},
		{"jwt", "/jwt/users/login", `{"email":"alice@example.com","password":"alice-password-1"}`, "token"},
	} {
		resp, err := http.Post(url+l.path, "application/json", bytes.NewReader([]byte(l.body)))
		if err != nil {
			return err
		}
		var v struct {
			Token  string `json:"token"`
			Result struct {
				Token string `json:"token"`
			} `json:"result"`
		}
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		tok := v.Token + v.Result.Token
		if err != nil || tok == "" {
			return fmt.Errorf("%s login: no token (%v)", l.profile, err)
		}
		if err := os.WriteFile(filepath.Join(*dir, l.profile+".token"), []byte(tok), 0o600); err != nil {
			return err
		}
	}
	fmt.Println("ready")
	select {}
}

// timeBcrypt prints the median time of one bcrypt comparison at -cost, in nanoseconds.
func timeBcrypt(args []string) error {
	fs := flag.NewFlagSet("bcrypt", flag.ExitOnError)
	cost := fs.Int("cost", 10, "bcrypt cost")
	_ = fs.Parse(args)
	hash, err := bcrypt.GenerateFromPassword([]byte("password"), *cost)
	if err != nil {
		return err
	}
	var times []time.Duration
	for range 7 {
		t := time.Now()
		_ = bcrypt.CompareHashAndPassword(hash, []byte("password"))
		times = append(times, time.Since(t))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	fmt.Println(times[len(times)/2].Nanoseconds())
	return nil
}

// serveTLS serves the bare handler on addr over TLS with a certificate made now, whose PEM
// it writes to caPath.
func serveTLS(addr, caPath string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "conform bench"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(caPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           bareHandler(),
		ReadHeaderTimeout: 5 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){}, // HTTP/1.1 only
	}
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	return nil
}
