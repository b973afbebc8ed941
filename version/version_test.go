package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	in := fromBuildInfo(&debug.BuildInfo{GoVersion: "go1.26", Main: debug.Module{Path: "github.com/conformhq/conform", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}}})
	if got, want := in.Short(), "(devel) 0123456789ab+dirty"; got != want {
		t.Errorf("Short() = %q, want %q", got, want)
	}
	for _, want := range []string{"conform (devel)", "revision 0123456789abcdef0123 (modified)", "module github.com/conformhq/conform"} {
		if !strings.Contains(in.String(), want) {
			t.Errorf("String() lacks %q:\n%s", want, in)
		}
	}
	tagged := fromBuildInfo(&debug.BuildInfo{Main: debug.Module{Path: "github.com/conformhq/conform", Version: "v1.2.3"}})
	if tagged.Short() != "v1.2.3" {
		t.Errorf("tagged Short() = %q", tagged.Short())
	}
}
