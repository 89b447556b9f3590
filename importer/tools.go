package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// ErrToolMissing is wrapped when a document tool (pdftotext, pdftoppm,
// tesseract, soffice) is not installed.
var ErrToolMissing = errors.New("document tool not installed")

// ErrTimeout is wrapped when reading a document took longer than its
// deadline allows.
var ErrTimeout = errors.New("document took too long to read")

// toolRun is one external program run: its output bounded, its time bounded
// by ctx and timeout, and its whole process group killed when either ends,
// so a converter that forks (soffice does) leaves nothing behind.
type toolRun struct {
	name    string
	args    []string
	stdin   []byte
	dir     string
	env     []string
	timeout time.Duration
	// maxOut bounds what is kept of stdout; beyond it the run fails.
	maxOut int
}

// boundedBuffer keeps at most max bytes and remembers that more came.
type boundedBuffer struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.max {
		b.over = true
		b.buf.Write(p[:max(0, b.max-b.buf.Len())])
		return 0, errors.New("output limit reached")
	}
	return b.buf.Write(p)
}

func (t toolRun) run(ctx context.Context) ([]byte, error) {
	path, err := exec.LookPath(t.name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.name, ErrToolMissing)
	}
	if t.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
		defer cancel()
	}
	cmd := exec.Command(path, t.args...)
	cmd.Dir = t.dir
	cmd.Env = append(os.Environ(), t.env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if t.stdin != nil {
		cmd.Stdin = bytes.NewReader(t.stdin)
	}
	out := &boundedBuffer{max: t.maxOut}
	if out.max <= 0 {
		out.max = 64 << 20
	}
	errOut := &boundedBuffer{max: 8 << 10}
	cmd.Stdout, cmd.Stderr = out, errOut
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		// The negative pid kills the group: the tool and whatever it forked.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%s: %w", t.name, ErrTimeout)
		}
		return nil, ctx.Err()
	}
	// A tool that exits leaves no child behind either.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if out.over {
		return nil, &LimitError{Limit: "tool_output", Max: int64(out.max)}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s", t.name, err, bytes.TrimSpace(errOut.buf.Bytes()))
	}
	return out.buf.Bytes(), nil
}
