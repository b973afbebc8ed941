package load

import (
	"fmt"
	"io"
)

// overTimeRows bounds the text report's table over time; the JSON report and the plot keep
// every second.
const overTimeRows = 12

// writeOverTime writes the stages of a staged run and the run over time: rate requested and
// achieved, success and latency, in at most overTimeRows windows of whole seconds.
func (r *Report) writeOverTime(w io.Writer) {
	if len(r.Stages) > 0 {
		fmt.Fprintf(w, "  stages\tduration\trate/s\tachieved/s\tsuccess\tp50\tp99\n")
		for _, s := range r.Stages {
			what := fmt.Sprintf("%g -> %g", round1(s.From), round1(s.To))
			if s.Hold {
				what = fmt.Sprintf("%g hold", round1(s.To))
			}
			fmt.Fprintf(w, "  %d\t%s\t%s\t%.1f\t%.2f%%\t%s\t%s\n", s.Stage, fromMS(s.DurationMS), what, s.Achieved, 100*s.Ratio, fmtMS(s.Latency.P50), fmtMS(s.Latency.P99))
		}
	}
	n := len(r.Timeline)
	if n < 2 {
		return
	}
	win := (n + overTimeRows - 1) / overTimeRows
	fmt.Fprintf(w, "  over time\trequested/s\tachieved/s\tsuccess\tp50\tp90\tp99 (worst second of the window)\n")
	for lo := 0; lo < n; lo += win {
		hi := min(lo+win, n)
		var req, ach, ok float64
		var p50, p90, p99 float64
		for _, p := range r.Timeline[lo:hi] {
			req += p.Requested
			ach += p.Achieved
			ok += p.Success * p.Achieved
			p50, p90, p99 = max(p50, p.P50), max(p90, p.P90), max(p99, p.P99)
		}
		k := float64(hi - lo)
		succ := "-"
		if ach > 0 {
			succ = fmt.Sprintf("%.2f%%", 100*ok/ach)
		}
		reqs := "-"
		if req > 0 {
			reqs = fmt.Sprintf("%.1f", req/k)
		}
		fmt.Fprintf(w, "  %d-%ds\t%s\t%.1f\t%s\t%s\t%s\t%s\n", lo, hi, reqs, ach/k, succ, fmtMS(p50), fmtMS(p90), fmtMS(p99))
	}
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
