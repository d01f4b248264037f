package gui

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestLocaleBeforeFyne: in the POSIX "C.UTF-8" locale of containers and
// CI machines, Fyne's locale lookup (in a package init) logs no error,
// because internal/locale's init ran before it. It runs this test binary
// again with that locale, which runs every package init and no test.
func TestLocaleBeforeFyne(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "LC_ALL" && k != "LC_MESSAGES" && k != "LANG" && k != "LANGUAGE" {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "LANG=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(string(out), "locale") {
		t.Fatalf("Fyne read the locale before internal/locale steered it:\n%s", out)
	}
}
