//go:build !nogui

package main

import "github.com/camdeck/camdeck/app/gui"

// window opens camdeck's window and returns the exit code.
func window(args []string) int {
	return gui.Main(args)
}
