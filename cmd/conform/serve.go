package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/conformhq/conform/reference"
	"github.com/conformhq/conform/reference/store"
)

// serveFlags are the flags of `conform serve`, turned into reference.Options by options.
type serveFlags struct {
	addr              string
	profiles          []string
	users             string
	tokenTTL          time.Duration
	jwtSecret         string
	bcryptCost        int
	testClock         bool
	trustForwardedFor bool
	redisAddr         string
	breaks            []string
	smtpAddr          string
	smsWebhook        string
	flylogsAPIKey     string
	tlsCert, tlsKey   string
	tlsSelfSigned     bool
	loginThrottle     string
}

// defaultUsersPath is the fixture file read by default; when it is absent (the binary runs
// outside the repository) the copy embedded in the binary is used.
const defaultUsersPath = "fixtures/users.yaml"

func newServeCmd() *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the reference implementation of the five documented login APIs",
		Long: `Serve runs conform's reference implementation: a login API that does exactly what
documents 000 (flylogs), 001 (apikey), 002 (newapikey), 003 (lptracker) and 004 (jwt) say, so
you can see what passing looks like and try conform against something known to be right.

With one --profile the API is served at the root (POST /login); with several, each profile is
served under its name (POST /lptracker/login, POST /jwt/users/login). The accounts come from
--users (the fixture users alice to frank by default; their passwords, API keys and 2FA
settings are in the file's header comment).

--test-clock adds POST /__conform/clock?advance=25h, which moves the server's clock forward so
that the 24-hour token lifetime can be checked without waiting. Never enable it on a server
anyone else uses. --redis keeps sessions (with the per-IP index and newapikey keys), pending
2FA codes and the test clock in Redis, so that several instances behind a load balancer share
them; give them all the same --jwt-secret.

Wrong passwords and API secrets are throttled per account and client address: after 20 in a
row within 15 minutes, that account's logins from that address are answered 429 with
Retry-After until the 15 minutes have passed (--login-throttle N/DURATION changes it, off turns
it off). Each refusal announces the limit and what is left of it (RateLimit-Policy and
RateLimit fields); conform's own specs stay below it on a conforming run.

Two-factor codes: flylogs mails its generated codes through the SMTP server at --smtp, and
newapikey posts its codes as JSON to --sms-webhook; without these the codes are printed on
stderr so that you can still log in by hand. Every flylogs request needs the company API key
--flylogs-api-key as the basic-auth user (curl -u conform-company-key: ...).

HTTPS: --tls-cert and --tls-key serve TLS with your certificate and key (PEM files);
--tls-self-signed makes a certificate for 127.0.0.1 and localhost at start, writes it to a
file and prints its path, for a client to trust (conform run --ca-cert FILE, curl --cacert
FILE); the file is removed when the server stops.

The server stops cleanly on Ctrl-C (SIGINT) or SIGTERM.`,
		Example: `  conform serve --test-clock
  conform serve --profile lptracker --addr 127.0.0.1:9000 --token-ttl 2s
  CONFORM_JWT_SECRET=s3cret conform serve --redis 127.0.0.1:6379 --trust-forwarded-for
  conform serve --profile flylogs,newapikey --smtp 127.0.0.1:2525 --sms-webhook http://127.0.0.1:9999/sms
  conform serve --tls-self-signed --addr 127.0.0.1:8443
  conform serve --tls-cert server.pem --tls-key server-key.pem
  conform serve --login-throttle 5/1m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.StringSliceVar(&f.profiles, "profile", nil, "profile to serve, repeatable or comma-separated: "+strings.Join(reference.ProfileNames(), ", ")+" (default all)")
	fl.StringVar(&f.users, "users", defaultUsersPath, "YAML users file (falls back to the built-in users when the default file is absent)")
	fl.DurationVar(&f.tokenTTL, "token-ttl", 24*time.Hour, "idle lifetime of lptracker tokens and exp of JWTs")
	fl.StringVar(&f.jwtSecret, "jwt-secret", "", "HS256 key for JWTs (default: $CONFORM_JWT_SECRET, else random)")
	fl.IntVar(&f.bcryptCost, "bcrypt-cost", 10, "bcrypt cost of the comparison spent on unknown users")
	fl.BoolVar(&f.testClock, "test-clock", false, "enable POST /__conform/clock?advance=DURATION (tests only)")
	fl.BoolVar(&f.trustForwardedFor, "trust-forwarded-for", false, "take the client IP from the first X-Forwarded-For entry")
	fl.StringVar(&f.redisAddr, "redis", "", "keep sessions, pending 2FA codes and the test clock in the Redis server at ADDR (host:port), shared with other instances, e.g. --redis 127.0.0.1:6379")
	fl.StringSliceVar(&f.breaks, "break", nil, "switch off one documented behavior, for conform's self-tests")
	_ = fl.MarkHidden("break") // fails only for an undefined flag; it is defined just above
	fl.StringVar(&f.smtpAddr, "smtp", "", "mail flylogs 2FA codes through the SMTP server at ADDR (host:port); default: print them on stderr")
	fl.StringVar(&f.smsWebhook, "sms-webhook", "", "POST newapikey 2FA codes as JSON to URL; default: print them on stderr")
	fl.StringVar(&f.loginThrottle, "login-throttle", "20/15m", "after N wrong secrets in a row for one account from one client address within DURATION, answer that account's logins from there 429 with Retry-After until DURATION has passed (N/DURATION), or off")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with the certificate (chain) in this PEM file; needs --tls-key")
	fl.StringVar(&f.tlsKey, "tls-key", "", "the private key of --tls-cert, a PEM file")
	fl.BoolVar(&f.tlsSelfSigned, "tls-self-signed", false, "serve HTTPS with a certificate for 127.0.0.1 and localhost made at start; its path is printed, for --ca-cert")
	fl.StringVar(&f.flylogsAPIKey, "flylogs-api-key", reference.DefaultFlylogsAPIKey, "the company API key every flylogs request must carry as its basic-auth user")
	return cmd
}

// options turns the flags into reference.Options; the returned cleanup closes what it opened.
func (f *serveFlags) options(cmd *cobra.Command) (reference.Options, func(), error) {
	users, err := f.loadUsers(cmd.Flags().Changed("users"))
	if err != nil {
		return reference.Options{}, nil, &usageError{err: err}
	}
	throttle, err := reference.ParseLoginThrottle(f.loginThrottle)
	if err != nil {
		return reference.Options{}, nil, usageErr("--login-throttle: %w", err)
	}
	secret := f.jwtSecret
	if secret == "" {
		secret = os.Getenv("CONFORM_JWT_SECRET")
	}
	opts := reference.Options{
		Profiles:          f.profiles,
		Users:             users,
		TokenTTL:          f.tokenTTL,
		JWTSecret:         []byte(secret),
		BcryptCost:        f.bcryptCost,
		TestClock:         f.testClock,
		TrustForwardedFor: f.trustForwardedFor,
		Breaks:            f.breaks,
		SMTPAddr:          f.smtpAddr,
		SMSWebhookURL:     f.smsWebhook,
		FlylogsAPIKey:     f.flylogsAPIKey,
		LoginThrottle:     throttle,
		Logf:              stderrLogf(cmd.ErrOrStderr()),
	}
	cleanup := func() {}
	if f.redisAddr != "" {
		client := redis.NewClient(&redis.Options{Addr: f.redisAddr})
		ctx, cancel := context.WithTimeout(cmd.Context(), 3*time.Second)
		defer cancel()
		if err := client.Ping(ctx).Err(); err != nil {
			client.Close()
			return reference.Options{}, nil, usageErr("--redis %s: %w", f.redisAddr, err)
		}
		opts.Store = store.NewRedis(client, "conform:")
		cleanup = func() { client.Close() }
	}
	return opts, cleanup, nil
}

// stderrLogf writes the reference's operational lines (undelivered 2FA codes, and the codes
// themselves when --smtp or --sms-webhook is not set) to w, one per line, time-stamped.
func stderrLogf(w io.Writer) func(string, ...any) {
	l := log.New(w, "conform serve: ", log.LstdFlags)
	return func(format string, args ...any) { l.Printf(format, args...) }
}

// loadUsers reads --users; only the default path falls back to the embedded users, so a
// mistyped explicit path is an error rather than a silent switch of accounts.
func (f *serveFlags) loadUsers(explicit bool) ([]reference.User, error) {
	users, err := reference.LoadUsers(f.users)
	if err != nil && !explicit && errors.Is(err, fs.ErrNotExist) {
		return reference.DefaultUsers()
	}
	return users, err
}

func runServe(cmd *cobra.Command, f *serveFlags) error {
	opts, cleanup, err := f.options(cmd)
	if err != nil {
		return err
	}
	defer cleanup()
	srv, err := reference.New(opts)
	if err != nil {
		return &usageError{err: err} // New only validates the options the flags made
	}
	defer srv.Close()

	tlsCfg, caFile, err := f.tlsConfig()
	if err != nil {
		return err
	}
	if caFile != "" {
		defer os.RemoveAll(filepath.Dir(caFile))
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return usageErr("listen on %s: %w", f.addr, err)
	}
	hs := reference.HTTPServer(srv.Handler())
	scheme := "http"
	if tlsCfg != nil {
		scheme, hs.TLSConfig = "https", tlsCfg
		ln = tls.NewListener(ln, tlsCfg)
	} else {
		ln = srv.WrapListener(ln) // over TLS, net/http needs its *tls.Conn: the breaks that read raw header names serve plain HTTP only
	}

	out := cmd.OutOrStdout()
	addr := ln.Addr().String()
	fmt.Fprintf(out, "conform reference serving on %s://%s\n", scheme, addr)
	if caFile != "" {
		fmt.Fprintf(out, "  self-signed certificate for 127.0.0.1 and localhost, to trust with --ca-cert: %s\n", caFile)
	}
	for _, line := range srv.Describe() {
		fmt.Fprintln(out, "  "+line)
	}
	profiles := f.profiles
	if len(profiles) == 0 {
		profiles = reference.ProfileNames()
	}
	// fixtures/reference.yaml advances the clock through the test hook; without the hook the
	// TTL specs wait for real, which fixtures/reference-2s.yaml does against --token-ttl 2s.
	cfg := "fixtures/reference.yaml"
	if !f.testClock {
		cfg = "fixtures/reference-2s.yaml"
		if f.tokenTTL != 2*time.Second {
			fmt.Fprintln(out, "\n(no --test-clock: the TTL specs skip unless the TTL fits --max-wait; start with --test-clock, or --token-ttl 2s for "+cfg+")")
		}
	}
	if f.testClock && (f.smtpAddr == "" || f.smsWebhook == "") {
		// The 2FA specs read codes from conform's sinks; this server has to deliver to them.
		fmt.Fprintln(out, "\n(2FA codes go to stderr: for the 2FA specs of "+cfg+" add --smtp 127.0.0.1:2525 --sms-webhook http://127.0.0.1:8025/sms)")
	}
	trust := ""
	if caFile != "" {
		trust = " --ca-cert " + caFile
	} else if tlsCfg != nil {
		trust = " --ca-cert CA.pem" // the CA that signed --tls-cert, unless the system trusts it
	}
	fmt.Fprintf(out, "\nCheck it with:\n  conform run --target %s://%s%s --profile %s --config %s --strict\n",
		scheme, addr, trust, strings.Join(profiles, ","), cfg)
	if len(profiles) == 1 {
		fmt.Fprintln(out, "  (one profile is served at the root: use a config with base_path \"\", not /"+profiles[0]+")")
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", addr, err)
	case <-ctx.Done():
	}
	fmt.Fprintln(out, "shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// tlsConfig is the TLS configuration the flags ask for (nil: plain HTTP) and, with
// --tls-self-signed, the file its certificate was written to, in a directory of its own that
// the caller removes when the server stops.
func (f *serveFlags) tlsConfig() (*tls.Config, string, error) {
	switch {
	case f.tlsSelfSigned && (f.tlsCert != "" || f.tlsKey != ""):
		return nil, "", usageErr("--tls-self-signed makes its own certificate: give it without --tls-cert and --tls-key")
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return nil, "", usageErr("--tls-cert and --tls-key go together: give both PEM files, e.g. --tls-cert server.pem --tls-key server-key.pem")
	case f.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			return nil, "", usageErr("--tls-cert %s --tls-key %s: %w", f.tlsCert, f.tlsKey, err)
		}
		return reference.TLSConfig(cert), "", nil
	case !f.tlsSelfSigned:
		return nil, "", nil
	}
	cert, certPEM, err := reference.SelfSignedCert(time.Now())
	if err != nil {
		return nil, "", fmt.Errorf("--tls-self-signed: %w", err)
	}
	dir, err := os.MkdirTemp("", "conform-serve-tls-")
	if err != nil {
		return nil, "", fmt.Errorf("--tls-self-signed: %w", err)
	}
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, certPEM, 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("--tls-self-signed: write the certificate: %w", err)
	}
	return reference.TLSConfig(cert), path, nil
}
