package repro

import (
	"fmt"
	"strings"

	"github.com/conformhq/conform/client"
)

// header is the script's comment block, its settings and the shell functions the steps use.
func header(f Failure, vars *Vars, used map[string]bool, limits []string) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	fmt.Fprintf(&b, "# conform reproducer of %s\n", f.ID)
	fmt.Fprintf(&b, "# spec: %s\n", oneLine(f.Text))
	comment(&b, "requirement: "+f.Citation)
	comment(&b, "conform saw:\n"+f.Message)
	b.WriteString(`#
# It sends the spec's requests again, in order, with curl, taking tokens and keys from the
# earlier answers, and compares every answer with the failing run's.
#
# Run:   CONFORM_TARGET=URL [variables below] sh THIS_FILE
# Exit:  1 reproduced: the target answered every step as in the failing run
#        0 not reproduced: the answer differs (fixed, or failing another way: run conform)
#        2 could not replay: a variable unset, no answer to an earlier step, curl missing
`)
	var names []Var
	for _, x := range vars.List() {
		if used[x.Name] {
			names = append(names, x)
		}
	}
	if len(names) > 0 {
		b.WriteString("# Secrets, read from the environment (the script holds none):\n")
		for _, x := range names {
			who := ""
			if x.Who != "" {
				who = " (" + x.Who + ")"
			}
			fmt.Fprintf(&b, "#   %-40s %s%s\n", x.Name, x.Field, who)
		}
	}
	if len(limits) > 0 {
		b.WriteString("# Cannot replay by itself:\n")
		for _, l := range limits {
			fmt.Fprintf(&b, "#   - %s\n", l)
		}
	}
	b.WriteString("set -u\n")
	fmt.Fprintf(&b, "T=${CONFORM_TARGET:-%s}\n", shellQuote(f.Target))
	b.WriteString(preamble)
	for _, x := range names {
		fmt.Fprintf(&b, "need %s %s\n", x.Name, shellQuote(x.Field))
	}
	if len(names) > 0 {
		fmt.Fprintf(&b, "SECRETS=%s\n", shellQuote(namesOf(names)))
	} else {
		b.WriteString("SECRETS=\n")
	}
	return b.String()
}

func namesOf(vs []Var) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Name)
	}
	return strings.Join(out, " ")
}

// preamble holds the script's functions: POSIX sh, curl, and the usual text tools (tr, sed,
// grep -o, od, base64); no jq.
const preamble = `command -v curl >/dev/null 2>&1 || { echo 'reproducer: needs curl' >&2; exit 2; }
D=$(mktemp -d) || exit 2
trap 'rm -rf "$D"' EXIT
need() { eval "[ -n \"\${$1:-}\" ]" || { echo "reproducer: set $1 (the config's $2)" >&2; exit 2; }; }
ask() {
  eval "v=\${$1:-}"
  if [ -z "$v" ]; then
    if [ -t 0 ]; then printf '%s (%s): ' "$2" "$1" >&2; read -r v; eval "$1=\$v"
    else echo "reproducer: cannot replay by itself: set $1 to $2" >&2; exit 2; fi
  fi
}
urlenc() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g'; }
jsonesc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
b64() { printf '%s' "$1" | base64 | tr -d '\n'; }
swapcase() { printf '%s' "$1" | tr 'a-zA-Z' 'A-Za-z'; }
LAST=0
step() {
  n=$1; shift
  code=$(curl -sS -g --path-as-is --max-time 30 -o "$D/b$n" -D "$D/h$n" -w '%{http_code}' "$@" 2>"$D/e$n") || code=000
  echo "$code" > "$D/s$n"; LAST=$n
  echo "step $n: HTTP $code" >&2
  if [ "$code" = 000 ] && [ "$n" != "$STEPS" ]; then echo "reproducer: no answer to step $n: $(cat "$D/e$n")" >&2; exit 2; fi
}
has() {
  eval "[ -n \"\${$1:-}\" ]" && return 0
  echo "NOT REPRODUCED: the answer to step $2 has no value where the failing run's had one: the target answers differently now (run conform to judge it)"
  exit 0
}
shape() {
  b=$(tr -d ' \t\r\n' < "$1")
  case $b in
  [{[]*) printf '%s' "$b" | sed -e 's/"\([^"\\]*\(\\.[^"\\]*\)*\)":/<K\1>/g' \
    -e 's/"[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T\{0,1\}[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\(\.[0-9]*\)\{0,1\}Z"/t/g' -e 's/"[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T\{0,1\}[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\(\.[0-9]*\)\{0,1\}[+-][0-9][0-9]:\{0,1\}[0-9][0-9]"/t/g' -e 's/"[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T\{0,1\}[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\(\.[0-9]*\)\{0,1\}"/tl/g' \
    -e 's/"[^"\\]*\(\\.[^"\\]*\)*"/s/g' -e 's/-\{0,1\}[0-9][0-9.eE+-]*/n/g' ;;
  '<'*) printf '%s' "$b" | grep -o '</\{0,1\}[A-Za-z_][A-Za-z0-9_.:-]*' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//' ;;
  ?*) printf 'cksum %s %s' $(printf '%s' "$b" | cksum) ;;
  esac
  c=$(jwt_payloads "$1" | tr -d ' \t\r\n' | grep -o '"[A-Za-z0-9_$.@-]*":' | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')
  [ -z "$c" ] || printf ' jwt: %s' "$c"
}
match() {
  n=$1 st=$2 want=$3; shift 3
  [ "$(cat "$D/s$n")" = "$st" ] || return 1
  [ "$want" = - ] && return 0
  [ "$(shape "$D/b$n")" = "$want" ] || return 1
  for f in "$@"; do holds "$D/b$n" "$f" || return 1; done
}
expect() {
  n=$1 st=$2 want=$3; shift 3
  got=$(cat "$D/s$n")
  [ "$got" = "$st" ] || { echo "step $n differs: HTTP $got, the failing run got $st"; same=no; return; }
  [ "$want" = - ] && return
  got=$(shape "$D/b$n")
  [ "$got" = "$want" ] || { echo "step $n differs: keys and tags [$got], the failing run had [$want]"; same=no; }
  for f in "$@"; do holds "$D/b$n" "$f" || { echo "step $n differs: no $f in the answer"; same=no; }; done
}
holds() { tr -d ' \t\r\n' < "$1" | grep -F -q -- "$2"; }
jwt_payloads() {
  grep -o 'eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*' "$1" | while read -r t; do
    p=$(printf '%s' "${t#*.}" | tr '_-' '/+'); while [ $((${#p} % 4)) -ne 0 ]; do p="$p="; done
    printf '%s\n' "$p" | base64 -d 2>/dev/null; echo
  done
}
holds_secret() {
  for v in $SECRETS; do
    eval "s=\${$v:-}"; [ -n "$s" ] || continue
    if grep -F -q -- "$s" "$1" || jwt_payloads "$1" | grep -F -q -- "$s"; then return 0; fi
  done
  return 1
}
`

