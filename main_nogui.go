//go:build nogui

package main

import (
	"fmt"
	"os"

	"github.com/camdeck/camdeck/app/cli"
)

// window, in a build without the GUI (-tags nogui), says so and lists the
// commands instead.
func window([]string) int {
	fmt.Fprintln(os.Stderr, "camdeck: this build has no window (-tags nogui); use one of its commands")
	cli.Main([]string{"help"}, &cli.Env{Stdout: os.Stderr, Stderr: os.Stderr})
	return 2
}
