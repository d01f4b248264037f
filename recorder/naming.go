package recorder

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// timeLayout is the time in file names: sortable, and valid on every
// filesystem (no colons).
const timeLayout = "2006-01-02_15-04-05"

// SafeName turns a camera name into a folder and file name part: letters,
// digits, '-', '_' and '.' are kept, anything else becomes '_'. It never
// holds a URL's credentials because callers pass names, not URLs.
func SafeName(name string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(name) {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), "._")
	if s == "" {
		return "camera"
	}
	return s
}

// freeName returns dir/base+ext, or dir/base-N+ext for the first N that
// does not exist yet. When a name cannot be looked up at all (its folder
// is a file, the name is too long), it returns that name: creating the
// file then reports why.
func freeName(dir, base, ext string) string {
	p := filepath.Join(dir, base+ext)
	for n := 2; ; n++ {
		if _, err := os.Lstat(p); err != nil {
			return p
		}
		p = filepath.Join(dir, fmt.Sprintf("%s-%d%s", base, n, ext))
	}
}
