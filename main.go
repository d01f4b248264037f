// camdeck watches and records IP cameras. With no arguments it opens its
// window; with a command (record, snapshot, probe, serve) it runs headless.
package main

import (
	"os"

	"github.com/camdeck/camdeck/app/cli"
	"github.com/camdeck/camdeck/app/gui"
)

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(gui.Main(os.Args[1:]))
}
