# camdeck: two set-up commands on a fresh Debian/Ubuntu machine:
#   make run    the window with the demo camera
#   make test   vet, tests with the race detector, short fuzz runs

GO      ?= go
BIN     := bin/camdeck
SUDO    := $(if $(filter 0,$(shell id -u)),,sudo)

# Debian packages: the FFmpeg libraries go-astiav links, the OpenGL/X11
# headers Fyne builds against, ALSA's for oto (sound), and what the tests
# use as independent parts (ffmpeg, GStreamer's RTSP server, Xvfb,
# ImageMagick, xdotool, Chromium, a D-Bus bus with GNOME Keyring as the
# Secret Service passwords go to, a PulseAudio server with parec and
# ALSA's pulse plugin for the sound test).
BUILD_PKGS := gcc pkg-config \
	libavcodec-dev libavformat-dev libavutil-dev libswscale-dev \
	libavfilter-dev libavdevice-dev libswresample-dev \
	libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev libasound2-dev
TEST_PKGS := ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0 \
	gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
	gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly \
	xvfb xauth imagemagick xdotool chromium fonts-dejavu-core \
	dbus-daemon gnome-keyring \
	pulseaudio pulseaudio-utils libasound2-plugins

# Fuzz targets run briefly in `make test`; longer with FUZZTIME=10m.
FUZZTIME ?= 10s
FUZZ := $(shell grep -rhoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | sed 's/^func //')

.PHONY: all deps build run test fuzz bench package clean

all: build

# deps installs only what is missing, so a second run costs nothing.
deps:
	@missing=$$(for p in $(BUILD_PKGS) $(TEST_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go 1.26 is needed: https://go.dev/dl/"; exit 1; }

build: deps
	$(GO) build -o $(BIN) .

run: build
	./$(BIN)

# TESTFLAGS adds go test flags: make test TESTFLAGS=-v shows each test's time.
TESTFLAGS ?=

test: deps
	$(GO) vet ./...
	$(GO) test -race -timeout 30m $(TESTFLAGS) ./...
	@$(MAKE) --no-print-directory fuzz

fuzz:
	@for f in $(FUZZ); do \
		pkg=$$(grep -rl --include='*_test.go' "^func $$f(" . | head -1 | xargs dirname); \
		echo "fuzz $$f ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

bench: deps
	$(GO) run ./bench

# package makes bin/camdeck.tar.xz: the binary, the .desktop file and the
# icon, with a Makefile that installs them (tar xf, then make install).
# fyne package counts builds in FyneApp.toml; the file is put back, so
# packaging leaves the tree as it was.
package: deps
	@mkdir -p bin
	cp FyneApp.toml bin/FyneApp.toml.orig
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package --os linux --release; \
		status=$$?; mv bin/FyneApp.toml.orig FyneApp.toml; exit $$status
	mv camdeck.tar.xz bin/

clean:
	rm -rf bin
