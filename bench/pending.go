package main

import "context"

func (b *bench) ffplay(ctx context.Context) error { return nil }
func (b *bench) gui(ctx context.Context) error    { return nil }
func (b *bench) micro(ctx context.Context) error  { return nil }
