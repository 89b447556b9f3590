package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"cascade/importer"
)

func readFixture(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", fixture))
	require.NoError(tb, err)
	return data
}

// longPlan builds a plan of about pages A4 pages (3 000 characters each)
// from the fixture's shapes: its header, purpose and objectives, its content
// groups repeated and renumbered, its organisation and closing.
func longPlan(tb testing.TB, pages int) []byte {
	tb.Helper()
	text := string(readFixture(tb))
	start := strings.Index(text, "III. NỘI DUNG")
	end := strings.Index(text, "III. TỔ CHỨC")
	require.True(tb, start > 0 && end > start)
	head, groups, tail := text[:start], text[start:end], text[end:]
	groupLines := strings.Split(groups, "\n")[1:]
	var b strings.Builder
	b.WriteString(head)
	b.WriteString(groupLines[0])
	b.WriteString("III. NỘI DUNG VÀ GIẢI PHÁP THỰC HIỆN\n")
	// The groups keep their own numbers, so the long plan repeats "1."…"6."
	// as the fixture repeats "2." and "3.".
	size := utf8.RuneCountInString(b.String())
	for size < pages*3000 {
		for _, ln := range groupLines {
			b.WriteString(ln)
			b.WriteByte('\n')
			size += utf8.RuneCountInString(ln) + 1
		}
	}
	b.WriteString(tail)
	return []byte(b.String())
}

func TestImport_LongPlanKeepsEveryGroup(t *testing.T) {
	data := longPlan(t, 200)
	d, err := importer.Import("long.txt", data)
	require.NoError(t, err)
	requireEveryLineKept(t, d)
	require.Greater(t, len(d.TaskGroups), 400)
	// The objectives' targets once, the content's "ít nhất một công trình"
	// once per repeated group.
	require.Greater(t, len(d.Targets), len(fixtureTargets))
	requireTargets(t, fixtureTargets[:len(fixtureTargets)-1], &importer.Draft{Targets: d.Targets[:len(fixtureTargets)-1]})
	require.Len(t, d.Responsibilities, 13)
	require.Len(t, d.Recipients, 9)
}

func BenchmarkImportFixture(b *testing.B) {
	data := readFixture(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := importer.Import(fixture, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImport200Pages(b *testing.B) {
	data := longPlan(b, 200)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := importer.Import("long.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportDocx(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "plan-321-KH-BTV-numbered.docx"))
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := importer.Import("plan.docx", data); err != nil {
			b.Fatal(err)
		}
	}
}
