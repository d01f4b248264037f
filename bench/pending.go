package main

import "context"

func (b *bench) record(ctx context.Context) error { return nil }
func (b *bench) memory(ctx context.Context) error { return nil }
func (b *bench) ffplay(ctx context.Context) error { return nil }
func (b *bench) gui(ctx context.Context) error    { return nil }
func (b *bench) micro(ctx context.Context) error  { return nil }
