package suites

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/extensions/globals"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/version"
)

// Run runs the selected specs against the target and returns what happened. An error means
// the run could not start or its reports could not be written: a *UsageError for a mistake in
// flags or config (a selection that runs no spec included), a *client.UnreachableError for a
// target that does not answer, a *profile.AccountError for an account of the config that
// cannot log in, a *profile.ProbeError for a probe path or token placement of the config that
// is not the target's, a *RegistrationError for specs that did not register (each found before any
// spec runs), ctx's error when ctx ended before the specs started; any other error (the
// embedded reference would not start, a report could not be written) is conform's own failure
// to finish. When only the reports failed, the summary has been printed and the Result is
// returned with the error.
//
// Ctrl-C (SIGINT or SIGTERM, which Ginkgo takes while the specs run) stops the spec in
// progress and the run; an end of ctx stops the run before its next spec. Either way the
// Result says the run was interrupted (Result.Interrupted, Result.InterruptedByUser).
//
// Once the config is read, everything Run writes to o.Out, the reports, the Result and the
// error have the config's secrets masked, and the 2FA codes the run reads (package redact).
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.Race.Validate(); err != nil {
		return nil, &UsageError{Err: err}
	}
	o = o.withDefaults()
	waivers, err := loadWaivers(o.Waivers)
	if err != nil {
		return nil, err
	}
	b, err := bind(ctx, o)
	if err != nil {
		return nil, interrupted(ctx, err)
	}
	defer b.stop()
	out := b.redact.Writer(o.Out)
	o.Out = out
	res, err := run(ctx, b, o, waivers)
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write the summary: %w", ferr)
	}
	return res, b.redact.Error(err)
}

// run is Run once the target is bound.
func run(ctx context.Context, b *binding, o Options, waivers *waiverSet) (*Result, error) {
	if err := preflight(ctx, b); err != nil {
		return nil, unreachableReports(ctx, b, o, interrupted(ctx, err))
	}
	sel, err := selectSpecs(b, o)
	if err != nil {
		return nil, err
	}
	if err := checkAccounts(ctx, b, sel.profiles); err != nil {
		return nil, configReports(ctx, b, o, interrupted(ctx, err))
	}
	lo, err := loadOptions(b, o)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Out, "conform: %s against %s%s\n", strings.Join(b.profiles, ", "), b.client.URL(), map[bool]string{true: " (embedded reference)"}[b.embedded])
	for _, n := range b.notes {
		fmt.Fprintf(o.Out, "note: %s\n", n)
	}
	x := o.Explore.WithDefaults()
	fmt.Fprintf(o.Out, "model exploration: seed %d, at most %d steps or %s per profile (replay with --seed %d)\n", x.Seed, x.Steps, x.Time, x.Seed)
	fmt.Fprintln(o.Out)
	start := time.Now()
	var l *loadRun
	if o.UnderLoad.Rate != "" {
		fmt.Fprintf(o.Out, "Pass 1 of 2, without load: the baseline\n\n")
	}
	res := runPass(ctx, b, o, waivers, sel)
	if o.UnderLoad.Rate != "" && res.Interrupted == "" {
		base := res
		fmt.Fprintf(o.Out, "\nPass 2 of 2, under load: the same specs again while conform load sends %s of %s's validate scenario to the target\n\n", o.UnderLoad.Rate, lo.Profile)
		var method, path string // the load's probe, which a spec may send without ending a session
		if sec := b.cfg.Section(lo.Profile); sec != nil && sec.Probe != nil {
			method, path = sec.Probe.Method, sec.BasePath+sec.Probe.Path
		}
		if l, err = startLoad(ctx, lo, method, path); err != nil {
			return nil, err
		}
		b.judge, b.judgeFrom = l.judge, time.Time{}
		res = runPass(ctx, b, o, waivers, sel)
		b.noteActivity() // the last spec's
		b.judge = nil
		l.stop()
		compareUnderLoad(base, res, l, o.UnderLoad)
	}
	res.Duration = time.Since(start)
	addReproducers(res, b.vars)
	if o.Reproducers != "" {
		err = writeReproducers(res, o.Reproducers)
	}
	res.StartedAt, res.ConformVersion = start, version.Get().Short()
	if rerr := writeReports(res, o, b.redact); err == nil {
		err = rerr
	}
	printSummary(o.Out, res, o.Color)
	if lerr := l.writeText(o.Out, res.InterruptedByUser || ctx.Err() != nil); err == nil && lerr != nil {
		err = fmt.Errorf("write the load report: %w", lerr)
	}
	return res, err
}

