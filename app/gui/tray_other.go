//go:build !(linux || freebsd || openbsd || netbsd)

package gui

// trayAvailable tells whether a system tray can show camdeck's icon:
// macOS and Windows always have one.
func trayAvailable() bool { return true }
