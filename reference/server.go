package reference

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/conformhq/conform/reference/delivery"
	"github.com/conformhq/conform/reference/store"
)

// Options configures a Server. The zero value of every field except Users
// is usable.
type Options struct {
	// Profiles to serve. Exactly one is served at "/"; several are each
	// served under "/<profile>" (e.g. /lptracker/login, /jwt/users/login).
	// Empty means every built-in profile.
	Profiles []string
	// Users are the accounts; see LoadUsers, DefaultUsers, SyntheticUsers.
	Users []User
	// TokenTTL is the idle lifetime of lptracker sessions and the exp of
	// JWTs. Zero means 24h, doc 003's lifetime.
	TokenTTL time.Duration
	// JWTSecret is the HS256 key. Empty means a random key, which is fine
	// for one instance; instances sharing a Redis store need the same key.
	JWTSecret []byte
	// BcryptCost is the cost of the hash compared against when a login
	// names an unknown user, so that unknown and known users answer equally
	// slowly. Zero means 10, the cost of fixtures/users.yaml.
	BcryptCost int
	// CacheVerifiedSecrets remembers the outcome of each (hash, secret) pair checked, so that
	// the same valid login, or the same wrong secret, again costs no bcrypt (see
	// verifiedSecrets): for the embedded run of conform's own specs, which log a few accounts in
	// over a hundred times and send the same wrong secrets from spec after spec. Each first
	// check still costs a full bcrypt. Off by default, so that `conform serve` and its
	// benchmarks spend what a server hashing every login spends.
	CacheVerifiedSecrets bool
	// TestClock enables POST /__conform/clock?advance=<duration>, which
	// moves the server clock forward. Off, the path is 404.
	TestClock bool
	// TrustForwardedFor takes the client IP from the first X-Forwarded-For
	// entry instead of the connection, for proxies and load generators.
	TrustForwardedFor bool
	// LoginThrottle limits wrong secrets per account and client address; the zero value is
	// DefaultLoginThrottle (see LoginThrottle).
	LoginThrottle LoginThrottle
	// Breaks switches off documented behaviours, one name each (see
	// BreakNames), for conform's self-tests.
	Breaks []string
	// BreakHold is how long the concurrent interleaving breaks (interleave_concurrent.go)
	// hold the request that acts on the others (a login, a logout); the requests it acts on
	// are held half as long. Zero means 100 ms, wide enough for the requests a reproducer's
	// background curls send together; in-process tests, whose requests overlap to the
	// microsecond, shorten it.
	BreakHold time.Duration
	// Store holds sessions; nil means a new in-memory store.
	Store store.Store

	// FlylogsAPIKey is the company API key doc 000 requires on every
	// flylogs request, as the HTTP basic-auth user (curl -u KEY:). Empty
	// means DefaultFlylogsAPIKey.
	FlylogsAPIKey string
	// SMTPAddr (host:port) receives flylogs' 2FA codes as mail from
	// no-reply@conform.local, doc 000's "code generation process and
	// email". Empty means the codes are written with Logf instead.
	SMTPAddr string
	// SMSWebhookURL receives newapikey's 2FA codes, doc 002's code sent
	// "to the users phone", as a POSTed JSON object (see package
	// delivery). Empty means the codes are written with Logf instead.
	SMSWebhookURL string
	// DeliveryDelay, when positive, sends each code that long after the login that
	// generates it has been answered, as a mail queue does (delivery.Later). The documents
	// do not say when a code arrives, so this conforms; conform's tests use it to show that
	// specs wait for a code sent late.
	DeliveryDelay time.Duration
	// Logf writes operational lines: undeliverable codes, and the codes
	// themselves when SMTPAddr or SMSWebhookURL is empty, so that a person
	// can still finish a 2FA login. Nil discards them.
	Logf func(format string, args ...any)
}

// DefaultFlylogsAPIKey is the flylogs company API key when
// Options.FlylogsAPIKey is empty.
const DefaultFlylogsAPIKey = "conform-company-key"

// mailFrom is the sender of flylogs' code mails.
const mailFrom = "no-reply@conform.local"

// senders returns how flylogs mails and newapikey texts codes.
func (o *Options) senders(logf func(string, ...any)) (mail, sms delivery.Sender, err error) {
	mail = delivery.Log{Channel: "email (--smtp)", Logf: logf}
	if o.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(o.SMTPAddr); err != nil {
			return nil, nil, fmt.Errorf("SMTP address %q: want host:port: %w", o.SMTPAddr, err)
		}
		mail = delivery.SMTP{Addr: o.SMTPAddr, From: mailFrom}
	}
	sms = delivery.Log{Channel: "sms (--sms-webhook)", Logf: logf}
	if o.SMSWebhookURL != "" {
		u, err := url.Parse(o.SMSWebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, nil, fmt.Errorf("SMS webhook URL %q: want an http or https URL", o.SMSWebhookURL)
		}
		sms = delivery.Webhook{URL: o.SMSWebhookURL}
	}
	if o.DeliveryDelay > 0 {
		mail = delivery.Later{Sender: mail, After: o.DeliveryDelay, Logf: logf}
		sms = delivery.Later{Sender: sms, After: o.DeliveryDelay, Logf: logf}
	}
	return mail, sms, nil
}

// defaultTokenTTL is doc 003's token lifetime.
const defaultTokenTTL = 24 * time.Hour

// Server is a configured reference server. Its handler is safe for
// concurrent use; Close stops its background work.
type Server struct {
	clock    clock
	store    store.Store
	handler  http.Handler
	describe []string
	// rawHeaders: a break reads header names as they came (WrapListener).
	rawHeaders bool

	stopSweep context.CancelFunc
	sweepDone chan struct{}
	closeOnce sync.Once
}

