package democam

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// handler answers the RTSP requests of a Server's readers.
type handler Server

func (h *handler) checkAccess(conn *gortsplib.ServerConn, req *base.Request, path string) (*base.Response, error) {
	if h.User != "" && !conn.VerifyCredentials(req, h.User, h.Pass) {
		return &base.Response{StatusCode: base.StatusUnauthorized}, liberrors.ErrServerAuth{}
	}
	if p := strings.Trim(path, "/"); p != h.Path && !strings.HasPrefix(p, h.Path+"/") {
		return &base.Response{StatusCode: base.StatusNotFound}, fmt.Errorf("no stream at %q", p)
	}
	return nil, nil
}

// OnDescribe implements gortsplib.ServerHandlerOnDescribe.
func (h *handler) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if res, err := h.checkAccess(ctx.Conn, ctx.Request, ctx.Path); res != nil {
		return res, nil, err
	}
	if h.shared != nil {
		return &base.Response{StatusCode: base.StatusOK}, h.shared.stream, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.pending[ctx.Conn]
	if f == nil {
		var err error
		if f, err = newFeed((*Server)(h)); err != nil {
			return &base.Response{StatusCode: base.StatusInternalServerError}, nil, err
		}
		h.pending[ctx.Conn] = f
	}
	return &base.Response{StatusCode: base.StatusOK}, f.stream, nil
}

// OnSetup implements gortsplib.ServerHandlerOnSetup.
func (h *handler) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if res, err := h.checkAccess(ctx.Conn, ctx.Request, ctx.Path); res != nil {
		return res, nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if r := h.readers[ctx.Session]; r != nil {
		return &base.Response{StatusCode: base.StatusOK}, r.feed.stream, nil
	}
	f := h.shared
	if f == nil {
		if f = h.pending[ctx.Conn]; f != nil {
			delete(h.pending, ctx.Conn)
		} else {
			var err error
			if f, err = newFeed((*Server)(h)); err != nil {
				return &base.Response{StatusCode: base.StatusInternalServerError}, nil, err
			}
		}
	}
	h.readers[ctx.Session] = &reader{feed: f}
	return &base.Response{StatusCode: base.StatusOK}, f.stream, nil
}

// OnPlay implements gortsplib.ServerHandlerOnPlay.
func (h *handler) OnPlay(ctx *gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.readers[ctx.Session]
	if r == nil {
		return &base.Response{StatusCode: base.StatusBadRequest}, errors.New("PLAY without SETUP")
	}
	r.feed.start()
	if h.DropAfter > 0 && r.drop == nil {
		r.drop = time.AfterFunc(h.DropAfter, ctx.Session.Close)
	}
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnSessionClose implements gortsplib.ServerHandlerOnSessionClose.
func (h *handler) OnSessionClose(ctx *gortsplib.ServerHandlerOnSessionCloseCtx) {
	h.mu.Lock()
	r := h.readers[ctx.Session]
	delete(h.readers, ctx.Session)
	h.mu.Unlock()
	if r == nil {
		return
	}
	if r.drop != nil {
		r.drop.Stop()
	}
	if r.feed != h.shared {
		r.feed.close()
	}
}

// OnConnClose implements gortsplib.ServerHandlerOnConnClose.
func (h *handler) OnConnClose(ctx *gortsplib.ServerHandlerOnConnCloseCtx) {
	h.mu.Lock()
	f := h.pending[ctx.Conn]
	delete(h.pending, ctx.Conn)
	h.mu.Unlock()
	if f != nil {
		f.close()
	}
}
