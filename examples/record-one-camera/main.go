// This example records one camera to fragmented MP4 for 30 seconds with
// the same engine as camdeck: a player.Session pulls the stream and a
// recorder.Recorder, attached as a sink, writes the files.
//
//	go run ./examples/record-one-camera rtsp://user:pass@camera/stream
package main

import (
	"fmt"
	"log"
	"os"
	"sync"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/recorder"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: record-one-camera URL")
	}
	done := make(chan struct{})
	var once sync.Once
	stop := func() { once.Do(func() { close(done) }) }
	var rec *recorder.Recorder
	rec = &recorder.Recorder{
		Dir:       "recordings",
		Camera:    "example",
		Duration:  30 * time.Second,
		OnSegment: func(path string, d time.Duration) { fmt.Println(path, d) },
		OnError: func(err error) {
			log.Println(err)
			if rec.Status().Stopped { // else it retries in a new file
				stop()
			}
		},
		OnLimit: stop,
	}
	sess := &player.Session{URL: os.Args[1]}
	sess.AddSink(rec, recorder.QueueSize)
	if err := sess.Start(); err != nil {
		log.Fatal(err)
	}
	defer sess.Close()
	<-done
	sess.RemoveSink(rec) // finishes the file
	rec.Close()
}
