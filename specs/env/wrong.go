package env

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"
)

// ConfigWrongEntry names the report entry ConfigWrong adds to a spec, which the runner reads.
const ConfigWrongEntry = "conform-config-wrong"

// ConfigWrong skips the running spec because a value of the config proved wrong against the
// target (not missing: wrong, like a signing key the target does not verify). Such a spec
// cannot check what it claims, so it must not pass; nor has the target been shown to fail.
// The runner lists the problem and the run's verdict is a config error (exit code 2) rather
// than a pass. field is the config path, e.g. jwt.jwt.secret; why starts lower-case.
func ConfigWrong(field, why string) {
	ginkgo.GinkgoHelper()
	msg := fmt.Sprintf("%s %s", field, why)
	ginkgo.AddReportEntry(ConfigWrongEntry, msg, ginkgo.ReportEntryVisibilityNever)
	ginkgo.Skip(msg)
}
