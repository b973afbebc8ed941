package load

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of one attack, one find-max search, or merged results files. Times
// are in milliseconds (fields ending in _ms) so that CI scripts read them without parsing Go
// durations.
type Report struct {
	Profile  string `json:"profile,omitempty"`
	Scenario string `json:"scenario,omitempty"`
	Target   string `json:"target,omitempty"`
	Attack   string `json:"attack"`
	// Success says what counted as a success.
	Success string `json:"success_rule,omitempty"`

	Rate          string  `json:"rate,omitempty"` // as requested, e.g. 2000/s or 100/s:5000/s
	DurationMS    float64 `json:"duration_ms"`
	Elapsed       float64 `json:"elapsed_ms"` // sending time: the duration, or less if interrupted
	RequestedRate float64 `json:"requested_rate"`
	AchievedRate  float64 `json:"achieved_rate"`
	Throughput    float64 `json:"throughput"` // successes per second

	Requests  uint64  `json:"requests"`
	Expected  uint64  `json:"expected"` // sends due within the elapsed time
	Dropped   uint64  `json:"dropped"`  // due but never sent
	Late      uint64  `json:"late"`     // sent more than late_after_ms behind schedule
	LateAfter float64 `json:"late_after_ms,omitempty"`
	Successes uint64  `json:"successes"`
	Ratio     float64 `json:"success_ratio"`

	Latency Latency           `json:"latency"` // from the scheduled send time
	SendLag *Lag              `json:"send_lag,omitempty"`
	Codes   map[string]uint64 `json:"status_codes"`
	Errors  []ErrorCount      `json:"errors"`
	// OtherErrors counts errors beyond the first distinct ones listed.
	OtherErrors uint64 `json:"other_errors,omitempty"`

	// Valid is false when the achieved rate fell below 95% of the requested rate: the numbers
	// then describe an overloaded generator or target, not the requested load.
	Valid   bool   `json:"valid"`
	Invalid string `json:"invalid_reason,omitempty"`
	// Interrupted is set when Ctrl-C (or the caller's context) stopped the run before its
	// end: the numbers cover only the part that ran, and there is no verdict.
	Interrupted bool `json:"interrupted,omitempty"`

	// Segment is the share of a distributed load this report covers; StartAt the --start-at.
	Segment *SegmentInfo `json:"segment,omitempty"`
	StartAt string       `json:"start_at,omitempty"`

	// Stages are the stages of a --stages run; Judged says which of them the thresholds were
	// judged on: the hold stages, or the whole run when none holds.
	Stages []*StageReport `json:"stages,omitempty"`
	Judged *Window        `json:"judged,omitempty"`
	// Timeline is the run second by second (by scheduled send time).
	Timeline []Point `json:"timeline,omitempty"`

	Settings *Settings `json:"settings,omitempty"`
	Notes    []string  `json:"notes,omitempty"`
	Checks   []Check   `json:"thresholds,omitempty"`
	FindMax  *FindMax  `json:"find_max,omitempty"`
	// Attacks are the per-attack reports of a merged report.
	Attacks []*Report `json:"attacks,omitempty"`
}

// Latency are percentiles of latency measured from the scheduled send time, in ms.
type Latency struct {
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
	Mean float64 `json:"mean_ms"`
}

