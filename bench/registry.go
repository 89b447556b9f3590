package main

import (
	"context"
	"fmt"
	"sort"
)

// Bench is one measurement. Run gets a harness that gives it fresh
// databases and `cascade serve` children (cleaned up when Run returns) and
// prints its rows; Run returns an error only when it could not measure.
type Bench struct {
	// Name is what -only selects: short, stable ("a", "b", "reports-500").
	Name string
	// Title is one line for -list and the progress log.
	Title string
	// Order sorts the registry: baselines first, so that later benches can
	// compute ratios against figures already in Harness.Results.
	Order int
	Run   func(ctx context.Context, h *Harness) error
}

var registry []Bench

// register adds benches; call it from an init function in the bench's file.
func register(bs ...Bench) {
	for _, b := range bs {
		if _, dup := lookup(b.Name); dup {
			panic(fmt.Sprintf("bench %q registered twice", b.Name))
		}
		registry = append(registry, b)
	}
	sort.SliceStable(registry, func(i, j int) bool { return registry[i].Order < registry[j].Order })
}

func lookup(name string) (Bench, bool) {
	for _, b := range registry {
		if b.Name == name {
			return b, true
		}
	}
	return Bench{}, false
}

func names() []string {
	var ns []string
	for _, b := range registry {
		ns = append(ns, b.Name)
	}
	return ns
}
