package load

import (
	"errors"
	"fmt"
	"io"
	"sort"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// File is one results file to merge.
type File struct {
	Name string // for messages
	R    io.Reader
}

// MergeOptions configures Merge.
type MergeOptions struct {
	Thresholds Thresholds
	// OnResult, when set, receives every result read (e.g. for a plot).
	OnResult func(*vegeta.Result) error
}

// Merge reads results files written by `conform load --output` (or any vegeta results, gob,
// JSON or CSV) and reports on all of them together, with one section per attack name. A
// result counts as a success when its Error is empty, which for conform's files is conform's
// rule (see the package comment). Two files holding the same attack name are merged under
// "NAME (FILE)" with a warning: vegeta plot refuses such files together.
func Merge(files []File, mo MergeOptions) (rep *Report, warnings []string, err error) {
	type attack struct {
		name string
		st   stats
	}
	var (
		all     stats
		attacks = map[string]*attack{}
		owner   = map[string]string{} // attack name -> first file holding it
		wall    = wallTimeline{}
	)
	for _, f := range files {
		dec := vegeta.DecoderFor(f.R)
		if dec == nil {
			return nil, nil, fmt.Errorf("%s: not a vegeta results file (gob, JSON or CSV)", f.Name)
		}
		seen := map[string]bool{}
		for {
			var r vegeta.Result
			if err := dec.Decode(&r); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return nil, nil, fmt.Errorf("%s: read results: %w", f.Name, err)
			}
			key := r.Attack
			if !seen[r.Attack] {
				seen[r.Attack] = true
				if prev, dup := owner[r.Attack]; dup && prev != f.Name {
					warnings = append(warnings, fmt.Sprintf("attack name %q is in both %s and %s: reported apart as %q, but vegeta plot refuses these files together; give each machine its own --name",
						r.Attack, prev, f.Name, r.Attack+" ("+f.Name+")"))
				} else if !dup {
					owner[r.Attack] = f.Name
				}
			}
			if owner[r.Attack] != f.Name {
				key = r.Attack + " (" + f.Name + ")"
			}
			a := attacks[key]
			if a == nil {
				a = &attack{name: key}
				attacks[key] = a
			}
			ok := r.Error == ""
			a.st.add(r.Code, ok, r.Error, r.Timestamp, r.Latency)
			all.add(r.Code, ok, r.Error, r.Timestamp, r.Latency)
			wall.add(r.Timestamp, ok, r.Latency)
			if mo.OnResult != nil {
				if err := mo.OnResult(&r); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	if all.requests == 0 {
		return nil, warnings, errors.New("no results in the files")
	}
	rep = fileReport("merged", &all)
	rep.Timeline = wall.timeline().points(nil)
	names := make([]string, 0, len(attacks))
	for k := range attacks {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		rep.Attacks = append(rep.Attacks, fileReport(k, &attacks[k].st))
	}
	rep.check(mo.Thresholds)
	if c, ok := segmentCheck(names); ok {
		rep.Checks = append(rep.Checks, c)
	}
	return rep, warnings, nil
}

// fileReport is the report of results read back: the rate is unknown, so the achieved rate
// is the answers over the span from the first scheduled send to the last answer.
func fileReport(name string, st *stats) *Report {
	r := &Report{Attack: name, Valid: true}
	r.fill(st)
	span := st.lastEnd.Sub(st.first)
	r.Elapsed = ms(span)
	if span > 0 {
		r.AchievedRate = float64(st.requests) / span.Seconds()
		r.Throughput = float64(st.successes) / span.Seconds()
	}
	r.Attacks = nil
	return r
}
