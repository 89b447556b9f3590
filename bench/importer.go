package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"cascade/importer"
	"cascade/vntext"
)

func init() {
	register(Bench{Name: "d", Title: "plan import: the fixture, and a generated 200-page plan (time and peak memory)", Order: 40, Run: runImport})
}

// runImport measures the importer on the real plan (in process, median of
// 50 runs, against NFC-normalising the same text as the floor) and on a
// 200-page plan built from its shapes (as `cascade import`, a process of its
// own, so its peak resident memory is the process's, against `cascade
// version` as the floor).
func runImport(ctx context.Context, h *Harness) error {
	fixture := filepath.Join(h.Root, "importer", "testdata", "plan-321-KH-BTV.txt")
	data, err := os.ReadFile(fixture)
	if err != nil {
		return err
	}
	median := func(n int, fn func()) time.Duration {
		ds := make([]time.Duration, n)
		for i := range ds {
			t := time.Now()
			fn()
			ds[i] = time.Since(t)
		}
		slices.Sort(ds)
		return ds[n/2]
	}
	var importErr error
	imp := median(50, func() {
		if _, err := importer.Import("plan-321-KH-BTV.txt", data); err != nil {
			importErr = err
		}
	})
	if importErr != nil {
		return importErr
	}
	floor := median(50, func() { _ = vntext.Normalize(string(data)) })
	h.Row("d", "import fixture (%d KB): median %s; NFC normalisation alone %s (%.0f×); target < 50 ms: %s",
		len(data)/1024, imp.Round(10*time.Microsecond), floor.Round(10*time.Microsecond), float64(imp)/float64(floor), met(imp < 50*time.Millisecond))

	long := longPlan(string(data), 200)
	path := filepath.Join(h.Tmp, "ke-hoach-200-trang.txt")
	if err := os.WriteFile(path, []byte(long), 0o600); err != nil {
		return err
	}
	bin, err := h.Cascade(ctx)
	if err != nil {
		return err
	}
	run := func(args ...string) (time.Duration, int64, error) {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Stdout, cmd.Stderr = nil, nil
		t := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, 0, fmt.Errorf("cascade %s: %w", strings.Join(args, " "), err)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		return time.Since(t), ru.Maxrss * 1024, nil
	}
	took, rss, err := run("import", path, "--json")
	if err != nil {
		return err
	}
	baseTook, baseRSS, err := run("version")
	if err != nil {
		return err
	}
	// In process, with the collector off, everything the import allocates
	// stays on the heap: an upper bound of its peak memory.
	runtime.GC()
	old := debug.SetGCPercent(-1)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t := time.Now()
	_, err = importer.Import("ke-hoach-200-trang.txt", []byte(long))
	inProc := time.Since(t)
	runtime.ReadMemStats(&after)
	debug.SetGCPercent(old)
	if err != nil {
		return err
	}
	heap := after.TotalAlloc - before.TotalAlloc
	h.Row("d", "import 200 pages (%d KB, %d characters): %s in process, at most %d MiB of heap; targets < 2 s: %s, < 100 MB: %s",
		len(long)/1024, utf8.RuneCountInString(long), inProc.Round(time.Millisecond), heap>>20, met(inProc < 2*time.Second), met(heap < 100<<20))
	h.Row("d", "  as `cascade import --json`: %s, peak rss %d MiB, of which the binary alone (`cascade version`) %d MiB in %s",
		took.Round(time.Millisecond), rss>>20, baseRSS>>20, baseTook.Round(time.Millisecond))
	return nil
}

func met(ok bool) string {
	if ok {
		return "MET"
	}
	return "NOT MET"
}

// longPlan builds a plan of about pages A4 pages (3 000 characters each)
// from the fixture's shapes: its header, purpose and objectives, its content
// groups repeated, its organisation and closing.
func longPlan(text string, pages int) string {
	start := strings.Index(text, "III. NỘI DUNG")
	end := strings.Index(text, "III. TỔ CHỨC")
	if start < 0 || end < start {
		return strings.Repeat(text, pages/7+1)
	}
	head, groups, tail := text[:start], text[start:end], text[end:]
	var b strings.Builder
	b.WriteString(head)
	size := utf8.RuneCountInString(head)
	for size < pages*3000 {
		b.WriteString(groups)
		size += utf8.RuneCountInString(groups)
	}
	b.WriteString(tail)
	return b.String()
}