// Lag is how far behind schedule sends started, in ms.
type Lag struct {
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

// ErrorCount is one distinct error and how often it occurred.
type ErrorCount struct {
	Error string `json:"error"`
	Count uint64 `json:"count"`
}

// Settings are the generator's settings, so a report says how its numbers were obtained.
type Settings struct {
	Workers     int     `json:"workers"`
	Connections int     `json:"connections"`
	TimeoutMS   float64 `json:"timeout_ms"`
	KeepAlive   bool    `json:"keepalive"`
	// Protocol is what the requests were sent over, e.g. "HTTP/1.1 over TLS" or "HTTP/2".
	Protocol   string `json:"protocol,omitempty"`
	Users      int    `json:"users"`
	BcryptCost int    `json:"bcrypt_cost,omitempty"`
}

// minValidRatio is the share of the requested rate a valid run must achieve.
const minValidRatio = 0.95

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

func fromMS(f float64) time.Duration { return time.Duration(f * 1e6) }

func latencyOf(h *histogram) Latency {
	return Latency{P50: ms(h.quantile(0.5)), P90: ms(h.quantile(0.9)), P95: ms(h.quantile(0.95)),
		P99: ms(h.quantile(0.99)), Max: ms(h.max), Mean: ms(h.mean())}
}

// report fills what st says about an attack.
func (e *prepared) report(rate Rate, du time.Duration, name string, st *stats) *Report {
	o := e.o
	r := &Report{
		Profile: o.Profile, Scenario: o.Scenario, Target: e.url, Attack: name, Success: e.what,
		Rate: rate.String(), DurationMS: ms(du),
		Settings: &Settings{Workers: o.Workers, Connections: o.Connections, TimeoutMS: ms(o.Timeout), KeepAlive: !o.NoKeepAlive, Users: o.Users,
			Protocol: protocol(e.client, e.url)},
		Notes: e.notes,
	}
	if o.Target == "" {
		r.Target = "embedded reference " + e.url
		r.Settings.BcryptCost = o.BcryptCost
	}
	r.fill(st)
	return r
}

func (r *Report) fill(st *stats) {
	r.Requests, r.Successes, r.Ratio = st.requests, st.successes, st.successRatio()
	r.Latency = latencyOf(&st.latency)
	r.Codes = map[string]uint64{}
	for code, n := range st.codes {
		r.Codes[strconv.Itoa(int(code))] = n
	}
	r.Errors = append([]ErrorCount{}, st.errors...)
	r.OtherErrors = st.otherErrors
}

func (r *Report) judgeValidity() {
	r.Valid = true
	switch {
	case r.Requests == 0:
		r.Valid, r.Invalid = false, "no request was answered"
	case r.RequestedRate > 0 && r.AchievedRate < minValidRatio*r.RequestedRate:
		r.Valid = false
		r.Invalid = fmt.Sprintf("achieved %.0f/s is %.1f%% of the requested %.0f/s (under %.0f%%): %d sends were dropped and %d late; the generator or the target could not keep up (see send lag; try more --workers, or a lower --rate)",
			r.AchievedRate, 100*r.AchievedRate/r.RequestedRate, r.RequestedRate, 100*minValidRatio, r.Dropped, r.Late)
	}
}

// Thresholds are the CI verdict of a run: zero values are not checked.
type Thresholds struct {
	// MaxP99 is the highest acceptable p99 latency (from the scheduled send time).
	MaxP99 time.Duration
	// MinSuccess is the lowest acceptable success ratio, in [0, 1].
	MinSuccess float64
	// MinRPS is the lowest acceptable rate of successes per second; with FindMax, the lowest
	// acceptable knee.
	MinRPS float64
}

// Check is one threshold against a report.
type Check struct {
	Name  string `json:"name"` // the flag: max-p99, min-success, min-rps; or valid, success, knee
	Limit string `json:"limit"`
	Value string `json:"value"`
	OK    bool   `json:"ok"`
}

// Broken returns the checks that failed.
func (r *Report) Broken() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// check evaluates t. Two checks apply whatever t says: a run that is not valid fails a
// "valid" check, and one where no answer was a success fails a "success" check (with
// --find-max: a search where no step held fails a "knee" check), so that nothing succeeding
// never passes for a verdict.
func (r *Report) check(t Thresholds) {
	r.Checks = nil
	if r.Requests > 0 && r.Successes == 0 && r.FindMax == nil {
		r.Checks = append(r.Checks, Check{Name: "success", Limit: "(at least one answer a success)",
			Value: fmt.Sprintf("none of %d answers was a success (see the errors)", r.Requests)})
	}
	if r.FindMax != nil && r.FindMax.Knee == 0 && len(r.FindMax.Steps) > 0 {
		r.Checks = append(r.Checks, Check{Name: "knee", Limit: "(a step that held)", Value: "no step held: " + r.FindMax.Criteria})
	}
	if !r.Valid && r.FindMax == nil {
		v := "no request was answered"
		if r.RequestedRate > 0 {
			v = fmt.Sprintf("achieved %.1f/s of the requested %.1f/s, %.1f%%", r.AchievedRate, r.RequestedRate, 100*r.AchievedRate/r.RequestedRate)
		}
		r.Checks = append(r.Checks, Check{Name: "valid", Limit: fmt.Sprintf("(achieved rate >= %.0f%% of requested)", 100*minValidRatio), Value: v})
	}
	if t.MaxP99 > 0 && r.FindMax == nil {
		p99 := fromMS(r.Latency.P99)
		r.Checks = append(r.Checks, Check{Name: "max-p99", Limit: t.MaxP99.String(), Value: p99.String(), OK: p99 <= t.MaxP99})
	}
	if t.MinSuccess > 0 && r.FindMax == nil {
		r.Checks = append(r.Checks, Check{Name: "min-success", Limit: fmt.Sprintf("%g", t.MinSuccess),
			Value: fmt.Sprintf("%.4f", r.Ratio), OK: r.Ratio >= t.MinSuccess})
	}
	if t.MinRPS > 0 {
		v, what := r.Throughput, "successes/s"
		if r.FindMax != nil {
			v, what = r.FindMax.Knee, "knee rate/s"
		}
		r.Checks = append(r.Checks, Check{Name: "min-rps", Limit: fmt.Sprintf("%g", t.MinRPS),
			Value: fmt.Sprintf("%.1f %s", v, what), OK: v >= t.MinRPS})
	}
}

// Verdict is a report's last word, as its exit code says it.
type Verdict struct {
	// Result is "pass", "fail" or "interrupted" (no verdict: the run was cut short, and its
	// thresholds were not judged).
	Result string `json:"result"`
	// Broken names the broken checks of a failed run (max-p99, min-success, min-rps, valid,
	// success, knee, start-at, segments).
	Broken []string `json:"broken,omitempty"`
}

// Verdict returns the verdict of r's checks.
func (r *Report) Verdict() Verdict {
	if r.Interrupted {
		return Verdict{Result: "interrupted"}
	}
	var broken []string
	for _, c := range r.Broken() {
		broken = append(broken, c.Name)
	}
	if len(broken) > 0 {
		return Verdict{Result: "fail", Broken: broken}
	}
	return Verdict{Result: "pass"}
}

// WriteJSON writes r as indented JSON, with its verdict first.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Verdict Verdict `json:"verdict"`
		*Report
	}{r.Verdict(), r})
}

