package suites

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/conformhq/conform/redact"
)

// FormatVersion is the JSON report's format_version (docs/report.schema.json): its minor
// part grows with fields added, its major part with fields changed or removed.
const FormatVersion = "1.1"

// writeReports writes the JSON, JUnit and HTML reports that were asked for, with red's secrets
// masked: in every string of the report before it is encoded, and in the encoded file again,
// so that a secret learned late, or a field added later, cannot slip through.
func writeReports(res *Result, o Options, red *redact.Redactor) error {
	res.DurationMS = res.Duration.Milliseconds()
	res.FormatVersion = FormatVersion
	if o.JSONReport != "" {
		red.Walk(res)
		data, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return fmt.Errorf("encode JSON report: %w", err)
		}
		// The encoded file is masked again, but never made invalid: a secret of digits (a
		// 2FA code) may equal one of the report's own numbers (a duration). Every string was
		// masked by Walk already; conform's numbers carry no secret.
		if masked := red.Bytes(data); json.Valid(masked) {
			data = masked
		}
		if err := os.WriteFile(o.JSONReport, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("write JSON report: %w", err)
		}
	}
	if o.JUnitReport != "" {
		if err := writeJUnit(res, o.JUnitReport, red); err != nil {
			return err
		}
	}
	if o.HTMLReport != "" {
		if err := writeHTML(res, o.HTMLReport, red); err != nil {
			return err
		}
	}
	return nil
}
