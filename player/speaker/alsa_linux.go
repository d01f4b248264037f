package speaker

/*
#cgo pkg-config: alsa
#include <alsa/asoundlib.h>

// quiet drops what ALSA's library would print to stderr: each device name
// it tries and fails writes its own lines (a dozen on a machine without a
// sound card), where camdeck says the reason in one.
static void quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}

static void quietALSA(void) { snd_lib_error_set_handler(quiet); }
*/
import "C"

// quietALSA keeps ALSA's library from printing; Open's error says why
// there is no sound.
func quietALSA() { C.quietALSA() }
