//go:build !linux

package speaker

// quietALSA does nothing: there is no ALSA.
func quietALSA() {}