// runPass runs the selected specs once and collects their outcomes: the whole run, or one of
// the two passes of a run under load. Each pass declares the specs afresh in a book of its own.
func runPass(ctx context.Context, b *binding, o Options, waivers *waiverSet, sel *selection) *Result {
	book := cite.NewBook()
	p := &progress{out: o.Out, color: o.Color}
	report := runGinkgo(ctx, b, book, o, sel, p)
	res := collect(book, report, b, o, waivers, sel)
	if ctx.Err() != nil && res.Interrupted == "" {
		res.Interrupted, res.InterruptedByUser = interruptedByUser, true
		res.judge()
	}
	return res
}

// unreachableReports writes the reports that were asked for when the target does not answer
// at all, so that a CI step that publishes them has something to publish: no spec, the
// verdict CUT SHORT, and why. It returns err, or the error of writing them.
func unreachableReports(ctx context.Context, b *binding, o Options, err error) error {
	var ue *client.UnreachableError
	if !errors.As(err, &ue) || ctx.Err() != nil {
		return err
	}
	res := &Result{Target: b.targetURL(), Embedded: b.embedded, Strict: o.Strict, Seed: o.Explore.Seed, Profiles: b.profiles,
		Interrupted: err.Error(), StartedAt: time.Now(), ConformVersion: version.Get().Short()}
	res.judge()
	if werr := writeReports(res, o, b.redact); werr != nil {
		return fmt.Errorf("%w; and the reports: %v", err, werr)
	}
	return err
}

// interrupted is ctx's error when ctx ended (Ctrl-C during the preflight makes the requests
// in flight fail in any way), else err.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// runGinkgo declares the specs and runs the selection in this process. Ginkgo keeps its tree
// in package state, so each run starts from a reset.
func runGinkgo(ctx context.Context, b *binding, book *cite.Book, o Options, sel *selection, p *progress) types.Report {
	globals.Reset()
	gomega.RegisterFailHandler(ginkgo.Fail)
	declare(b, book, o, p)
	// Ginkgo's own interrupt handler stops a spec at Ctrl-C; a ctx that ends otherwise (or a
	// Ctrl-C in the moment before Ginkgo listens) stops the run before the next spec.
	ginkgo.BeforeEach(func() {
		if ctx.Err() != nil {
			ginkgo.Skip(skipInterrupted)
		}
	})
	var report types.Report
	ginkgo.ReportAfterSuite("conform", func(r types.Report) { report = r })

	suiteCfg, repCfg := ginkgo.GinkgoConfiguration()
	suiteCfg.LabelFilter = sel.filter
	suiteCfg.FocusStrings = sel.focus
	suiteCfg.RandomSeed = 1 // a stable order makes two runs comparable
	suiteCfg.RandomizeAllSpecs = false
	repCfg.NoColor = !o.Color
	// Ginkgo's own reporter writes to this writer; conform prints its own progress and summary.
	formatter.ColorableStdOut = io.Discard
	ginkgo.RunSpecs(&failT{}, "conform", suiteCfg, repCfg)
	if p != nil {
		p.reconcile(&report)
	}
	return report
}

// failT is the GinkgoTestingT of an in-process run: the outcome is read from the report.
type failT struct{}

