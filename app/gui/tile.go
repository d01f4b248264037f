package gui

import (
	"context"
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/camdeck/camdeck/player/decode"
)

// tile shows one camera: its video scaled to the tile with the aspect
// kept, its name and state, its recording, and on demand its stats.
type tile struct {
	widget.BaseWidget
	cam *camera

	img      *canvas.Image
	message  *tipLabel // centred when there is no live picture
	msgBox   *fyne.Container
	name     *tipLabel
	state    *tipLabel
	recDot   *canvas.Circle
	recText  *canvas.Text
	recBox   *fyne.Container // dot and time: hidden when not recording, so the name has the room
	stats    *widget.Label
	statsBox *fyne.Container
	bar      *fyne.Container
	caption  *fyne.Container // name, state, buttons
	border   *canvas.Rectangle
	recBtn   *iconButton
	snapBtn  *iconButton
	soundBtn *iconButton     // heard or silent (sound.go)
	volume   *widget.Slider  // the camera's volume, in the focused view
	volBox   *fyne.Container // the slider at its width; hidden in the grid
	focusBtn *iconButton
	retryBtn *widget.Button // failed or reconnecting: connect now

	feed     *feed              // shown now
	stopPump context.CancelFunc // ends the pump of feed's slot
	shownImg heldImage          // on screen
	srcW     int                // size of the stream, from the last frame
	srcH     int
	hasFrame bool
	lastShow time.Time         // when the last frame was shown
	shownNTP time.Time         // the sender's wallclock of the frame shown; zero: none
	dim      *canvas.Rectangle // over the last frame of a camera not live
	recOn    bool              // the record button shows stop
	frames   int               // presented, for tests
	dragging bool              // being dragged to another place in the grid
	dragFrom fyne.Position     // where the drag began
	zoom     zoomState         // the focused view's digital zoom
	crops    [2]*image.RGBA    // the zoomed part, copied out (zoom.go)
	cropTurn int               // which of crops is on screen
}

// heldImage is an image taken from a slot, to give back once not drawn.
type heldImage struct {
	img  *image.RGBA
	slot *decode.FrameSlot
}

func (h heldImage) release() {
	if h.img != nil {
		h.slot.Release(h.img)
	}
}

// Colours over the video: they do not follow the theme, video is dark.
var (
	tileBackground = color.NRGBA{R: 0x10, G: 0x10, B: 0x12, A: 0xff}
	overlayShade   = color.NRGBA{A: 0xa8}
	deadShade      = color.NRGBA{A: 0xa0} // the last frame of a camera not live: clearly not now
	recordRed      = color.NRGBA{R: 0xe5, G: 0x20, B: 0x20, A: 0xff}
)

func newTile(c *camera) *tile {
	t := &tile{cam: c}
	t.img = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleFastest}
	tips := c.ui.tips
	t.message = newTipLabel(tips, fyne.TextStyle{})
	t.message.Alignment = fyne.TextAlignCenter
	t.name = newTipLabel(tips, fyne.TextStyle{Bold: true})
	t.state = newTipLabel(tips, fyne.TextStyle{})
	t.recDot = canvas.NewCircle(recordRed)
	t.recText = canvas.NewText("", color.White)
	t.recText.TextStyle.Monospace = true
	t.stats = widget.NewLabel("")
	t.stats.TextStyle.Monospace = true
	t.dim = canvas.NewRectangle(deadShade)
	t.dim.Hide()
	t.border = canvas.NewRectangle(color.Transparent)
	t.border.StrokeWidth = 3
	t.recBtn = newIconButton(tips, recordIcon(), "Record (R)", c.toggleRecording)
	t.snapBtn = newIconButton(tips, theme.MediaPhotoIcon(), "Snapshot, full resolution (S)", c.snapshot)
	t.soundBtn = newIconButton(tips, theme.VolumeMuteIcon(), "", func() { c.ui.toggleSound(c) })
	t.focusBtn = newIconButton(tips, theme.ViewFullScreenIcon(), "Focus this camera (Enter); Escape goes back", func() { c.ui.toggleFocus(c) })

	dot := container.NewCenter(container.New(layout.NewGridWrapLayout(fyne.NewSize(12, 12)), t.recDot))
	t.recBox = container.NewHBox(dot, container.NewCenter(t.recText))
	t.recBox.Hide()
	t.volume = widget.NewSlider(0, fullVolume)
	t.volume.Step = 1
	t.volume.SetValue(float64(c.volume))
	t.volume.OnChanged = func(v float64) { c.setVolume(int(v)) }
	t.volBox = container.New(layout.NewGridWrapLayout(fyne.NewSize(volumeWidth, t.volume.MinSize().Height)), t.volume)
	t.volBox.Hide()
	right := container.NewHBox(t.recBox, t.focusBtn, t.volBox, t.soundBtn, t.snapBtn, t.recBtn)
	t.caption = container.New(captionLayout{name: t.name, state: t.state, right: right, spare: t.focusBtn}, t.name, t.state, right)
	t.bar = container.NewStack(canvas.NewRectangle(overlayShade), t.caption)
	t.statsBox = container.NewStack(canvas.NewRectangle(overlayShade), t.stats)
	t.retryBtn = widget.NewButtonWithIcon("Retry now", theme.ViewRefreshIcon(), func() { c.ui.retry(c) })
	t.retryBtn.Hide()
	t.msgBox = container.New(messageLayout{label: t.message, button: t.retryBtn},
		canvas.NewRectangle(overlayShade), t.message, t.retryBtn)
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer lays the overlays on the picture.
func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	over := container.NewBorder(container.NewHBox(t.statsBox), t.bar, nil, nil, t.msgBox)
	return widget.NewSimpleRenderer(container.NewStack(
		canvas.NewRectangle(tileBackground), t.img, t.dim, over, t.border))
}

