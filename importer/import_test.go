package importer_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/importer"
	"cascade/vntext"
)

const fixture = "plan-321-KH-BTV.txt"

func importFile(t testing.TB, name string) *importer.Draft {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	d, err := importer.Import(name, data)
	require.NoError(t, err)
	requireEveryLineKept(t, d)
	return d
}

// requireEveryLineKept checks that every non-blank line of the text is in
// some section's heading or body, and that spans point at the text.
func requireEveryLineKept(t testing.TB, d *importer.Draft) {
	t.Helper()
	for _, ln := range strings.Split(d.Text, "\n") {
		l := strings.TrimSpace(ln)
		if l == "" {
			continue
		}
		h := l
		if strings.HasPrefix(h, "#") {
			h = strings.TrimSpace(strings.TrimRight(strings.TrimLeft(h, "#"), "# "))
		}
		found := false
		for _, s := range d.Sections {
			if s.Heading == h || strings.Contains(s.Body, l) {
				found = true
				break
			}
		}
		require.True(t, found, "line lost: %q", l)
	}
	runes := []rune(d.Text)
	for _, s := range d.Sections {
		require.True(t, s.Source.Start >= 0 && s.Source.Start <= s.Source.End && s.Source.End <= len(runes), "section span %+v", s.Source)
		if s.Body != "" {
			require.Contains(t, string(runes[s.Source.Start:s.Source.End]), s.Body)
		}
	}
}

func date(y, m, d int) *vntext.Date {
	v := vntext.NewDate(y, 1, 1)
	v.Month, v.Day = v.Month+vntext.Date{}.Month+0, 0
	v = vntext.NewDate(y, v.Month+vntext.Date{Month: 0}.Month, 1).AddDays(0)
	v = vntext.Date{Year: y, Month: v.Month + monthOffset(m), Day: d}
	return &v
}

func monthOffset(m int) (off vntext.Date_month) { return vntext.Date_month(m - 1) }
