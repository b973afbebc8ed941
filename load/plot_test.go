package load

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"
)

// The plot's time axis is in seconds over the whole run: ticks at whole seconds, the hold
// shaded between its stage's start and end, a point in the middle of its second.
func TestPlotTimeAxis(t *testing.T) {
	rep := &Report{Stages: []*StageReport{{Stage: 1, DurationMS: 3000}, {Stage: 2, DurationMS: 4000, Hold: true}, {Stage: 3, DurationMS: 3000}}}
	for i := range 10 {
		rep.Timeline = append(rep.Timeline, Point{T: float64(i), Achieved: 100, Success: 1, P99: 1})
	}
	var b bytes.Buffer
	if err := rep.WritePlot(&b, "t"); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	tick := map[string]float64{}
	for _, m := range regexp.MustCompile(`<text x="([0-9.]+)"[^>]*text-anchor="middle">([0-9.]+s)</text>`).FindAllStringSubmatch(page, -1) {
		tick[m[2]], _ = strconv.ParseFloat(m[1], 64)
	}
	for _, s := range []string{"0s", "2s", "4s", "6s", "8s", "10s"} {
		if _, ok := tick[s]; !ok {
			t.Fatalf("ticks %v: no %s (want 0s to 10s every 2s)", tick, s)
		}
	}
	perSecond := (tick["10s"] - tick["0s"]) / 10
	at := func(sec float64) float64 { return tick["0s"] + sec*perSecond }
	near := func(a, b float64) bool { return a-b < 0.2 && b-a < 0.2 }
	m := regexp.MustCompile(`<rect x="([0-9.]+)" y="10" width="([0-9.]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no hold shaded")
	}
	x, _ := strconv.ParseFloat(m[1], 64)
	w, _ := strconv.ParseFloat(m[2], 64)
	if !near(x, at(3)) || !near(x+w, at(7)) {
		t.Errorf("hold shaded from %.1f to %.1f, want %.1f (3s) to %.1f (7s)", x, x+w, at(3), at(7))
	}
	first := regexp.MustCompile(`points="([0-9.]+),`).FindStringSubmatch(page)
	if p, _ := strconv.ParseFloat(first[1], 64); !near(p, at(0.5)) {
		t.Errorf("first point at %.1f, want %.1f (the middle of the first second)", p, at(0.5))
	}
}
