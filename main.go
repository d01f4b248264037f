// camdeck watches and records IP cameras. With no arguments it opens its
// window; with a command (record, snapshot, probe, serve) it runs headless.
//
// Built with -tags nogui,nodecode and CGO_ENABLED=0 it is a headless
// recorder without the window and without FFmpeg (see the README).
package main

import (
	"os"

	"github.com/camdeck/camdeck/app/cli"
	"github.com/camdeck/camdeck/internal/pprofenv"
)

func main() {
	pprofenv.Start()
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(window(os.Args[1:]))
}
