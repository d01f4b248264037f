//go:build unix

package recorder

import (
	"os"
	"syscall"
)

// lockFile marks a file as being written: an advisory lock that the
// kernel drops when the writer exits, however it exits.
func lockFile(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// lockedByWriter tells whether another process holds a file's lock.
func lockedByWriter(f *os.File) bool {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return err != nil
}
