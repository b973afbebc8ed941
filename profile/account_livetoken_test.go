package profile_test

import (
	"os"
	"strings"
	"testing"

	"github.com/conformhq/conform/profile"
)

// TestEachDocumentNamesARequirementForItsLiveTokens: the requirement a run under load names
// when the load's live tokens are refused is one of the document's (the golden list).
func TestEachDocumentNamesARequirementForItsLiveTokens(t *testing.T) {
	golden, err := os.ReadFile("../fixtures/requirements.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range profile.All() {
		if !strings.HasPrefix(d.LiveToken, d.Name+".") || !strings.Contains(string(golden), "\n  - id: "+d.LiveToken+"\n") {
			t.Errorf("%s: LiveToken %q is not one of its requirements", d.Name, d.LiveToken)
		}
	}
}
