// Package e2e holds conform's out-of-process tests: they build the conform binary once, run it
// as a user and CI would (flags in; exit code, output and JSON report out) against the reference
// server, with each of the reference's breaks switched on in turn, and assert exactly which
// requirements fail; and against hostile servers (hostile_test.go: silence, stalls, endless and
// huge bodies, deep JSON, huge tokens, 429 storms, control bytes), asserting each run ends in
// bounded time, memory and report size. The in-process tests of each package live beside their
// code.
//
// The references these tests start themselves are fast test fixtures: the users of
// fixtures/users.yaml rehashed at bcrypt's minimum cost, and target configs whose 2FA code waits
// are 500 ms instead of fixtures/reference.yaml's 3 s. The embedded reference of `conform run`
// keeps the product's defaults, and the tests that run it see those.
package e2e
