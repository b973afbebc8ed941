// Package reference is conform's reference server (`conform serve`): a
// login API that behaves exactly as the public documents say, so that
// conform's specs can be run against something known to be right, and,
// with Options.Breaks, against something known to be wrong in exactly one
// documented way.
//
// Each profile (one per document) lives in its own file and is listed once
// in builtinProfiles. Sessions live in a store.Store; time comes from a clock
// the Server owns, which the test clock hook (POST /__conform/clock) can
// advance so that specs about 24-hour lifetimes run in milliseconds.
//
// Answers are JSON (newapikey also XML by suffix). The test clock hook
// answers {"now":"<RFC3339>"}; the profiles answer the bodies of their
// documents: flylogs.go (doc 000), apikey.go (001), newapikey.go (002),
// lptracker.go (003), jwt.go (004). 2FA codes of flylogs and newapikey are
// delivered by package delivery: a real SMTP message, a webhook POST, or the
// server log when neither is configured.
package reference
