package corpus_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/importer"
	"cascade/importer/corpus"
)

var updateFloors = flag.Bool("update-floors", false, "write the corpus's floors.json from this run's scores")

const dir = "../testdata/corpus"

// floor is what the importer reads right in one document in one format.
type floor struct {
	Matched    int  `json:"matched"`
	Extras     int  `json:"extras"`
	Code       bool `json:"code"`
	Date       bool `json:"date"`
	Title      bool `json:"title"`
	Term       bool `json:"term"`
	Recipients int  `json:"recipients"`
}

// TestCorpus_NoDocumentReadsWorseThanItsFloor holds every document of the
// corpus, as text, Word and PDF, to what the importer read right in it when
// the floors were written: a change that finds fewer targets, more extra
// ones, a header field or a recipient less in any document fails. (Scans are
// measured by make bench: OCR of 22 documents is too slow for a test.)
func TestCorpus_NoDocumentReadsWorseThanItsFloor(t *testing.T) {
	docs, err := corpus.Load(dir)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(docs), 20)
	floors := map[string]map[string]floor{}
	b, err := os.ReadFile(filepath.Join(dir, "floors.json"))
	if !*updateFloors {
		require.NoError(t, err, "no floors: go test ./importer/corpus -update-floors")
		require.NoError(t, json.Unmarshal(b, &floors))
	}
	got := map[string]map[string]floor{}
	var mu sync.Mutex
	t.Cleanup(func() {
		if !*updateFloors || t.Failed() {
			return
		}
		b, err := json.MarshalIndent(got, "", " ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "floors.json"), append(b, '\n'), 0o644))
	})
	for _, d := range docs {
		mu.Lock()
		got[d.Name] = map[string]floor{}
		mu.Unlock()
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			readAsFloors(t, d, floors, got, &mu)
		})
	}
}

func readAsFloors(t *testing.T, d corpus.Document, floors, got map[string]map[string]floor, mu *sync.Mutex) {
	{
		for _, format := range []string{"txt", "docx", "pdf"} {
			data, err := os.ReadFile(d.Path(format))
			require.NoError(t, err, "%s.%s: run go run ./bench -make-corpus", d.Name, format)
			dr, err := importer.ReadDocument(context.Background(), filepath.Base(d.Path(format)), data, nil)
			require.NoError(t, err, "%s.%s", d.Name, format)
			s := corpus.Evaluate(dr, d.Expected)
			f := floor{Matched: s.Matched, Extras: s.Extras(), Code: s.CodeRight, Date: s.DateRight, Title: s.TitleRight,
				Term: s.TermRight, Recipients: s.RecipientsMatched}
			mu.Lock()
			got[d.Name][format] = f
			mu.Unlock()
			if *updateFloors {
				continue
			}
			want, ok := floors[d.Name][format]
			require.True(t, ok, "%s.%s has no floor: go test ./importer/corpus -update-floors", d.Name, format)
			where := d.Name + "." + format
			require.GreaterOrEqual(t, f.Matched, want.Matched, "%s: targets found; missed %v", where, s.Missed)
			require.LessOrEqual(t, f.Extras, want.Extras, "%s: extra targets %v", where, s.Extra)
			require.GreaterOrEqual(t, f.Recipients, want.Recipients, "%s: recipients %q", where, dr.Recipients)
			for _, h := range []struct {
				name      string
				got, want bool
			}{{"code", f.Code, want.Code}, {"date", f.Date, want.Date}, {"title", f.Title, want.Title}, {"term", f.Term, want.Term}} {
				require.True(t, h.got || !h.want, "%s: the %s is no longer read right", where, h.name)
			}
		}
	}
}