// comment writes s as comment lines.
func comment(b *strings.Builder, s string) {
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		fmt.Fprintf(b, "# %s\n", oneLine(l))
	}
}

// oneLine keeps a comment line a comment: no CR or other control byte.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' && r != '\t' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// writeCheck writes the check that failed, as a script can make it: every step's answer
// against the failing run's. The answer conform judged a failure is one of them (often the
// last, but a spec may read all its answers first, or log out after the check), so the
// script compares them all: a replay against the same broken target answers each step alike,
// and a fixed target differs at the step that failed.
//
// Steps released together (starts, see groupStarts) may end in any order, so their answers are
// compared as a group: the script tries every order of the group's answers against the
// failing run's, and the group is the same when one order matches.
func writeCheck(b *strings.Builder, steps []*client.Exchange, starts []int, id string) {
	fmt.Fprintf(b, "\n# The check that failed: conform judged these answers a failure of %s.\n", id)
	b.WriteString("# It reproduces when the target answers every step as in the failing run: the same\n")
	b.WriteString("# status, the same JSON keys and XML tags (JWT claims included), the same short values\n")
	b.WriteString("# (tokens, times and masked values left out), and a secret of the config where the\n")
	b.WriteString("# failing answer showed one (masked in conform's report).\nsame=yes\n")
	for i := 0; i < len(steps); i++ {
		if end := groupEnd(starts, i); end > i {
			writeGroupCheck(b, steps, i, end)
			i = end
			continue
		}
		c := checkOf(steps[i])
		b.WriteString(strings.Join(append([]string{"expect", fmt.Sprint(i + 1)}, c.args()...), " ") + "\n")
		if c.secret {
			fmt.Fprintf(b, "holds_secret \"$D/b%d\" || { echo 'step %d differs: its answer holds no secret of the config, the failing one did'; same=no; }\n", i+1, i+1)
		}
	}
	fmt.Fprintf(b, "if [ $same = yes ]; then echo 'REPRODUCED: %s fails as in the failing run'; exit %d; fi\n", id, ExitReproduced)
	fmt.Fprintf(b, "echo 'NOT REPRODUCED: the target answers differently from the failing run (fixed, or failing another way: run conform)'; exit %d\n", ExitNotReproduced)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = shellQuote(s)
	}
	return out
}

// args are the expect (or match) arguments of c after the step number.
func (c answerCheck) args() []string {
	args := []string{fmt.Sprintf("%03d", c.status), shellQuote(c.shape)}
	if c.status == 0 {
		args[1] = "-"
	}
	return append(args, quoteAll(c.fragments)...)
}

// writeGroupCheck writes the check of steps first..last, released together: one line per
// order of their answers (at most 24), the group the same when one order matches.
func writeGroupCheck(b *strings.Builder, steps []*client.Exchange, first, last int) {
	n := last - first + 1
	fmt.Fprintf(b, "# Steps %d-%d were released together: their answers may come in any order.\ng=no\n", first+1, last+1)
	for _, p := range orders(n) {
		var conds []string
		for k, got := range p {
			c := checkOf(steps[first+k])
			step := fmt.Sprint(first + got + 1)
			conds = append(conds, strings.Join(append([]string{"match", step}, c.args()...), " "))
			if c.secret {
				conds = append(conds, fmt.Sprintf("holds_secret \"$D/b%s\"", step))
			}
		}
		fmt.Fprintf(b, "[ $g = yes ] || { %s && g=yes; }\n", strings.Join(conds, " && "))
	}
	fmt.Fprintf(b, "[ $g = yes ] || { echo 'steps %d-%d differ: no order of their answers matches the failing run'\"'\"'s'; same=no; }\n", first+1, last+1)
}

// orders lists the orders of n items, the identity first.
func orders(n int) [][]int {
	if n == 0 {
		return [][]int{nil}
	}
	var out [][]int
	for _, p := range orders(n - 1) {
		for at := len(p); at >= 0; at-- {
			q := append(append(append([]int{}, p[:at]...), n-1), p[at:]...)
			out = append(out, q)
		}
	}
	return out
}
