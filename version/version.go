// Package version says which conform is running, from the build info the Go toolchain embeds:
// the module version (a tag for `go install github.com/conformhq/conform/cmd/conform@v1.2.3`,
// "(devel)" for a build from a checkout) and the VCS revision, time and dirty flag of a build
// from a git checkout.
package version

import (
	"runtime/debug"
	"strings"
)

// Info is the running build's identity.
type Info struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
}

// Get reads the build info; a binary without one (rare: built by other means) says "unknown".
func Get() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Module: "github.com/conformhq/conform", Version: "unknown"}
	}
	return fromBuildInfo(bi)
}

func fromBuildInfo(bi *debug.BuildInfo) Info {
	in := Info{Module: bi.Main.Path, Version: bi.Main.Version, Go: bi.GoVersion}
	if in.Version == "" {
		in.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// Short is the version in one word: the module version, and for a development build the
// first 12 characters of the revision, marked "+dirty" when the tree had changes.
func (in Info) Short() string {
	v := in.Version
	if in.Revision != "" && (v == "(devel)" || strings.Contains(v, "-0.")) {
		rev := in.Revision[:min(12, len(in.Revision))]
		if in.Modified {
			rev += "+dirty"
		}
		v += " " + rev
	}
	return v
}

// String is the version line of `conform version`.
func (in Info) String() string {
	var b strings.Builder
	b.WriteString("conform " + in.Version)
	if in.Revision != "" {
		b.WriteString("\n  revision " + in.Revision)
		if in.Modified {
			b.WriteString(" (modified)")
		}
	}
	if in.Time != "" {
		b.WriteString("\n  built from a commit of " + in.Time)
	}
	b.WriteString("\n  module " + in.Module + ", " + in.Go)
	return b.String()
}
