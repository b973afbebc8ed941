// Package repro writes reproducers: for each failed spec, a POSIX shell script that sends the
// spec's whole sequence of requests again with curl and says, by its exit status, whether the
// target still fails the same way.
//
// A script is built from the spec's transcript (client.Exchange), each request rewritten for
// replay (client.Replay): every secret of the config becomes a variable read from the
// environment (CONFORM_<PROFILE>_<FIELD>, Vars), in the encoding its place needs; every value
// an earlier answer gave and a later request carries (a token, a key) is taken from that
// answer with sed; the target's base URL is CONFORM_TARGET; the clock hook and per-IP source
// addresses (curl --interface) or forwarded-for headers are sent as recorded. A script holds no
// secret and no masked literal. A value conform learned at run time (a 2FA code read from a
// mail or a text) is a variable too: the script asks for it (CONFORM_2FA_CODE_n, or a prompt
// on a terminal) and lists it under "Cannot replay by itself", as it does real
// waits and exchanges the transcript did not keep.
//
// The script ends with the check that failed, as a script can make it: a spec's assertion is
// Go, so the script compares the answer to the failing step with the failing run's (status,
// JSON keys and XML tags, stable short values, a secret shown), leaving out what changes
// between runs. Exit 1: reproduced; 0: not reproduced; 2: could not replay.
package repro
