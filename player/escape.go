package player

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes a text from a camera or a file safe to print or show: every
// non-printable rune is written as strconv.Quote writes it (\x1b, \a, \x00,
// \u200b) and every byte that is not UTF-8 as \xff, so no escape sequence
// reaches a terminal and nothing invisible reaches a window. Printable text
// and spaces are kept as they are.
func Escape(s string) string {
	if isPrintable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case r == ' ' || unicode.IsPrint(r):
			b.WriteString(s[i : i+n])
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}

func isPrintable(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return false
			}
		}
		if r != ' ' && !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
