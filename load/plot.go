package load

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// WritePlot writes r's timeline as a self-contained HTML page (inline SVG, no script): three
// panels over the same seconds, the rate requested and achieved, the success ratio, and the
// latency percentiles p50, p90 and p99. Read together they tell an overloaded target (latency
// up, rate kept) from a generator that fell behind (rate down) and from failing answers
// (success down), which a latency plot alone cannot. Stage boundaries are marked, hold stages
// shaded. Every result stays in --output for `vegeta plot`'s per-request view.
func (r *Report) WritePlot(w io.Writer, title string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>\n", html.EscapeString(title))
	fmt.Fprint(bw, "<style>body{font-family:sans-serif;margin:20px}svg{display:block;margin-bottom:14px}text{font-size:11px}</style></head><body>\n")
	fmt.Fprintf(bw, "<h2>%s</h2>\n<p>%s: %d requests, %.1f/s achieved, success %.2f%%, p99 %s (latency from the scheduled send time; one point per second)</p>\n",
		html.EscapeString(title), html.EscapeString(r.Attack), r.Requests, r.AchievedRate, 100*r.Ratio, fmtMS(r.Latency.P99))
	tl := r.Timeline
	var req, ach, succ, p50, p90, p99 []float64
	for _, p := range tl {
		req = append(req, p.Requested)
		ach = append(ach, p.Achieved)
		succ = append(succ, 100*p.Success)
		p50, p90, p99 = append(p50, p.P50), append(p90, p.P90), append(p99, p.P99)
	}
	rateSeries := []series{{"achieved/s", "#1f77b4", ach}}
	if r.Rate != "" {
		rateSeries = append([]series{{"requested/s", "#999999", req}}, rateSeries...)
	}
	panel(bw, r, "rate (requests per second, by scheduled send time)", rateSeries, 0)
	panel(bw, r, "success (%)", []series{{"success %", "#2ca02c", succ}}, 100)
	panel(bw, r, "latency (ms)", []series{{"p50", "#17becf", p50}, {"p90", "#ff7f0e", p90}, {"p99", "#d62728", p99}}, 0)
	fmt.Fprint(bw, "</body></html>\n")
	return bw.Flush()
}

type series struct {
	name, color string
	v           []float64
}

const (
	plotW, plotH = 900, 200
	padL, padB   = 60, 25
)

// panel draws one chart; top fixes the y axis' top (0: the data's highest value).
func panel(w io.Writer, r *Report, label string, ss []series, top float64) {
	n := len(r.Timeline)
	hi := top
	if hi == 0 {
		for _, s := range ss {
			for _, v := range s.v {
				hi = max(hi, v)
			}
		}
		hi = niceCeil(hi)
	}
	// x maps seconds since the start to the axis, which spans the whole run; a point (one
	// second of the timeline) sits in the middle of its second, and the stages at their times.
	x := func(sec float64) float64 { return padL + sec*float64(plotW-padL-10)/math.Max(float64(n), 1) }
	y := func(v float64) float64 { return 10 + (1-v/hi)*float64(plotH-padB-10) }
	fmt.Fprintf(w, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n", plotW, plotH, html.EscapeString(label))
	// Hold stages shaded, stage boundaries dashed.
	var at float64
	for _, s := range r.Stages {
		d := s.DurationMS / 1000
		if s.Hold {
			fmt.Fprintf(w, "<rect x=\"%.1f\" y=\"10\" width=\"%.1f\" height=\"%d\" fill=\"#f3f3e0\"/>\n", x(at), x(at+d)-x(at), plotH-padB-10)
		}
		at += d
		fmt.Fprintf(w, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"10\" y2=\"%d\" stroke=\"#bbb\" stroke-dasharray=\"3,3\"/>\n", x(at), x(at), plotH-padB)
	}
	fmt.Fprintf(w, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", padL, plotW-10, plotH-padB, plotH-padB)
	fmt.Fprintf(w, "<line x1=\"%d\" x2=\"%d\" y1=\"10\" y2=\"%d\" stroke=\"#333\"/>\n", padL, padL, plotH-padB)
	for _, f := range []float64{0, 0.5, 1} {
		fmt.Fprintf(w, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", padL-4, y(f*hi)+4, round1(f*hi))
	}
	// Ticks at whole seconds, about five of them: a label is where its second starts.
	step := max(niceCeil(float64(n)/5), 1)
	for t := 0.0; t <= float64(n); t += step {
		fmt.Fprintf(w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%gs</text>\n", x(t), plotH-8, t)
	}
	fmt.Fprintf(w, "<text x=\"%d\" y=\"10\">%s</text>\n", padL+6, html.EscapeString(label))
	for k, s := range ss {
		var pts []string
		for i, v := range s.v {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(float64(i)+0.5), y(min(v, hi))))
		}
		fmt.Fprintf(w, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>\n", s.color, strings.Join(pts, " "))
		fmt.Fprintf(w, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>\n", plotW-160, 22+12*k, s.color, html.EscapeString(s.name))
	}
	fmt.Fprint(w, "</svg>\n")
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, for a readable axis.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
