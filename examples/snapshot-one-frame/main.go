// This example saves the first decoded frame of a camera as a JPEG: a
// decode.Decoder, attached to a session, puts frames in a FrameSlot.
//
//	go run ./examples/snapshot-one-frame rtsp://camera/stream frame.jpg
package main

import (
	"log"
	"os"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/recorder"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: snapshot-one-frame URL FILE.jpg")
	}
	dec := &decode.Decoder{Slot: decode.NewFrameSlot()}
	sess := &player.Session{URL: os.Args[1], Once: true}
	sess.AddSink(dec, 0)
	if err := sess.Start(); err != nil {
		log.Fatal(err)
	}
	defer sess.Close()

	for {
		select {
		case <-dec.Slot.Ready():
			if f := dec.Slot.Take(); f != nil {
				if err := recorder.WriteJPEG(os.Args[2], f.Image, recorder.SnapshotQuality); err != nil {
					log.Fatal(err)
				}
				return
			}
		case <-sess.Done():
			log.Fatal(sess.Wait())
		case <-time.After(20 * time.Second):
			log.Fatal("no frame within 20 s")
		}
	}
}