// WriteText writes r for people.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(k, format string, args ...any) {
		fmt.Fprintf(tw, "  %s\t"+format+"\n", append([]any{k}, args...)...)
	}
	if r.FindMax != nil {
		fmt.Fprintf(tw, "conform load --find-max: %s %s against %s\n", r.Profile, r.Scenario, r.Target)
		r.FindMax.writeText(tw)
		fmt.Fprintf(tw, "\nthe step at the knee (or the last step when none held):\n")
		r.writeAttack(tw, line)
	} else {
		r.writeAttack(tw, line)
		r.writeOverTime(tw)
	}
	for _, a := range r.Attacks {
		fmt.Fprintf(tw, "\nattack %q\n", a.Attack)
		a.writeAttack(tw, line)
	}
	for _, n := range r.Notes {
		line("note", "%s", n)
	}
	if r.Judged != nil {
		line("judged on", "%s", r.Judged)
	}
	for _, c := range r.Checks {
		v := "ok"
		if !c.OK {
			v = "BROKEN"
		}
		line("threshold", "%s %s: %s (%s)", c.Name, c.Limit, v, c.Value)
	}
	line("verdict", "%s", r.verdict())
	return tw.Flush()
}

// verdict is the report's last word: INTERRUPTED (no verdict: the run was cut short), FAIL
// naming each broken check, or PASS.
func (r *Report) verdict() string {
	switch v := r.Verdict(); v.Result {
	case "interrupted":
		return fmt.Sprintf("INTERRUPTED after %s: no verdict, the run was cut short", fromMS(r.Elapsed).Round(time.Millisecond))
	case "fail":
		return "FAIL: " + strings.Join(v.Broken, ", ") + " broken"
	}
	return "PASS"
}

