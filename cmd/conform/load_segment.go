package main

import (
	"time"

	"github.com/conformhq/conform/load"
)

// segmentFlags are the flags of a distributed `conform load`: which share this process sends,
// and when all shares start.
type segmentFlags struct {
	segment  string // I/N
	segments int    // N, the index from JOB_COMPLETION_INDEX
	startAt  string // RFC 3339
}

// apply fills o's Segment and StartAt from the flags.
func (f *segmentFlags) apply(o *load.Options) error {
	switch {
	case f.segment != "" && f.segments != 0:
		return usageErr("--segment and --segments: give one (--segments N takes the index from JOB_COMPLETION_INDEX)")
	case f.segment != "":
		s, err := load.ParseSegment(f.segment)
		if err != nil {
			return usageErr("--segment: %w", err)
		}
		o.Segment = s
	case f.segments != 0:
		s, err := load.SegmentFromEnv(f.segments)
		if err != nil {
			return usageErr("--segments: %w", err)
		}
		o.Segment = s
	}
	if f.startAt != "" {
		t, err := time.Parse(time.RFC3339, f.startAt)
		if err != nil {
			return usageErr("--start-at %q: want an RFC 3339 time, e.g. %s", f.startAt, time.Now().UTC().Add(time.Minute).Format(time.RFC3339))
		}
		o.StartAt = t
	}
	return nil
}