// sweeper is implemented by stores that need expired sessions removed
// periodically (Redis expires keys by itself).
type sweeper interface {
	Sweep(now time.Time) int
}

// New validates opts and builds a Server. When the store needs sweeping it
// starts a goroutine, stopped by Close.
func New(opts Options) (*Server, error) {
	ttl := opts.TokenTTL
	switch {
	case ttl == 0:
		ttl = defaultTokenTTL
	case ttl < 0:
		return nil, fmt.Errorf("token TTL must be positive, got %s", ttl)
	}
	cost := opts.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("bcrypt cost must be between %d and %d, got %d", bcrypt.MinCost, bcrypt.MaxCost, cost)
	}
	profiles, err := selectProfiles(opts.Profiles)
	if err != nil {
		return nil, err
	}
	breaks, err := checkBreaks(opts.Breaks, profiles)
	if err != nil {
		return nil, err
	}
	if err := validateUsers(opts.Users); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	mail, sms, err := opts.senders(logf)
	if err != nil {
		return nil, err
	}
	flylogsKey := opts.FlylogsAPIKey
	if flylogsKey == "" {
		flylogsKey = DefaultFlylogsAPIKey
	}
	throttle, err := newThrottle(opts.LoginThrottle)
	if err != nil {
		return nil, err
	}
	secret := append([]byte(nil), opts.JWTSecret...)
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret) // never fails
	}

	s := &Server{store: opts.Store}
	if s.store == nil {
		s.store = store.NewMemory(0)
	}
	var shared *store.Shared
	if r, ok := s.store.(interface{ Shared() *store.Shared }); ok {
		shared = r.Shared()
		if opts.TestClock {
			s.clock.shared = shared
		}
	}
	dummyHash := sync.OnceValue(func() []byte {
		h, err := bcrypt.GenerateFromPassword([]byte("conform-no-such-user"), cost)
		if err != nil {
			return nil // cost was validated above; Compare then fails fast
		}
		return h
	})
	var verified *verifiedSecrets
	if opts.CacheVerifiedSecrets {
		verified = newVerifiedSecrets()
	}
	e := &deps{
		now:        s.clock.Now,
		store:      s.store,
		users:      newUserIndex(opts.Users),
		ttl:        ttl,
		trustXFF:   opts.TrustForwardedFor,
		secret:     secret,
		logf:       logf,
		mail:       mail,
		sms:        sms,
		flylogsKey: flylogsKey,
		hold:       cmp.Or(opts.BreakHold, defaultHold),
		shared:     shared,
		throttle:   throttle,
		verified:   verified,
		passwordOK: func(u *User, password string) bool {
			if u == nil {
				verified.compare(dummyHash(), password)
				return false
			}
			return verified.compare([]byte(u.PasswordHash), password)
		},
	}

	mux := http.NewServeMux()
	prefixes := map[string]string{}
	for _, p := range profiles {
		prefix := ""
		if len(profiles) > 1 {
			prefix = "/" + p.name
		}
		prefixes[p.name] = prefix
		lines, err := p.mount(e, breaks, mux, prefix)
		if err != nil {
			return nil, fmt.Errorf("profile %s: %w", p.name, err)
		}
		s.describe = append(s.describe, lines...)
	}
	if opts.TestClock {
		mux.HandleFunc("POST "+clockPath, s.handleClock)
		s.describe = append(s.describe, describeLine("clock", "POST", clockPath+"?advance=25h", "moves the server clock forward (test only)"))
	}
	s.handler = withNoStore(withHostileBreaks(mux, breaks, prefixes))
	s.rawHeaders = len(breaks) > 0

	if sw, ok := s.store.(sweeper); ok {
		ctx, cancel := context.WithCancel(context.Background())
		s.stopSweep = cancel
		s.sweepDone = make(chan struct{})
		go s.sweep(ctx, sw, sweepInterval(ttl))
	}
	return s, nil
}

// selectProfiles resolves names to profiles, keeping order and dropping
// repeats; no names means all.
func selectProfiles(want []string) ([]profileDef, error) {
	all := builtinProfiles()
	if len(want) == 0 {
		return all, nil
	}
	var out []profileDef
	seen := map[string]bool{}
	for _, name := range want {
		if seen[name] {
			continue
		}
		seen[name] = true
		found := false
		for _, p := range all {
			if p.name == name {
				out = append(out, p)
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown profile %q; valid profiles: %s", name, names(ProfileNames()))
		}
	}
	return out, nil
}

// ProfileNames returns the names of the built-in profiles, in banner order.
func ProfileNames() []string {
	var out []string
	for _, p := range builtinProfiles() {
		out = append(out, p.name)
	}
	return out
}

// sweepInterval is how often expired sessions are swept: often enough that
// memory tracks live sessions, rarely enough to cost nothing.
func sweepInterval(ttl time.Duration) time.Duration {
	return min(max(ttl/4, time.Second), time.Minute)
}

func (s *Server) sweep(ctx context.Context, sw sweeper, every time.Duration) {
	defer close(s.sweepDone)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sw.Sweep(s.clock.Now())
		}
	}
}

// Handler returns the HTTP handler serving every configured profile.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops background work. It does not close a caller-provided store.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if s.stopSweep != nil {
			s.stopSweep()
			<-s.sweepDone
		}
	})
	return nil
}

// Describe returns one human-readable line per served endpoint, for the
// banner of `conform serve`.
func (s *Server) Describe() []string {
	return append([]string(nil), s.describe...)
}
