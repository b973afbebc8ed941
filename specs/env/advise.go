package env

import (
	"github.com/onsi/ginkgo/v2"
)

// AdvisoryEntry names the report entry Advise adds to a spec, which the runner reads.
const AdvisoryEntry = "conform-advisory"

// Advisory is a finding worth knowing that is not a failure, even under --strict: the
// documents allow it (doc 002 echoes the password it was sent) or are silent on it, and a
// security reviewer would still ask (an answer that tells an unknown user from a wrong
// password, no throttling). Advisories are listed in the summary and the reports and never
// change the verdict or the exit code.
type Advisory struct {
	// Finding says what the target did, starting lower-case, e.g. "no throttling seen
	// after 20 wrong passwords".
	Finding string `json:"finding"`
	// Reference names the practice the finding goes against, e.g. "OWASP ASVS 4.0.3 V2.2.1".
	Reference string `json:"reference"`
}

// Advise records an advisory on the running spec; the spec goes on. The runner collects it
// with the spec's requirement and masks the run's secrets in it, as in every output.
func Advise(finding, reference string) {
	ginkgo.GinkgoHelper()
	ginkgo.AddReportEntry(AdvisoryEntry, Advisory{Finding: finding, Reference: reference}, ginkgo.ReportEntryVisibilityNever)
}
