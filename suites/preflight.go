package suites

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/version"
)

// preflight proves the target answers before any spec is declared. A target that does not
// answer is a *client.UnreachableError; any other failure (a client address this machine
// cannot send from) is the config's to fix.
func preflight(ctx context.Context, b *binding) error {
	err := b.client.Preflight(ctx)
	var unreachable *client.UnreachableError
	if err == nil || errors.As(err, &unreachable) {
		return err
	}
	return &UsageError{Err: err}
}

// selection is what a run will run: the profiles, the label filter (the profiles, the should
// gate and the user's filter) and the focus, worked out before any spec runs.
type selection struct {
	// filter is the Ginkgo label filter of the run.
	filter string
	// focus are the --focus regexps.
	focus []string
	// specs holds the key (specKey) of each spec that will run.
	specs map[string]bool
	// profiles are the profiles with at least one spec that will run, in report order.
	profiles []string
}

// specKey names one spec of a run: its requirement and its text.
func specKey(id, text string) string { return id + "\x00" + text }

// selectSpecs walks the spec tree of b's profiles without running it and returns what the
// options select. A spec that does not register is a *RegistrationError naming every such
// spec; a --focus that is not a regexp, and a selection that runs no spec (like Ginkgo's
// --fail-on-empty), are *UsageErrors. Both are found before anything is sent.
func selectSpecs(b *binding, o Options) (*selection, error) {
	filter, err := labelFilter(o, b.profiles)
	if err != nil {
		return nil, err
	}
	for _, f := range o.Focus {
		if _, err := regexp.Compile(f); err != nil {
			return nil, usage("--focus %q is not a regexp: %s (example: --focus 'expired|tampered')", f, oneLineErr(err))
		}
	}
	// The should gate is applied below, so that an empty selection can say it was the gate.
	matching, err := labelFilter(Options{Strict: true, LabelFilter: o.LabelFilter}, b.profiles)
	if err != nil {
		return nil, err
	}
	cfg, _ := ginkgo.GinkgoConfiguration()
	cfg.LabelFilter, cfg.FocusStrings = matching, o.Focus
	book, report := preview(b, o, cfg)
	if err := registrationError(book, report); err != nil {
		return nil, err
	}
	sel := &selection{filter: filter, focus: o.Focus, specs: map[string]bool{}}
	should := 0
	for _, sr := range report.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt || sr.State != types.SpecStatePassed {
			continue // not a spec, or filtered out
		}
		req, _ := book.Requirement(cite.IDFromLabels(sr.Labels())) // registrationError found none unknown
		if req.Level == cite.Should && !o.Strict {
			should++
			continue
		}
		sel.specs[specKey(req.ID, sr.LeafNodeText)] = true
		if !slices.Contains(sel.profiles, req.Profile) {
			sel.profiles = append(sel.profiles, req.Profile)
		}
	}
	if len(sel.specs) == 0 {
		return nil, emptySelection(b.profiles, o, should)
	}
	slices.SortFunc(sel.profiles, func(x, y string) int { return slices.Index(b.profiles, x) - slices.Index(b.profiles, y) })
	return sel, nil
}

// emptySelection says that nothing would run, and why: the user's filters, or the should
// gate when only should-level specs match them.
func emptySelection(profiles []string, o Options, should int) error {
	var by []string
	if f := strings.TrimSpace(o.LabelFilter); f != "" {
		by = append(by, fmt.Sprintf("--label-filter %q", f))
	}
	for _, f := range o.Focus {
		by = append(by, fmt.Sprintf("--focus %q", f))
	}
	what := "the selection"
	if len(by) > 0 {
		what = strings.Join(by, " with ")
	}
	if should > 0 {
		return usage("nothing to run: %s selects only should-level specs of %s (%d): add --strict to run them", what, strings.Join(profiles, ", "), should)
	}
	return usage("nothing to run: %s selects no spec of %s (`conform list` shows each spec's text and labels)", what, strings.Join(profiles, ", "))
}

// oneLineErr is err's message on one line.
func oneLineErr(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// checkAccounts logs each account of the selected profiles in once, before any spec runs
// (accounts with two_factor excepted: see profile.Document.CheckAccountsNoting). What it can show
// is the config's (an account refused as wrong credentials, a base path or probe path that is
// not there) is a *profile.AccountError or *profile.ProbeError, one line each: a config to fix,
// not a target's failure to report spec by spec. What it met that is the target's (an answer in
// a shape the document does not have, doc 003's one-user-per-IP rule met because of it) becomes
// a note of the run, and the specs judge it. It checks the embedded reference's built-in
// accounts too: a few logins cost well under a second.
func checkAccounts(ctx context.Context, b *binding, profiles []string) error {
	var errs []error
	for _, name := range profiles {
		doc, _ := profile.Get(name)
		notes, err := doc.CheckAccountsNoting(ctx, b.client, b.cfg.Section(name), b.cfg.Path)
		b.notes = append(b.notes, notes...)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, profile.ErrThrottled) {
				break // the specs see the throttling, and it counts toward their abort
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// configReports writes the reports that were asked for when the preflight showed the config
// wrong (err from checkAccounts), so that a CI step that publishes them shows the same as the
// console: no spec, the verdict CONFIG ERROR, and each problem naming its field. It returns
// err, or the error of writing them.
func configReports(ctx context.Context, b *binding, o Options, err error) error {
	var ae *profile.AccountError
	var pe *profile.ProbeError
	if ctx.Err() != nil || !errors.As(err, &ae) && !errors.As(err, &pe) {
		return err
	}
	res := &Result{Target: b.targetURL(), Embedded: b.embedded, Strict: o.Strict, Profiles: b.profiles,
		StartedAt: time.Now(), ConformVersion: version.Get().Short()}
	for _, line := range strings.Split(err.Error(), "\n") {
		res.ConfigProblems = append(res.ConfigProblems, "preflight: "+line)
	}
	res.judge()
	if werr := writeReports(res, o, b.redact); werr != nil {
		return fmt.Errorf("%w; and the reports: %v", err, werr)
	}
	return err
}
