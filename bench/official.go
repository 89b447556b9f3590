package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// officialResult is (a) measured on the official dev server.
type officialResult struct {
	emptyResult
	// Store says how the dev server persisted: in memory, or a SQLite file.
	Store string
}

// runOfficialEmpty runs (a) against `temporal server start-dev` when the
// temporal CLI is on PATH; nil, nil when it is not installed (the bench never
// installs it: go install github.com/temporalio/cli/cmd/temporal@v1.5.1).
func (h *Harness) runOfficialEmpty(ctx context.Context) (*officialResult, error) {
	bin, err := exec.LookPath("temporal")
	if err != nil {
		return nil, nil
	}
	port, err := freeBlock(2)
	if err != nil {
		return nil, err
	}
	ui := port + 1
	args := []string{"server", "start-dev", "--headless", "--ip", "127.0.0.1",
		"--port", strconv.Itoa(port), "--ui-port", strconv.Itoa(ui), "--log-level", "error"}
	store := "in-memory SQLite"
	if f := os.Getenv("BENCH_OFFICIAL_DB_FILE"); f != "" {
		// A file makes it persist like the embedded server does (to SQLite
		// rather than PostgreSQL).
		if f == "1" {
			f = filepath.Join(h.Tmp, "temporal-dev.db")
		}
		args = append(args, "--db-filename", f)
		store = "SQLite file"
	}
	cmd := exec.Command(bin, args...)
	log := &syncBuffer{}
	var out io.Writer = log
	if h.Opts.Verbose {
		out = io.MultiWriter(log, prefixWriter("   [temporal] ", os.Stderr))
	}
	cmd.Stdout, cmd.Stderr = out, out
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	hostPort := fmt.Sprintf("127.0.0.1:%d", port)
	c, err := dialTemporal(ctx, hostPort, "default", time.Minute)
	if err != nil {
		select {
		case <-done:
			return nil, fmt.Errorf("temporal server start-dev exited: %s", tail(log.String(), 20))
		default:
		}
		return nil, err
	}
	c.Close()
	h.progress("official dev server (%s) ready in %s on %s; starting %d empty workflows from %d callers",
		store, time.Since(began).Round(10*time.Millisecond), hostPort, h.Opts.Workflows, h.Opts.Callers)
	res, err := runEmpty(ctx, hostPort, "default", h.Opts.Workflows, h.Opts.Callers, h.Opts.Pollers)
	if err != nil {
		return nil, errors.Join(err, errors.New(tail(log.String(), 10)))
	}
	if rss, _, err := procMemory(cmd.Process.Pid); err == nil {
		h.progress("official dev server rss after (a): %s", mib(rss))
	}
	return &officialResult{emptyResult: res, Store: store}, nil
}
