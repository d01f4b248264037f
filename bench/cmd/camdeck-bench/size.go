package main

import (
	"fmt"
)

// size is a WxH flag value; 0x0 means the stream's own size.
type size struct{ W, H int }

func (s *size) String() string { return fmt.Sprintf("%dx%d", s.W, s.H) }

func (s *size) Set(v string) error {
	if v == "" || v == "full" {
		*s = size{}
		return nil
	}
	if _, err := fmt.Sscanf(v, "%dx%d", &s.W, &s.H); err != nil || s.W < 0 || s.H < 0 {
		return fmt.Errorf("bench: size %q: want WxH or full", v)
	}
	return nil
}
