package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Serve is a `cascade serve` child process with an embedded Temporal server.
type Serve struct {
	// URL is the HTTP API's base (http://127.0.0.1:<port>).
	URL string
	// TemporalHostPort is the embedded server's frontend (127.0.0.1:<TEMPORAL_PORT>).
	TemporalHostPort string
	// Namespace is the Temporal namespace cascade registered.
	Namespace string
	// Ready is how long the process took from exec to GET /readyz = 200.
	Ready time.Duration
	// Token, when set, signs Call's requests (Authorization: Bearer).
	Token string
	// DebugURL serves the child's pprof profiles (DEBUG_ADDR).
	DebugURL string

	bin string
	*child
}

// child is a process the bench started: what it writes is kept (and, with
// -v, echoed to stderr, each line prefixed with its name).
type child struct {
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{}
}

// startChild starts cmd as a child named name.
func (h *Harness) startChild(cmd *exec.Cmd, name string) (*child, error) {
	c := &child{cmd: cmd, log: &syncBuffer{}, done: make(chan struct{})}
	var out io.Writer = c.log
	if h.Opts.Verbose {
		out = io.MultiWriter(c.log, prefixWriter("   ["+name+"] ", os.Stderr))
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(c.done) }()
	return c, nil
}

// StartServe runs `cascade serve` on db and waits until GET /readyz answers
// 200; it is stopped (SIGTERM, then SIGKILL after 20s) when the bench ends.
// env entries (KEY=value) override the defaults below.
func (h *Harness) StartServe(ctx context.Context, db *Database, env ...string) (*Serve, error) {
	bin, err := h.Cascade(ctx)
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	tport, err := freeBlock(8)
	if err != nil {
		return nil, err
	}
	debugPort, err := freePort()
	if err != nil {
		return nil, err
	}
	dataDir := filepath.Join(h.Tmp, "data-"+db.Name)
	s := &Serve{
		URL:              fmt.Sprintf("http://127.0.0.1:%d", httpPort),
		TemporalHostPort: fmt.Sprintf("127.0.0.1:%d", tport),
		Namespace:        "default",
		DebugURL:         fmt.Sprintf("http://127.0.0.1:%d", debugPort),
		bin:              bin,
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+db.URL,
		fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", httpPort),
		fmt.Sprintf("TEMPORAL_PORT=%d", tport),
		"TEMPORAL_ADDRESS=",
		"TEMPORAL_NAMESPACE="+s.Namespace,
		"TASK_QUEUE=cascade",
		"LOG_LEVEL=warn",
		"SMTP_URL=",
		"DATA_DIR="+dataDir,
		fmt.Sprintf("DEBUG_ADDR=127.0.0.1:%d", debugPort),
	)
	cmd.Env = append(cmd.Env, env...)
	began := time.Now()
	if s.child, err = h.startChild(cmd, "cascade"); err != nil {
		return nil, fmt.Errorf("start cascade serve: %w", err)
	}
	h.Cleanup(func() {
		t := time.Now()
		if err := s.Stop(20 * time.Second); err != nil {
			h.progress("stop cascade serve: %v", err)
		} else {
			h.progress("cascade serve stopped in %s", time.Since(t).Round(10*time.Millisecond))
		}
	})

	deadline := time.Now().Add(3 * time.Minute)
	for {
		if code, _ := s.get(ctx, "/readyz"); code == http.StatusOK {
			break
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("cascade serve exited before it was ready (%s); log:\n%s", s.cmd.ProcessState, tail(s.log.String(), 30))
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("cascade serve not ready within 3 minutes; log:\n%s", tail(s.log.String(), 30))
		}
	}
	s.Ready = time.Since(began)
	return s, nil
}

// PID is the child's process id.
func (c *child) PID() int { return c.cmd.Process.Pid }

// Memory reads the child's resident set (VmRSS) and its peak (VmHWM).
func (c *child) Memory() (rss, peak int64, err error) { return procMemory(c.PID()) }

// Log is what the child wrote so far.
func (c *child) Log() string { return c.log.String() }

// Stop sends SIGTERM and waits up to grace for the process to end, then kills it.
func (c *child) Stop(grace time.Duration) error {
	select {
	case <-c.done:
		return nil
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
		return nil
	case <-time.After(grace):
		_ = c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("did not stop within %s of SIGTERM: killed", grace)
	}
}

// Alive is false once the child has exited.
func (c *child) Alive() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// Call sends a JSON request to the API and decodes a JSON answer into out
// (when not nil); a status other than want is an error carrying the body.
func (s *Serve) Call(ctx context.Context, method, path string, body, out any, want int) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, bytes.TrimSpace(raw))
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: %w: %s", method, path, err, raw)
		}
	}
	return nil
}

