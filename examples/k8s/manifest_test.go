// Package k8s holds the Kubernetes manifests of a distributed conform load (README.md). This
// machine has no cluster: the test decodes every object strictly into the k8s.io/api types (an
// unknown or misspelt field fails, as `kubectl apply --validate=strict` would) and checks that
// the objects agree with each other and with conform's flags. It does not check what only an API
// server checks (admission, defaults, quotas) or that the image runs.
package k8s

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/load"
	"github.com/conformhq/conform/profile"
)

const image = "ghcr.io/conformhq/conform:latest"

// decode reads the one object of file strictly into out, checking its apiVersion and kind.
func decode(t *testing.T, file, apiVersion, kind string, out any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("\n---")) {
		t.Fatalf("%s: one object per file", file)
	}
	var tm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(data, &tm); err != nil || tm.APIVersion != apiVersion || tm.Kind != kind {
		t.Fatalf("%s: %s %s (%v), want %s %s", file, tm.APIVersion, tm.Kind, err, apiVersion, kind)
	}
	if err := yaml.UnmarshalStrict(data, out); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// flag returns the value of --name=value in args.
func flag(args []string, name string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}

func TestManifests(t *testing.T) {
	var (
		secret      corev1.Secret
		pvc         corev1.PersistentVolumeClaim
		loadJ, merg batchv1.Job
	)
	decode(t, "secret.yaml", "v1", "Secret", &secret)
	decode(t, "results-pvc.yaml", "v1", "PersistentVolumeClaim", &pvc)
	decode(t, "load-job.yaml", "batch/v1", "Job", &loadJ)
	decode(t, "merge-job.yaml", "batch/v1", "Job", &merg)
	files, _ := filepath.Glob("*.yaml")
	if len(files) != 4 {
		t.Errorf("manifests %v: a new one needs its check here", files)
	}

	// The target config in the Secret is a config conform load accepts.
	cfgText, ok := secret.StringData["target.yaml"]
	if !ok {
		t.Fatal("secret.yaml: no target.yaml")
	}
	cfg, err := profile.Schema().ParseFor("target.yaml", []byte(cfgText), os.LookupEnv, config.Use{Profiles: []string{"jwt"}, LoginOnly: true})
	if err != nil {
		t.Fatalf("the Secret's target.yaml: %v", err)
	}

	// The load: an Indexed Job whose every pod runs one share.
	s := loadJ.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion || s.Completions == nil || s.Parallelism == nil || *s.Completions != *s.Parallelism {
		t.Fatalf("load-job.yaml: want completionMode Indexed with parallelism = completions")
	}
	n := int(*s.Completions)
	if s.BackoffLimit == nil || *s.BackoffLimit != 0 || s.ActiveDeadlineSeconds == nil {
		t.Error("load-job.yaml: want backoffLimit 0 (a retried share starts late) and an activeDeadlineSeconds")
	}
	pod := s.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever || len(pod.Containers) != 1 {
		t.Fatal("load-job.yaml: want one container, restartPolicy Never")
	}
	c := pod.Containers[0]
	if c.Image != image || c.Args[0] != "load" {
		t.Errorf("load-job.yaml: image %s args %v", c.Image, c.Args)
	}
	if got := flag(c.Args, "segments"); got != fmt.Sprint(n) {
		t.Errorf("load-job.yaml: --segments=%s, completions %d", got, n)
	}
	o := load.Options{Profile: flag(c.Args, "profile"), Scenario: flag(c.Args, "scenario"), Target: flag(c.Args, "target"), Config: cfg}
	if o.Rate, err = load.ParseRate(flag(c.Args, "rate")); err != nil {
		t.Fatal(err)
	}
	fmt.Sscan(flag(c.Args, "users"), &o.Users)
	for i := range n {
		t.Setenv("JOB_COMPLETION_INDEX", fmt.Sprint(i))
		if o.Segment, err = load.SegmentFromEnv(n); err != nil {
			t.Fatal(err)
		}
		if err := o.Normalize(); err != nil {
			t.Errorf("load-job.yaml, share %d: %v", i, err)
		}
	}
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	if idx := env["JOB_COMPLETION_INDEX"]; idx.ValueFrom == nil || idx.ValueFrom.FieldRef == nil ||
		idx.ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Error("load-job.yaml: JOB_COMPLETION_INDEX must be declared (from the completion index annotation) to expand in args")
	}
	if _, ok := env["START_AT"]; !ok || flag(c.Args, "start-at") != "$(START_AT)" {
		t.Error("load-job.yaml: --start-at=$(START_AT) with START_AT in env")
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.Name] = m.MountPath
	}
	vols := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		vols[v.Name] = v
	}
	if v := vols["target"]; v.Secret == nil || v.Secret.SecretName != secret.Name || flag(c.Args, "config") != mounts["target"]+"/target.yaml" {
		t.Error("load-job.yaml: --config must be the Secret's target.yaml where it is mounted")
	}
	if v := vols["results"]; v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != pvc.Name {
		t.Error("load-job.yaml: results must be the shared PVC")
	}
	if !slices.Contains(pvc.Spec.AccessModes, corev1.ReadWriteMany) {
		t.Error("results-pvc.yaml: the pods of the Job may run on several nodes: ReadWriteMany")
	}
	out := flag(c.Args, "output")
	if !strings.HasPrefix(out, mounts["results"]+"/") || !strings.Contains(out, "$(JOB_COMPLETION_INDEX)") {
		t.Errorf("load-job.yaml: --output=%s: want one file per share on the results volume", out)
	}

	// The merge step reads exactly the files the shares write.
	m := merg.Spec.Template.Spec
	if len(m.Containers) != 1 || m.Containers[0].Image != image || m.Containers[0].Args[0] != "report" {
		t.Fatal("merge-job.yaml: want one conform report container")
	}
	var want, got []string
	for i := range n {
		want = append(want, strings.ReplaceAll(out, "$(JOB_COMPLETION_INDEX)", fmt.Sprint(i)))
	}
	for _, a := range m.Containers[0].Args[1:] {
		if !strings.HasPrefix(a, "--") {
			got = append(got, a)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("merge-job.yaml reads %v, the shares write %v", got, want)
	}
	if v := m.Volumes; len(v) != 1 || v[0].PersistentVolumeClaim == nil || v[0].PersistentVolumeClaim.ClaimName != pvc.Name {
		t.Error("merge-job.yaml: results must be the shared PVC")
	}
}
