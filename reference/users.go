package reference

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"
	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"

	"github.com/conformhq/conform/fixtures"
)

// User is an account of the reference server. Login is what doc 003
// (lptracker) and doc 002 (newapikey) log in with, Email what docs 004 (jwt)
// and 000 (flylogs) log in with; a user without a Login logs in with its
// Email. APIKey and APISecretHash are doc 001's (apikey) credentials.
type User struct {
	ID           int    `yaml:"id"`
	UID          string `yaml:"uid"`
	Login        string `yaml:"login"`
	Name         string `yaml:"name"`
	Email        string `yaml:"email"`
	Phone        string `yaml:"phone"`
	PasswordHash string `yaml:"password_hash"` // bcrypt
	// TwoFactor turns on a second factor for flylogs and newapikey (never
	// for lptracker or jwt, whose documents have none): TwoFactorEmail or
	// TwoFactorSMS (a generated code is delivered: flylogs always mails it,
	// newapikey always texts it, as their documents say), TwoFactorTOTP
	// (RFC 6238 against TOTPSecret) or TwoFactorStatic (StaticCode, nothing
	// delivered). Empty means no second factor.
	TwoFactor string `yaml:"two_factor"`
	// TOTPSecret is the base32 RFC 6238 secret of a TwoFactorTOTP user.
	TOTPSecret string `yaml:"totp_secret"`
	// StaticCode is the only code a TwoFactorStatic user accepts.
	StaticCode string `yaml:"static_code"`
	// Company is the flylogs (doc 000) company the user belongs to: empty for the company
	// of the reference's API key (Options.FlylogsAPIKey). A user of another company exists,
	// but doc 000 logs in only "an existing user in your company".
	Company string `yaml:"company"`
	// APIKey is the apiKey this user logs in to apikey (doc 001) with.
	APIKey string `yaml:"api_key"`
	// APISecretHash is the bcrypt hash of the user's apiSecret.
	APISecretHash string `yaml:"api_secret_hash"`
}

// The values of User.TwoFactor.
const (
	TwoFactorEmail  = "email"
	TwoFactorSMS    = "sms"
	TwoFactorTOTP   = "totp"
	TwoFactorStatic = "static"
)

// lptrackerLogin is the name the user logs in to lptracker with.
func (u *User) lptrackerLogin() string {
	if u.Login != "" {
		return u.Login
	}
	return u.Email
}

// usersFile is the YAML layout read by LoadUsers.
type usersFile struct {
	Users []User `yaml:"users"`
}

// LoadUsers reads a YAML users file ({users: [...]}). Unknown fields are
// errors, so a typo such as "pasword_hash" does not silently leave an
// account without a password.
func LoadUsers(path string) ([]User, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read users %s: %w", path, err)
	}
	return parseUsers(data, path)
}

// DefaultUsers returns fixtures/users.yaml as embedded in the binary, so
// `conform serve` works from any directory.
func DefaultUsers() ([]User, error) {
	return parseUsers(fixtures.Users, "fixtures/users.yaml (built in)")
}

func parseUsers(data []byte, name string) ([]User, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f usersFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("users %s: empty file", name)
		}
		return nil, fmt.Errorf("users %s: %w", name, err)
	}
	if err := validateUsers(f.Users); err != nil {
		return nil, fmt.Errorf("users %s: %w", name, err)
	}
	return f.Users, nil
}

// validateUsers checks what the handlers rely on: at least one user, unique
// positive IDs, unique UIDs, logins and emails, and bcrypt hashes.
func validateUsers(users []User) error {
	if len(users) == 0 {
		return errors.New("no users")
	}
	ids := make(map[int]bool, len(users))
	seen := make(map[string]string, 3*len(users))
	unique := func(i int, field, v string) error {
		if v == "" {
			return nil
		}
		key := field + "\x00" + v
		if prev, dup := seen[key]; dup {
			return fmt.Errorf("users[%d].%s: %q already used by %s", i, field, v, prev)
		}
		seen[key] = fmt.Sprintf("users[%d]", i)
		return nil
	}
	for i := range users {
		u := &users[i]
		if u.ID <= 0 {
			return fmt.Errorf("users[%d].id: must be a positive integer, got %d", i, u.ID)
		}
		if ids[u.ID] {
			return fmt.Errorf("users[%d].id: %d already used", i, u.ID)
		}
		ids[u.ID] = true
		if u.UID == "" {
			return fmt.Errorf("users[%d].uid: required", i)
		}
		if u.lptrackerLogin() == "" {
			return fmt.Errorf("users[%d]: login or email required", i)
		}
		for _, f := range [][2]string{{"uid", u.UID}, {"login", u.Login}, {"email", u.Email}} {
			if err := unique(i, f[0], f[1]); err != nil {
				return err
			}
		}
		if u.Login == "" {
			// The login namespace also holds emails standing in for logins.
			if err := unique(i, "login", u.Email); err != nil {
				return err
			}
		}
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			return fmt.Errorf("users[%d].password_hash: not a bcrypt hash: %w", i, err)
		}
		if err := unique(i, "api_key", u.APIKey); err != nil {
			return err
		}
		if err := validateCredentials(u); err != nil {
			return fmt.Errorf("users[%d].%w", i, err)
		}
	}
	return nil
}

