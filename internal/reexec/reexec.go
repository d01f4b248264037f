// Package reexec lets a test binary stand in for the camdeck binary. A
// test that needs camdeck as a process of its own (signals, kill -9, a
// real window) runs its own executable again with an environment variable
// set, and the package's TestMain hands over to the program's main
// instead of running the tests. So no test has to `go build` the whole
// program, which on a fresh machine is a second full build of Fyne and
// FFmpeg's bindings beside the test build.
package reexec

import (
	"context"
	"os"
	"os/exec"
)

// envVar marks a process started by Command.
const envVar = "CAMDECK_REEXEC_MAIN"

// Main hands the process over to main when Command started it: it runs
// main with the command-line arguments and exits with its code. Otherwise
// it returns at once. Call it first in TestMain.
func Main(main func(args []string) int) {
	if os.Getenv(envVar) != "1" {
		return
	}
	// camdeck's own children (ffmpeg, a browser) are not test binaries.
	os.Unsetenv(envVar)
	os.Exit(main(os.Args[1:]))
}

// Command is the running test binary started as the program, with args.
// Its Env is set: add to it (cmd.Env = append(cmd.Env, ...)) rather than
// replacing it.
func Command(ctx context.Context, args ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), envVar+"=1")
	return cmd
}
