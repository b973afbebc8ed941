package load

import (
	"math/bits"
	"time"
)

// Point is one second of a run: what was requested, sent and answered in it (by scheduled send
// time), and the latency percentiles of its answers. A plot of points shows the rate, success
// and latency over time together: a latency curve alone hides a generator or target that
// stopped keeping the rate.
type Point struct {
	T         float64 `json:"t_s"`                      // seconds from the start
	Requested float64 `json:"requested_rate,omitempty"` // the schedule's rate (live runs only)
	Achieved  float64 `json:"achieved_rate"`            // answers to sends due in this second
	Success   float64 `json:"success_ratio"`
	P50       float64 `json:"p50_ms"`
	P90       float64 `json:"p90_ms"`
	P99       float64 `json:"p99_ms"`
}

// timeline buckets results by the second their send was due. Each second keeps a coarse
// histogram (1 KiB: quantiles within 12.5%), so a 30-minute run costs under 2 MiB.
type timeline struct {
	secs []second
}

type second struct {
	n, ok uint32
	h     coarse
}

// maxTimeline bounds the seconds kept: the longest run and its request timeouts.
const maxTimeline = int(MaxDuration/time.Second) + 120

func (tl *timeline) add(at time.Duration, ok bool, latency time.Duration) {
	i := int(at / time.Second)
	if i < 0 || i >= maxTimeline {
		return
	}
	for len(tl.secs) <= i {
		tl.secs = append(tl.secs, second{})
	}
	s := &tl.secs[i]
	s.n++
	if ok {
		s.ok++
	}
	s.h.add(latency)
}

// points is the timeline; requested, when not nil, gives the schedule's rate at a time.
func (tl *timeline) points(requested func(time.Duration) float64) []Point {
	out := make([]Point, len(tl.secs))
	for i := range tl.secs {
		s := &tl.secs[i]
		p := Point{T: float64(i), Achieved: float64(s.n)}
		if s.n > 0 {
			p.Success = float64(s.ok) / float64(s.n)
			p.P50, p.P90, p.P99 = ms(s.h.quantile(0.5)), ms(s.h.quantile(0.9)), ms(s.h.quantile(0.99))
		}
		if requested != nil {
			p.Requested = requested(time.Duration(i)*time.Second + time.Second/2)
		}
		out[i] = p
	}
	return out
}

// coarse is a histogram of microseconds in log-linear buckets, 8 per power of two.
type coarse struct {
	counts [coarseBuckets]uint32
}

const (
	coarseBits    = 3
	coarseSub     = 1 << coarseBits
	coarseBuckets = (32-coarseBits)*coarseSub + coarseSub
)

func (c *coarse) add(d time.Duration) {
	v := uint64(max(d, 0) / time.Microsecond)
	v = min(v, 1<<32-1)
	i := int(v)
	if v >= 2*coarseSub {
		e := bits.Len64(v) - (coarseBits + 1)
		i = e*coarseSub + int(v>>uint(e))
	}
	c.counts[i]++
}

// quantile is the top of the bucket holding quantile q: a value on the slow side.
func (c *coarse) quantile(q float64) time.Duration {
	var n uint64
	for _, k := range c.counts {
		n += uint64(k)
	}
	if n == 0 {
		return 0
	}
	rank := max(uint64(q*float64(n)+0.999999), 1)
	var seen uint64
	for i, k := range c.counts {
		seen += uint64(k)
		if seen >= rank {
			top := uint64(i)
			if i >= 2*coarseSub {
				e := i/coarseSub - 1
				top = (uint64(i%coarseSub+coarseSub)+1)<<uint(e) - 1
			}
			return time.Duration(top) * time.Microsecond
		}
	}
	return 0
}

// wallTimeline is a timeline of results read back from files, keyed by the wall-clock second
// of their scheduled send time, since files of several generators start apart.
type wallTimeline map[int64]*second

func (w wallTimeline) add(at time.Time, ok bool, latency time.Duration) {
	k := at.Unix()
	s := w[k]
	if s == nil {
		if len(w) >= maxTimeline {
			return
		}
		s = &second{}
		w[k] = s
	}
	s.n++
	if ok {
		s.ok++
	}
	s.h.add(latency)
}

// timeline is w from its first second on.
func (w wallTimeline) timeline() *timeline {
	var first, last int64
	for k := range w {
		if first == 0 || k < first {
			first = k
		}
		last = max(last, k)
	}
	tl := &timeline{}
	for k := first; k <= last && len(w) > 0 && int(k-first) < maxTimeline; k++ {
		if s := w[k]; s != nil {
			tl.secs = append(tl.secs, *s)
		} else {
			tl.secs = append(tl.secs, second{})
		}
	}
	return tl
}
