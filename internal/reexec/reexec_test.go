package reexec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// echoMain stands for a program's main: it prints its arguments and
// whether the marker leaked into its environment, and exits with 3.
func echoMain(args []string) int {
	fmt.Printf("args=%s leaked=%t\n", strings.Join(args, ","), os.Getenv(envVar) != "")
	return 3
}

func TestMain(m *testing.M) {
	Main(echoMain)
	os.Exit(m.Run())
}

// TestCommand runs this test binary as echoMain: the arguments arrive as
// given (none of the test flags), the exit code is main's, and the marker
// does not reach main's own children.
func TestCommand(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := Command(ctx, "record", "--for", "1s", "-test.run=X")
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("exit %v, want code 3; output %q", err, out)
	}
	if got, want := string(out), "args=record,--for,1s,-test.run=X leaked=false\n"; got != want {
		t.Fatalf("output %q, want %q", got, want)
	}
}

// TestNotMarked: without the marker, Main returns and the tests run (this
// test running at all is the proof); a process that has the variable
// set to something else is not taken over either.
func TestNotMarked(t *testing.T) {
	t.Setenv(envVar, "0")
	Main(func([]string) int {
		t.Fatal("main ran without the marker")
		return 1
	})
}
