#!/usr/bin/python3
"""An independent RTSP server for interop tests: GStreamer's gst-rtsp-server
serving the H.264 track of an MP4 file on 127.0.0.1.

SPS and PPS come from the MP4's avcC and are sent only in the SDP
(sprop-parameter-sets), never in-band, as some cameras do.

usage: rtsp_server.py FILE.mp4 [PATH]
Prints "READY rtsp://127.0.0.1:PORT/PATH" once it listens on a free port.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[2] if len(sys.argv) > 2 else "stream"
    Gst.init(None)

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service("0")

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        '( filesrc location="%s" ! qtdemux ! h264parse config-interval=0 '
        '! rtph264pay name=pay0 pt=96 config-interval=0 )' % sys.argv[1].replace('"', '\\"')
    )
    factory.set_shared(False)  # every reader starts at the first keyframe
    server.get_mount_points().add_factory("/" + path, factory)

    if server.attach(None) == 0:
        sys.exit("cannot listen")
    print("READY rtsp://127.0.0.1:%d/%s" % (server.get_bound_port(), path), flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