func (*failT) Fail() {}

// declare registers the profiles' specs and the hooks that keep per-spec transcripts.
func declare(b *binding, book *cite.Book, o Options, p *progress) {
	for _, name := range b.profiles {
		doc, _ := profile.Get(name) // selectProfiles and List accept only registered names
		e := &env.Env{Profile: name, Wire: doc.Wire, Client: b.client, Config: b.cfg.Section(name), Strict: o.Strict, MaxWait: o.MaxWait, Sinks: b.sinks, Race: o.Race.WithDefaults(), Proofs: b.proofs, Explore: o.Explore.WithDefaults()}
		if e.Config == nil {
			e.Config = &config.Profile{} // dry run (conform list) without a section
		}
		register := registrars[name]
		if r, ok := o.registrars[name]; ok {
			register = r
		}
		register(book, e)
	}
	declareBadSpecs(book)
	ginkgo.BeforeEach(func() {
		if b.client != nil {
			b.noteActivity() // the previous spec's, its cleanups included
			b.client.Transcript().Reset()
		}
	})
	ginkgo.AfterEach(func() {
		if b.client != nil && (ginkgo.CurrentSpecReport().Failed() || o.Verbose) {
			ginkgo.AddReportEntry(exchangesEntry, b.client.Transcript().Exchanges(), ginkgo.ReportEntryVisibilityNever)
		}
	})
	if p != nil {
		ginkgo.ReportAfterEach(p.spec)
	}
}

const exchangesEntry = "conform-exchanges"

// labelFilter combines the profile selection, the should gate and the user's filter, which is
// parsed first: Ginkgo exits the process on a filter it cannot parse.
func labelFilter(o Options, profiles []string) (string, error) {
	parts := []string{"(" + strings.Join(profiles, " || ") + ")"}
	if !o.Strict {
		parts = append(parts, "!"+string(cite.Should))
	}
	if f := strings.TrimSpace(o.LabelFilter); f != "" {
		if _, err := types.ParseLabelFilter(f); err != nil {
			return "", usage("--label-filter %q is not a valid filter: %s (example: 'ttl || per-ip', '!security')", f, strings.Join(strings.Fields(labelErr(err)), " "))
		}
		parts = append(parts, "("+f+")")
	}
	return strings.Join(parts, " && "), nil
}

func labelErr(err error) string {
	if ge, ok := err.(types.GinkgoError); ok {
		return ge.Message
	}
	return err.Error()
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 10 * time.Second
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return o
}

// selectProfiles checks the asked-for profiles against those with specs and config sections.
func selectProfiles(asked []string, cfg *config.File, embedded bool) ([]string, error) {
	avail := Available()
	if len(asked) == 0 {
		if embedded {
			return avail, nil
		}
		for _, p := range cfg.Present() {
			if slices.Contains(avail, p) {
				asked = append(asked, p)
			}
		}
		if len(asked) == 0 {
			return nil, usage("config %s has no section for a profile with specs (%s)", cfg.Path, strings.Join(avail, ", "))
		}
		return asked, nil
	}
	var out []string
	for _, p := range asked {
		if !slices.Contains(profile.Names(), p) {
			return nil, usage("--profile %q is not a profile; known: %s", p, strings.Join(profile.Names(), ", "))
		}
		if !slices.Contains(avail, p) {
			return nil, usage("--profile %s has no specs yet; profiles with specs: %s", p, strings.Join(avail, ", "))
		}
		if cfg.Section(p) == nil {
			return nil, usage("config %s has no %s section: add one (see fixtures/%s.example.yaml)", cfg.Path, p, p)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	// Report order is the documents' order, whatever order the flags came in.
	slices.SortFunc(out, func(a, b string) int { return slices.Index(avail, a) - slices.Index(avail, b) })
	return out, nil
}

var _ ginkgo.GinkgoTestingT = (*failT)(nil)
