//go:build linux || freebsd || openbsd || netbsd

package gui

import (
	"context"
	"os"
	"time"

	"github.com/godbus/dbus/v5"
)

// trayTimeout bounds asking the session bus for a tray at start.
const trayTimeout = 2 * time.Second

// trayAvailable tells whether a system tray can show camdeck's icon: on
// these systems a StatusNotifierWatcher on the session bus. Fyne's tray
// needs the bus, and without one it crashes when the app quits (its
// systray closes a connection it never made); without a watcher the icon
// shows nowhere, and a hidden window could not come back.
func trayAvailable() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false // Fyne's systray would try dbus-launch
	}
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return false
	}
	defer conn.Close()
	if conn.Auth(nil) != nil || conn.Hello() != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), trayTimeout)
	defer cancel()
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0,
		"org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
