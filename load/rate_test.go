package load

import (
	"math"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in       string
		from, to float64
	}{
		{"1000/s", 1000, 1000},
		{"1000", 1000, 1000},
		{"60/m", 1, 1},
		{"5/100ms", 50, 50},
		{"100/s:5000/s", 100, 5000},
		{"0.5/s", 0.5, 0.5},
	} {
		r, err := ParseRate(tc.in)
		if err != nil || math.Abs(r.From-tc.from) > 1e-9 || math.Abs(r.To-tc.to) > 1e-9 {
			t.Errorf("ParseRate(%q) = %+v, %v; want %v:%v", tc.in, r, err, tc.from, tc.to)
		}
	}
	for _, bad := range []string{"", "0/s", "-5/s", "abc", "10/fortnight", "10/s:"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) = nil error, want one", bad)
		}
	}
}

func TestScheduleConstant(t *testing.T) {
	s := newSchedule(Rate{From: 2000, To: 2000}, 5*time.Second)
	if got := s.due(0); got != 500*time.Microsecond {
		t.Errorf("due(0) = %s, want 500µs (vegeta's first hit is one interval in)", got)
	}
	if got := s.expected(5 * time.Second); got != 10000 {
		t.Errorf("expected(5s) = %d, want 10000", got)
	}
	if _, stop := s.Pace(0, 10000); !stop {
		t.Error("Pace after the last due hit does not stop")
	}
	if wait, stop := s.Pace(0, 0); stop || wait != 500*time.Microsecond {
		t.Errorf("Pace(0, 0) = %s, %v", wait, stop)
	}
	// A hit due within paceSlack goes at once.
	if wait, stop := s.Pace(500*time.Microsecond-paceSlack+time.Nanosecond, 0); stop || wait != 0 {
		t.Errorf("Pace just within the slack = %s, %v; want 0", wait, stop)
	}
}

func TestScheduleRamp(t *testing.T) {
	s := newSchedule(Rate{From: 100, To: 5000}, 10*time.Second)
	want := (100.0 + 5000) / 2 * 10
	if got := float64(s.expected(10 * time.Second)); math.Abs(got-want) > 2 {
		t.Errorf("ramp expected(10s) = %v, want about %v", got, want)
	}
	for n := uint64(1); n < 20000; n += 997 {
		if s.due(n) <= s.due(n-1) {
			t.Fatalf("due not increasing at %d", n)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	for i := 1; i <= 100000; i++ {
		h.add(time.Duration(i) * time.Microsecond)
	}
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want := q * 100000 * float64(time.Microsecond)
		got := float64(h.quantile(q))
		if got < want || got > want*1.02 {
			t.Errorf("quantile(%v) = %s, want within [0, +2%%] of %s", q, time.Duration(got), time.Duration(want))
		}
	}
	if h.max != 100*time.Millisecond || h.min != time.Microsecond {
		t.Errorf("min/max = %s/%s", h.min, h.max)
	}
	var m histogram
	m.merge(&h)
	m.merge(&h)
	if m.n != 2*h.n || m.quantile(0.5) != h.quantile(0.5) {
		t.Errorf("merge: n %d, p50 %s vs %s", m.n, m.quantile(0.5), h.quantile(0.5))
	}
	for v := uint64(0); v < 1<<20; v += 7 {
		if top := bucketTop(bucketOf(v)); top < v {
			t.Fatalf("bucketTop(bucketOf(%d)) = %d", v, top)
		}
	}
}