// Resize asks the decoder for frames of the new size.
func (t *tile) Resize(s fyne.Size) {
	if s == t.Size() {
		return
	}
	t.BaseWidget.Resize(s)
	if t.feed != nil {
		t.feed.setOutputSize(t.outputSize())
	}
}

// Tapped selects the camera.
func (t *tile) Tapped(*fyne.PointEvent) { t.cam.ui.selectCamera(t.cam) }

// TappedSecondary opens the camera's menu.
func (t *tile) TappedSecondary(e *fyne.PointEvent) {
	t.cam.ui.selectCamera(t.cam)
	t.cam.ui.showCameraMenu(t.cam, e.AbsolutePosition)
}

// DoubleTapped focuses the camera, or goes back to the grid.
func (t *tile) DoubleTapped(*fyne.PointEvent) { t.cam.ui.toggleFocus(t.cam) }

// outputSize is the pixel size of the picture in the tile: the stream's
// aspect fitted in the tile. Before the first frame it is 0 x 0 (the
// stream's size), as the aspect is not known yet.
func (t *tile) outputSize() (int, int) {
	if t.srcW <= 0 || t.srcH <= 0 {
		return 0, 0
	}
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
		scale = c.Scale()
	}
	s := t.Size()
	tw, th := int(s.Width*scale), int(s.Height*scale)
	if tw < 2 || th < 2 {
		return 0, 0
	}
	w, h := tw, tw*t.srcH/t.srcW
	if h > th {
		w, h = th*t.srcW/t.srcH, th
	}
	if t.zoomed() { // the shown part at the screen's resolution: up to all of the stream's
		w, h = int(float64(w)*t.zoom.z), int(float64(h)*t.zoom.z)
		if w > t.srcW || h > t.srcH {
			w, h = t.srcW, t.srcH
		}
	}
	return max(w&^1, 2), max(h&^1, 2)
}

// attach shows another feed (nil: none) and pumps its frames.
func (t *tile) attach(f *feed) {
	if t.feed == f {
		return
	}
	if t.stopPump != nil {
		t.stopPump()
		t.stopPump = nil
	}
	t.feed = f
	if f == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.stopPump = cancel
	f.setOutputSize(t.outputSize())
	go t.pump(ctx, f.slot)
}

// pump hands the slot's frames to the presenter, which shows the newest
// with the other tiles' at its next update.
func (t *tile) pump(ctx context.Context, slot *decode.FrameSlot) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-slot.Ready():
			t.cam.ui.presenter.mark(t, slot)
		}
	}
}

// present shows the newest frame of slot and gives back the image it
// replaces: Fyne (2.6 and later) paints on the goroutine that runs fyne.Do,
// so once the canvas image points elsewhere nothing reads the old one.
func (t *tile) present(slot *decode.FrameSlot) {
	if t.feed == nil || t.feed.slot != slot {
		return
	}
	f := slot.Take()
	if f == nil {
		return
	}
	if f.SourceWidth != t.srcW || f.SourceHeight != t.srcH {
		t.srcW, t.srcH = f.SourceWidth, f.SourceHeight
		t.feed.setOutputSize(t.outputSize())
	}
	old := t.shownImg
	t.shownImg = heldImage{img: f.Image, slot: slot}
	t.reshow() // all of it, or the zoomed part
	old.release()
	t.frames++
	t.lastShow = time.Now()
	t.shownNTP = f.NTP
	if !t.hasFrame {
		t.hasFrame = true
		t.update()
	}
}