// validateCredentials checks the optional second factor and API key of u;
// its errors start with the field name.
func validateCredentials(u *User) error {
	switch u.TwoFactor {
	case "":
	case TwoFactorEmail:
		if u.Email == "" {
			return errors.New("two_factor: email needs the user's email")
		}
	case TwoFactorSMS:
		if u.Phone == "" {
			return errors.New("two_factor: sms needs the user's phone")
		}
	case TwoFactorTOTP:
		if _, err := totp.GenerateCodeCustom(u.TOTPSecret, time.Unix(0, 0), totpOpts); err != nil || u.TOTPSecret == "" {
			return fmt.Errorf("totp_secret: two_factor totp needs a base32 secret, got %q", u.TOTPSecret)
		}
	case TwoFactorStatic:
		if u.StaticCode == "" {
			return errors.New("static_code: required with two_factor static")
		}
	default:
		return fmt.Errorf("two_factor: must be one of email, sms, totp, static, got %q", u.TwoFactor)
	}
	if (u.APIKey == "") != (u.APISecretHash == "") {
		return errors.New("api_key: api_key and api_secret_hash go together")
	}
	if u.APIKey != "" && u.Email == "" {
		return errors.New("api_key: needs the user's email, which doc 001's login answer requires")
	}
	if u.APISecretHash != "" {
		if _, err := bcrypt.Cost([]byte(u.APISecretHash)); err != nil {
			return fmt.Errorf("api_secret_hash: not a bcrypt hash: %w", err)
		}
	}
	return nil
}

// syntheticPassword is the password of every SyntheticUsers account.
const syntheticPassword = "load-test-password"

// SyntheticUsers returns n accounts user0001@load.test, user0002@load.test,
// ... and their passwords, for load tests. All share one password and so one
// hash, computed once: seeding 10,000 users costs a single bcrypt. cost 0
// means bcrypt.DefaultCost.
func SyntheticUsers(n, cost int) ([]User, []string, error) {
	if n < 1 {
		return nil, nil, fmt.Errorf("synthetic users: n must be at least 1, got %d", n)
	}
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(syntheticPassword), cost)
	if err != nil {
		return nil, nil, fmt.Errorf("synthetic users: bcrypt cost %d: %w", cost, err)
	}
	users := make([]User, n)
	passwords := make([]string, n)
	for i := range users {
		id := i + 1
		email := fmt.Sprintf("user%04d@load.test", id)
		users[i] = User{
			ID:           id,
			UID:          fmt.Sprintf("00000000-0000-4000-8000-%012d", id),
			Login:        email,
			Name:         fmt.Sprintf("Load User %04d", id),
			Email:        email,
			PasswordHash: string(hash),
			// Doc 001 logs in with an API key and secret: the secret is the password.
			APIKey:        fmt.Sprintf("load-key-%04d", id),
			APISecretHash: string(hash),
		}
		passwords[i] = syntheticPassword
	}
	return users, passwords, nil
}

// userIndex finds users the ways the profiles need. It is built once in New
// and only read afterwards.
type userIndex struct {
	list    []*User // by ID
	byID    map[int]*User
	byLogin map[string]*User
	byEmail map[string]*User
	byUID   map[string]*User
	byKey   map[string]*User // by APIKey
}

func newUserIndex(users []User) *userIndex {
	ix := &userIndex{
		byID:    make(map[int]*User, len(users)),
		byLogin: make(map[string]*User, len(users)),
		byEmail: make(map[string]*User, len(users)),
		byUID:   make(map[string]*User, len(users)),
		byKey:   make(map[string]*User),
	}
	for i := range users {
		u := users[i] // copy: the caller's slice may change later
		ix.list = append(ix.list, &u)
		ix.byID[u.ID] = &u
		ix.byLogin[u.lptrackerLogin()] = &u
		if u.Email != "" {
			ix.byEmail[u.Email] = &u
		}
		ix.byUID[u.UID] = &u
		if u.APIKey != "" {
			ix.byKey[u.APIKey] = &u
		}
	}
	slices.SortFunc(ix.list, func(a, b *User) int { return a.ID - b.ID })
	return ix
}

// first is the user with the lowest ID; breaks that accept requests without
// credentials act as this user.
func (ix *userIndex) first() *User { return ix.list[0] }

// other returns a user that is not u (the next by ID), for the break that
// answers /users/me with the wrong account. With one user there is none.
func (ix *userIndex) other(u *User) *User {
	i := slices.Index(ix.list, u)
	return ix.list[(i+1)%len(ix.list)]
}

// names is a short description for error messages.
func names(list []string) string { return strings.Join(list, ", ") }
