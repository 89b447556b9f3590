package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"time"
)

func init() {
	register(Bench{Name: "s", Title: "sign-in under attack: 200 concurrent wrong-password sign-ins while a real user signs in (peak RSS, the real user's latency)", Order: 60, Run: runSignIn})
}

var signInLine = regexp.MustCompile(`answers (map\[[^\]]*\]); peak RSS (\d+) kB; real user's sign-in \(5 tries\) min (\S+) median (\S+) max (\S+)`)

// runSignIn runs the API package's sign-in attack (TestSignInUnderAttack_Bench,
// the API server in a test process of its own on a fresh database) and
// reports it against issue 11's targets: peak RSS < 600 MiB, the real
// user's slowest sign-in < 2 s.
func runSignIn(ctx context.Context, h *Harness) error {
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-run", "^TestSignInUnderAttack_Bench$", "-v", "./api")
	cmd.Dir = h.Root
	cmd.Env = append(os.Environ(), "CASCADE_BENCH_SIGNIN=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("sign-in attack: %w: %s", err, out.String())
	}
	m := signInLine.FindStringSubmatch(out.String())
	if m == nil {
		return fmt.Errorf("sign-in attack: no result line in: %s", out.String())
	}
	kb, _ := strconv.Atoi(m[2])
	slowest, err := time.ParseDuration(m[5])
	if err != nil {
		return err
	}
	h.Row("s", "200 attackers, answers %s; peak RSS %d MiB (target < 600: %s); real user's sign-in median %s, slowest %s (target < 2 s: %s)",
		m[1], kb>>10, met(kb>>10 < 600), m[4], slowest.Round(time.Millisecond), met(slowest < 2*time.Second))
	return nil
}