func (r *Report) writeAttack(tw io.Writer, line func(k, format string, args ...any)) {
	if r.Profile != "" {
		fmt.Fprintf(tw, "conform load: %s %s against %s, attack %q\n", r.Profile, r.Scenario, r.Target, r.Attack)
	} else if r.Attacks != nil {
		fmt.Fprintf(tw, "conform report: %d attacks merged\n", len(r.Attacks))
	}
	if r.Rate != "" {
		line("requested", "%s for %s: %.1f/s, %d sends due", r.Rate, fromMS(r.DurationMS), r.RequestedRate, r.Expected)
		if sg := r.Segment; sg != nil {
			line("segment", "%d/%d of %s: users [%d, %d)", sg.Index, sg.Count, sg.TotalRate, sg.UsersFrom, sg.UsersTo)
		}
		if r.StartAt != "" {
			line("start at", "%s", r.StartAt)
		}
		interrupted := ""
		if r.Interrupted {
			interrupted = fmt.Sprintf(" (interrupted after %s)", fromMS(r.Elapsed).Round(time.Millisecond))
		}
		line("achieved", "%.1f/s%s: %d sent, %d dropped, %d late (started over %s behind schedule)",
			r.AchievedRate, interrupted, r.Requests, r.Dropped, r.Late, fromMS(r.LateAfter))
	} else {
		line("requests", "%d over %s: %.1f/s", r.Requests, fromMS(r.Elapsed).Round(time.Millisecond), r.AchievedRate)
	}
	rule := ""
	if r.Success != "" {
		rule = "; success: " + r.Success
	}
	line("success", "%.2f%% (%d/%d)%s; %.1f successes/s", 100*r.Ratio, r.Successes, r.Requests, rule, r.Throughput)
	l := r.Latency
	line("latency", "p50 %s  p90 %s  p95 %s  p99 %s  max %s  mean %s (from the scheduled send time)",
		fmtMS(l.P50), fmtMS(l.P90), fmtMS(l.P95), fmtMS(l.P99), fmtMS(l.Max), fmtMS(l.Mean))
	if r.SendLag != nil {
		line("send lag", "p99 %s  max %s", fmtMS(r.SendLag.P99), fmtMS(r.SendLag.Max))
	}
	var codes []string
	for c := range r.Codes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var parts []string
	for _, c := range codes {
		name := c
		if c == "0" {
			name = "0 (no answer)"
		}
		parts = append(parts, fmt.Sprintf("%s: %d", name, r.Codes[c]))
	}
	line("status", "%s", strings.Join(parts, "  "))
	if len(r.Errors) == 0 {
		line("errors", "none")
	}
	for _, e := range r.Errors {
		line("error", "%d× %s", e.Count, e.Error)
	}
	if r.OtherErrors > 0 {
		line("error", "%d× other errors", r.OtherErrors)
	}
	if r.Settings != nil {
		s := r.Settings
		cost := ""
		if s.BcryptCost > 0 {
			cost = fmt.Sprintf(", bcrypt cost %d", s.BcryptCost)
		}
		line("settings", "%d workers, %d connections, timeout %s, keep-alive %v, %d users%s",
			s.Workers, s.Connections, fromMS(s.TimeoutMS), s.KeepAlive, s.Users, cost)
		if s.Protocol != "" {
			line("protocol", "%s", s.Protocol)
		}
	}
	if r.Rate != "" {
		switch {
		case r.Interrupted:
			line("rate", "INTERRUPTED after %s: these numbers cover only the part that ran", fromMS(r.Elapsed).Round(time.Millisecond))
		case r.Valid:
			line("rate", "VALID: the requested rate was sent")
		default:
			line("rate", "NOT VALID: %s", r.Invalid)
		}
	}
}

func fmtMS(f float64) string {
	d := fromMS(f)
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	default:
		return d.Round(time.Microsecond).String()
	}
}
