// Package corpus holds the importer's measuring corpus: plan documents with
// what a person read in each (header, targets, recipients), and the score of
// a Draft against that reading. The test of the importer holds every
// document's score to a floor; `make bench` prints the scorecard per format.
package corpus

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"cascade/importer"
	"cascade/vntext"
)

// Expected is what a person read in a document, written by reading it.
type Expected struct {
	Code     string `json:"code"`
	IssuedOn string `json:"issued_on"` // "2021-06-08", or "" when the signed date is blank
	Title    string `json:"title"`
	Term     [2]int `json:"term"` // [0,0] when the document names none
	// Targets are [value, unit, direction]: the unit "%" for a percentage.
	Targets    [][3]any `json:"targets"`
	Recipients []string `json:"recipients"`
}

// Document is one document of the corpus.
type Document struct {
	// Name is the file name without extension, "03-hpn-huyen-dien-khanh".
	Name string
	// Text is the path of the .txt source; the other formats sit beside it.
	Text     string
	Expected Expected
	// HeldOut is true for the documents written last and never tuned on.
	HeldOut bool
}

// Path is the document in a format: "txt", "docx" or "pdf".
func (d Document) Path(format string) string {
	return strings.TrimSuffix(d.Text, ".txt") + "." + format
}

// Load reads every document of dir (its *.txt with their *.expected.json);
// held-out documents are listed in dir/held-out.txt.
func Load(dir string) ([]Document, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	held := map[string]bool{}
	if b, err := os.ReadFile(filepath.Join(dir, "held-out.txt")); err == nil {
		for _, ln := range strings.Split(string(b), "\n") {
			if ln = strings.TrimSpace(ln); ln != "" && !strings.HasPrefix(ln, "#") {
				held[ln] = true
			}
		}
	}
	var out []Document
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		if name == "held-out" {
			continue
		}
		b, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".expected.json")
		if err != nil {
			return nil, fmt.Errorf("corpus %s: %w", name, err)
		}
		var e Expected
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("corpus %s: %w", name, err)
		}
		out = append(out, Document{Name: name, Text: f, Expected: e, HeldOut: held[name]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Score is how well a Draft matches what a person read.
type Score struct {
	// Expected is the number of targets read by a person, Found the
	// number the importer found, Matched those of them that match one
	// (same value, percentage or count, direction).
	Expected, Found, Matched int
	// CodeRight, DateRight, TitleRight, TermRight are the header fields.
	CodeRight, DateRight, TitleRight, TermRight bool
	// RecipientsRight is true when the distribution list is read whole and
	// exactly; RecipientsMatched counts the entries read right.
	RecipientsRight   bool
	RecipientsMatched int
	RecipientsWant    int
	// Missed and Extra describe the targets that did not match, for a reader.
	Missed, Extra []string
}

// Recall is the share of expected targets found, 1 when none were expected.
func (s Score) Recall() float64 {
	if s.Expected == 0 {
		return 1
	}
	return float64(s.Matched) / float64(s.Expected)
}

// Extras is the number of targets found that match none expected.
func (s Score) Extras() int { return s.Found - s.Matched }

// Evaluate scores d against e.
func Evaluate(d *importer.Draft, e Expected) Score {
	s := Score{Expected: len(e.Targets), Found: len(d.Targets)}
	used := make([]bool, len(d.Targets))
	for _, want := range e.Targets {
		v, _ := want[0].(float64)
		unit, _ := want[1].(string)
		dir, _ := want[2].(string)
		found := false
		for i, t := range d.Targets {
			if used[i] || math.Abs(t.Value-v) > 1e-9 || (unit == "%") != (t.Measure == importer.MeasurePercent) || string(t.Direction) != dir {
				continue
			}
			used[i], found = true, true
			break
		}
		if found {
			s.Matched++
		} else {
			s.Missed = append(s.Missed, fmt.Sprintf("%v %s %s", v, unit, dir))
		}
	}
	for i, t := range d.Targets {
		if !used[i] {
			s.Extra = append(s.Extra, fmt.Sprintf("%v %s %s: %s", t.Value, t.Unit, t.Direction, t.Text))
		}
	}
	s.CodeRight = d.Code == e.Code
	date := ""
	if d.IssuedOn != nil {
		date = d.IssuedOn.String()
	}
	s.DateRight = date == e.IssuedOn
	s.TitleRight = fold(d.Title) == fold(e.Title)
	s.TermRight = d.TermStartYear == e.Term[0] && d.TermEndYear == e.Term[1]
	s.RecipientsWant = len(e.Recipients)
	got := map[string]int{}
	for _, r := range d.Recipients {
		got[fold(r)]++
	}
	for _, r := range e.Recipients {
		if got[fold(r)] > 0 {
			got[fold(r)]--
			s.RecipientsMatched++
		}
	}
	s.RecipientsRight = s.RecipientsMatched == len(e.Recipients) && len(d.Recipients) == len(e.Recipients)
	return s
}

// fold compares texts as a reader would: spaces, case and the quotes' shape
// aside.
func fold(s string) string {
	s = strings.NewReplacer("“", `"`, "”", `"`, "–", "-", "—", "-").Replace(s)
	return strings.ToLower(vntext.FoldSpace(vntext.Normalize(s)))
}
