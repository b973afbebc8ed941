package suites

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/redact"
)

// maskGinkgoReports masks red's secrets in the report files Ginkgo writes itself under go
// test or the ginkgo CLI (-ginkgo.json-report, -ginkgo.junit-report, -ginkgo.teamcity-report):
// they carry failure messages and report entries as Ginkgo saw them. conform run's own
// reports are masked as they are written; these are masked in place once RunSpecs returns
// (under ginkgo -p, each process's report before the CLI merges them).
func maskGinkgoReports(red *redact.Redactor) error {
	_, rc := ginkgo.GinkgoConfiguration()
	var errs []error
	for _, path := range []string{rc.JSONReport, rc.JUnitReport, rc.TeamcityReport} {
		if path == "" {
			continue
		}
		if err := maskFile(path, red); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// maskFile masks red's secrets in one report file. A JSON report stays valid JSON: every
// string is masked on its own (a secret of digits may equal one of the report's numbers),
// then the encoded file again where that keeps it valid.
func maskFile(path string, red *redact.Redactor) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // Ginkgo wrote none (it was interrupted before the end)
	}
	if err != nil {
		return fmt.Errorf("mask the secrets in %s: %w", path, err)
	}
	out := red.Bytes(data)
	if bytes.Equal(out, data) {
		return nil // no secret in any form: the file stays as Ginkgo wrote it
	}
	if json.Valid(data) {
		var v any // numbers as float64, which Walk leaves alone (Ginkgo's are durations, < 2^53)
		if err := json.Unmarshal(data, &v); err == nil {
			red.Walk(&v)
			if enc, err := json.Marshal(v); err == nil {
				out = enc
				if masked := red.Bytes(enc); json.Valid(masked) {
					out = masked
				}
			}
		}
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("mask the secrets in %s: %w", path, err)
	}
	return nil
}
