package reference

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"

	"conform/fixtures"
)

// User is an account of the reference server. Login is what doc 003
// (lptracker) logs in with, Email what doc 004 (jwt) logs in with; a user
// without a Login logs in to lptracker with its Email.
type User struct {
	ID           int    `yaml:"id"`
	UID          string `yaml:"uid"`
	Login        string `yaml:"login"`
	Name         string `yaml:"name"`
	Email        string `yaml:"email"`
	Phone        string `yaml:"phone"`
	PasswordHash string `yaml:"password_hash"` // bcrypt
}

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
}

func newUserIndex(users []User) *userIndex {
	ix := &userIndex{
		byID:    make(map[int]*User, len(users)),
		byLogin: make(map[string]*User, len(users)),
		byEmail: make(map[string]*User, len(users)),
		byUID:   make(map[string]*User, len(users)),
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
