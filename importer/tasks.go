package importer

import (
	"strings"

	"cascade/vntext"
)

// tasks reads the task groups of the content sections. A section with
// bullet items is a group whose items are its tasks; a section without
// items or subsections has its paragraphs as tasks; a section whose
// subsections are bare numbered lines has those lines as tasks; a table with
// a task column (Nội dung, Nhiệm vụ) gives a task per row.
func (r *reader) tasks() {
	consumed := map[int]bool{}
	for si, s := range r.o.sections {
		if s.Kind != KindContent || consumed[si] {
			continue
		}
		var items, paras, tables []int
		for _, bi := range s.blocks {
			switch r.o.blocks[bi].kind {
			case blockItem:
				items = append(items, bi)
			case blockPara:
				paras = append(paras, bi)
			case blockTable:
				tables = append(tables, bi)
			}
		}
		g := TaskGroup{Heading: s.Heading, Section: si, Source: r.d.Sections[si].Source, Tasks: []Task{}}
		switch {
		case len(items) > 0:
			type open struct {
				mark   string
				indent int
				task   int
			}
			var stack []open
			for _, bi := range items {
				b := r.o.blocks[bi]
				found := -1
				for k := len(stack) - 1; k >= 0; k-- {
					if stack[k].mark == b.bullet && stack[k].indent == b.indent {
						found = k
						break
					}
				}
				if found >= 0 {
					stack = stack[:found]
				} else {
					for len(stack) > 0 && stack[len(stack)-1].indent > b.indent {
						stack = stack[:len(stack)-1]
					}
				}
				t := r.task(b.body, b.end)
				if len(stack) > 0 {
					p := stack[len(stack)-1].task
					t.Parent = &p
				}
				stack = append(stack, open{b.bullet, b.indent, len(g.Tasks)})
				g.Tasks = append(g.Tasks, t)
			}
		case len(s.kids) == 0 && len(paras) > 0:
			for _, bi := range paras {
				b := r.o.blocks[bi]
				if strings.HasSuffix(strings.TrimSpace(r.text[b.body:b.end]), ":") {
					continue // an introduction to what follows
				}
				g.Tasks = append(g.Tasks, r.task(b.body, b.end))
			}
		case len(s.kids) > 0 && r.bareLeaves(s.kids):
			for _, k := range s.kids {
				h := r.o.blocks[r.o.sections[k].head]
				g.Tasks = append(g.Tasks, r.task(h.body, h.end))
				consumed[k] = true
			}
		}
		for _, bi := range tables {
			g.Tasks = append(g.Tasks, r.tableTasks(r.o.blocks[bi])...)
		}
		if len(g.Tasks) > 0 {
			r.d.TaskGroups = append(r.d.TaskGroups, g)
		}
	}
}

// bareLeaves reports whether every section of kids is a heading line with
// nothing under it.
func (r *reader) bareLeaves(kids []int) bool {
	for _, k := range kids {
		s := r.o.sections[k]
		if len(s.blocks) > 0 || len(s.kids) > 0 || s.head < 0 {
			return false
		}
	}
	return true
}

// task reads one task from text[start:end].
func (r *reader) task(start, end int) Task {
	raw := r.text[start:end]
	t := Task{Text: clean(raw), Source: r.span(start, end)}
	due, several := r.due(raw)
	t.DueOn = due
	if recs := recurrences(lower(raw)); len(recs) > 0 {
		t.Recurrence = recs[0]
	}
	switch {
	case due == nil && t.Recurrence == "":
		t.NeedsReview, t.ReviewNote = true, "no due date or recurrence"
	case several:
		t.NeedsReview, t.ReviewNote = true, "several dates; the first was taken as the due date"
	}
	return t
}

// due finds the deadline in raw: the first date expression that falls
// within the plan (not before its issue date, not after its term) and is not
// the date of a cited document ("05-CT/TW ngày 15/5/2016"). several is true
// when more than one distinct date qualifies.
func (r *reader) due(raw string) (due *vntext.Date, several bool) {
	// The deadline is the date the text says a thing is due by ("trước
	// ngày 31/01/2024"), else a day, else a month or year named: "năm 2024
	// trước ngày 31/01/2024" is due on the 31st of January.
	best, rank := -1, 0
	var dates []vntext.Date
	for _, m := range vntext.FindDates(raw) {
		d := m.Due()
		if reDocCode.MatchString(lastWord(tail(raw[:m.Start], 40))) {
			continue
		}
		if r.issued != nil && d.Before(*r.issued) {
			continue
		}
		if r.d.TermEndYear > 0 && d.Year > r.d.TermEndYear {
			continue
		}
		if r.issued == nil && r.d.TermEndYear == 0 && m.Relation == "" && m.Granularity == vntext.Year {
			continue
		}
		k := 1
		if m.Granularity == vntext.Day {
			k = 2
		}
		if m.Relation != "" {
			k += 2
		}
		dates = append(dates, d)
		if k > rank {
			best, rank = len(dates)-1, k
		}
	}
	for _, d := range dates {
		if d != dates[best] {
			several = true
		}
	}
	if best >= 0 {
		due = &dates[best]
	}
	return due, several
}

// tableTasks reads a task table: a row per task, the due date from a
// Thời gian column, the lead unit from a Chủ trì column.
func (r *reader) tableTasks(b block) []Task {
	if len(b.rows) < 2 {
		return nil
	}
	cols := mapColumns(b.rows[0].cells)
	if cols.text < 0 {
		return nil
	}
	var out []Task
	for _, row := range b.rows[1:] {
		cell := func(i int) string {
			if i < 0 || i >= len(row.cells) {
				return ""
			}
			return clean(row.cells[i])
		}
		text := cell(cols.text)
		if text == "" {
			continue
		}
		t := Task{Text: text, Lead: cell(cols.lead), Source: r.span(row.start, row.end)}
		when := cell(cols.due)
		due, several := r.due(when)
		if due == nil {
			due, several = r.due(text)
		}
		t.DueOn = due
		if recs := recurrences(lower(when + " " + text)); len(recs) > 0 {
			t.Recurrence = recs[0]
		}
		switch {
		case due == nil && t.Recurrence == "":
			t.NeedsReview, t.ReviewNote = true, "no due date or recurrence"
		case several:
			t.NeedsReview, t.ReviewNote = true, "several dates; the first was taken as the due date"
		}
		out = append(out, t)
	}
	return out
}
