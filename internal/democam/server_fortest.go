package democam

// TB is the part of testing.TB that StartForTest uses; it is spelled out
// so that camdeck's own binary, which serves the demo camera too, does
// not link the testing package.
type TB interface {
	Helper()
	Fatal(args ...any)
	Cleanup(func())
}

// StartForTest starts s for a test, on 127.0.0.1 and a free port unless
// s.Addr says otherwise, fails the test if it cannot, and closes it when
// the test ends. It returns s, so that a test can write
// srv := democam.StartForTest(t, &democam.Server{Frames: 50}).
func StartForTest(t TB, s *Server) *Server {
	t.Helper()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// ServeFileForTest serves the H.264 clip in file (MP4 or Annex-B) as
// StartForTest does.
func ServeFileForTest(t TB, file string) *Server {
	t.Helper()
	clip, err := LoadClip(file)
	if err != nil {
		t.Fatal(err)
	}
	return StartForTest(t, &Server{Clip: clip})
}