func (s *Serve) get(ctx context.Context, path string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// procMemory reads VmRSS and VmHWM of a process from /proc/<pid>/status.
func procMemory(pid int) (rss, peak int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		fs := strings.Fields(v) // "123456 kB"
		if len(fs) < 1 {
			continue
		}
		n, err := strconv.ParseInt(fs[0], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %q: %w", k, v, err)
		}
		if k == "VmRSS" {
			rss = n * 1024
		} else {
			peak = n * 1024
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return rss, peak, sc.Err()
}

// freePort is a TCP port on 127.0.0.1 nobody listens on right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// freeBlock is the first of n consecutive free ports between 20000 and
// 32000: the embedded server stores membership ports as a smallint.
func freeBlock(n int) (int, error) {
	for try := 0; try < 200; try++ {
		base := 20000 + int(time.Now().UnixNano()/1000%int64(12000-n))
		free := true
		for i := 0; i < n && free; i++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+i))
			if err != nil {
				free = false
				continue
			}
			l.Close()
		}
		if free {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no block of %d free ports between 20000 and 32000", n)
}

// syncBuffer is a bytes.Buffer safe for the child's writes and our reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Keep the last few MiB: a long run must not grow without bound.
	if s.b.Len() > 4<<20 {
		rest := append([]byte(nil), s.b.Bytes()[s.b.Len()-1<<20:]...)
		s.b.Reset()
		s.b.Write(rest)
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// prefixWriter writes each line of its input to w with a prefix.
func prefixWriter(prefix string, w io.Writer) io.Writer {
	pr, pw := io.Pipe()
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			fmt.Fprintf(w, "%s%s\n", prefix, sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	return pw
}

// countErrors summarises the warn and error lines of a child's JSON log:
// "3 error, 1 warn; last: <msg>", or "" when there are none besides the
// expected SMTP warning.
func countErrors(log string) string {
	var nErr, nWarn int
	last := ""
	for _, l := range strings.Split(log, "\n") {
		var e struct {
			Level, Msg, Error string
		}
		if json.Unmarshal([]byte(l), &e) != nil {
			continue
		}
		switch strings.ToLower(e.Level) {
		case "error", "fatal", "panic", "dpanic":
			nErr++
		case "warn", "warning":
			if strings.Contains(e.Msg, "SMTP_URL is empty") {
				continue
			}
			nWarn++
		default:
			continue
		}
		last = e.Msg
		if e.Error != "" {
			last += ": " + e.Error
		}
	}
	if nErr+nWarn == 0 {
		return ""
	}
	if len(last) > 300 {
		last = last[:300] + "…"
	}
	return fmt.Sprintf("%d error, %d warn; last: %s", nErr, nWarn, last)
}

// Heap reads the child's Go heap as its pprof endpoint reports it: the
// runtime's figures (HeapInuse, HeapSys, Sys, NextGC …) and the n functions
// that hold the most live memory, from `go tool pprof -top`.
func (s *Serve) Heap(ctx context.Context, dir string, n int) (stats map[string]int64, top []string, err error) {
	fetch := func(path string) ([]byte, error) { return httpGet(ctx, s.DebugURL+path, 30) }
	text, err := fetch("/debug/pprof/heap?debug=1")
	if err != nil {
		return nil, nil, err
	}
	stats = map[string]int64{}
	for _, line := range strings.Split(string(text), "\n") {
		// "# HeapInuse = 123456"
		if name, val, ok := strings.Cut(strings.TrimPrefix(line, "# "), " = "); ok && line != name {
			if v, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64); err == nil {
				stats[name] = v
			}
		}
	}
	raw, err := fetch("/debug/pprof/heap")
	if err != nil {
		return stats, nil, err
	}
	file := filepath.Join(dir, fmt.Sprintf("heap-%d.pb.gz", s.PID()))
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		return stats, nil, err
	}
	out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-sample_index=inuse_space", fmt.Sprintf("-nodecount=%d", n), s.bin, file).Output()
	if err != nil {
		return stats, nil, fmt.Errorf("go tool pprof: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "flat") {
			return stats, lines[i+1:], nil
		}
	}
	return stats, lines, nil
}

// Metrics reads the child's /metrics and returns the samples of the named
// metrics (without labels they match every series of the name).
func (s *Serve) Metrics(ctx context.Context, names ...string) ([]string, error) {
	body, err := httpGet(ctx, s.URL+"/metrics", 10)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(body), "\n") {
		for _, n := range names {
			if strings.HasPrefix(line, n+" ") || strings.HasPrefix(line, n+"{") {
				out = append(out, line)
			}
		}
	}
	return out, nil
}
