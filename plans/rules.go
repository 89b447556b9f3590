package plans

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"cascade/calendar"
	"cascade/importer"
)

// Recurrences a task or responsibility may have.
var Recurrences = []string{"annual", "semiannual", "quarterly", "monthly", "midterm", "term_end", "periodic", "ongoing"}

// ValidateForIssue lists every problem that keeps p from being issued:
// each target needs a value and a unit, each task a lead unit and a due date
// or a recurrence, allocations of a count must add up to its value, the term
// must be sane, and the plan needs units and report cycles.
func (p Plan) ValidateForIssue() error {
	var ps Problems
	add := func(field, vi, en string) { ps = append(ps, Problem{field, vi, en}) }
	if strings.TrimSpace(p.Title) == "" {
		add("title", "Kế hoạch chưa có tên", "the plan has no title")
	}
	if p.IssuerUnitID == 0 {
		add("issuer_unit_id", "Chưa chọn đơn vị ban hành", "no issuing unit")
	}
	switch {
	case p.TermStartYear < 2000 || p.TermStartYear > 2100:
		add("term_start_year", "Năm bắt đầu nhiệm kỳ không hợp lệ", "term start year must be from 2000 to 2100")
	case p.TermEndYear < p.TermStartYear:
		add("term_end_year", "Năm kết thúc không được trước năm bắt đầu", "the term cannot end before it starts")
	case p.TermEndYear-p.TermStartYear > 10:
		add("term_end_year", "Nhiệm kỳ dài quá 10 năm", "the term is longer than 10 years")
	}
	if len(p.UnitIDs) == 0 {
		add("unit_ids", "Kế hoạch chưa có đơn vị thực hiện", "the plan has no participating units")
	}
	units := map[int64]bool{}
	for _, id := range p.UnitIDs {
		units[id] = true
	}
	for i, t := range p.Targets {
		f := fmt.Sprintf("targets[%d]", i)
		if strings.TrimSpace(t.Text) == "" {
			add(f+".text", "Chỉ tiêu chưa có nội dung", "the target has no text")
		}
		switch {
		case t.Value == nil:
			add(f+".value", "Chỉ tiêu chưa có giá trị", "the target has no value")
		case *t.Value < 0 || math.IsNaN(*t.Value) || math.IsInf(*t.Value, 0):
			add(f+".value", "Giá trị phải là số không âm", "the value must be a non-negative number")
		case t.Measure == "percent" && *t.Value > 100:
			add(f+".value", "Tỷ lệ không quá 100%", "a percentage cannot exceed 100")
		}
		if strings.TrimSpace(t.Unit) == "" {
			add(f+".unit", "Chỉ tiêu chưa có đơn vị tính", "the target has no unit of measure")
		}
		if !slices.Contains([]string{"at_least", "at_most", "exactly"}, t.Direction) {
			add(f+".direction", "Hướng chỉ tiêu phải là at_least, at_most hoặc exactly", "direction must be at_least, at_most or exactly")
		}
		if t.Measure != "count" && t.Measure != "percent" {
			add(f+".measure", "Cách tính phải là count hoặc percent", "measure must be count or percent")
		}
		if t.Parent != nil && (*t.Parent < 0 || *t.Parent >= i) {
			add(f+".parent", "Chỉ tiêu cha phải đứng trước", "the parent target must come before it")
		}
		sum, seen := 0.0, map[int64]bool{}
		for j, a := range t.Allocations {
			af := fmt.Sprintf("%s.allocations[%d]", f, j)
			if !units[a.UnitID] {
				add(af+".unit_id", "Đơn vị không thực hiện kế hoạch này", "the unit does not take part in the plan")
			}
			if seen[a.UnitID] {
				add(af+".unit_id", "Đơn vị được giao hai lần", "the unit is allocated twice")
			}
			seen[a.UnitID] = true
			if a.Value < 0 {
				add(af+".value", "Giá trị giao phải không âm", "an allocation must not be negative")
			}
			sum += a.Value
		}
		if t.Measure == "count" && len(t.Allocations) > 0 && t.Value != nil && math.Abs(sum-*t.Value) > 1e-9 {
			add(f+".allocations", fmt.Sprintf("Tổng giao cho các đơn vị (%s) khác chỉ tiêu (%s)", num(sum), num(*t.Value)),
				fmt.Sprintf("the allocations add up to %s, not %s", num(sum), num(*t.Value)))
		}
	}
	for g, grp := range p.TaskGroups {
		for i, t := range grp.Tasks {
			f := fmt.Sprintf("task_groups[%d].tasks[%d]", g, i)
			if strings.TrimSpace(t.Text) == "" {
				add(f+".text", "Nhiệm vụ chưa có nội dung", "the task has no text")
			}
			if len(t.LeadUnitIDs) == 0 {
				add(f+".lead_unit_ids", "Nhiệm vụ chưa có đơn vị chủ trì", "the task has no lead unit")
			}
			switch {
			case t.DueOn == nil && t.Recurrence == "":
				add(f+".due_on", "Nhiệm vụ chưa có thời hạn hoặc tần suất", "the task has neither a due date nor a recurrence")
			case t.Recurrence != "" && !slices.Contains(Recurrences, t.Recurrence):
				add(f+".recurrence", "Tần suất không hợp lệ", "unknown recurrence")
			case t.DueOn != nil && (t.DueOn.Year < p.TermStartYear || t.DueOn.Year > p.TermEndYear+1):
				add(f+".due_on", "Thời hạn nằm ngoài nhiệm kỳ", "the due date is outside the term")
			}
		}
	}
	if len(p.Cycles) == 0 {
		add("cycles", "Kế hoạch chưa có kỳ báo cáo", "the plan has no report cycles")
	}
	for i, c := range p.Cycles {
		if c.DueOn.Year < p.TermStartYear || c.DueOn.Year > p.TermEndYear+1 {
			add(fmt.Sprintf("cycles[%d].due_on", i), "Hạn báo cáo nằm ngoài nhiệm kỳ", "the report is due outside the term")
		}
	}
	if p.EscalationPolicy != nil {
		ps = append(ps, ValidatePolicy(*p.EscalationPolicy)...)
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func num(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%g", v)
}

// DefaultCycles are the annual reports due 15 November of every year of the
// term ("gắn với báo cáo năm"), the last one being the final report (tổng
// kết), and the mid-term review (sơ kết giữa nhiệm kỳ) due 30 June half-way
// through the term. They are in the order they fall due.
func DefaultCycles(start, end int) []Cycle {
	var cs []Cycle
	mid := start + (end-start+1)/2
	for y := start; y <= end; y++ {
		if y == mid && end > start {
			cs = append(cs, Cycle{Kind: "midterm", Year: y, DueOn: calendar.NewDate(y, time.June, 30)})
		}
		kind := "annual"
		if y == end {
			kind = "final"
		}
		cs = append(cs, Cycle{Kind: kind, Year: y, DueOn: calendar.NewDate(y, time.November, 15)})
	}
	return cs
}

// FromDraft turns what the importer read into a draft plan, keeping every
// item's source span and review flag. Units are left for a person to choose.
func FromDraft(d *importer.Draft) Plan {
	p := Plan{
		Code: d.Code, Title: d.Title, Place: d.Place, IssuedOn: d.IssuedOn,
		TermStartYear: d.TermStartYear, TermEndYear: d.TermEndYear,
		Implements: append([]string{}, d.Implements...), Status: "draft", Revision: 1, SourceText: d.Text,
	}
	if p.Title == "" {
		p.Title = "Kế hoạch " + d.Code
	}
	span := func(s importer.Span) *Span { return &Span{Start: s.Start, End: s.End} }
	for _, s := range d.Sections {
		p.Sections = append(p.Sections, Section{Kind: string(s.Kind), Heading: s.Heading, Body: s.Body, Source: span(s.Source)})
	}
	for _, t := range d.Targets {
		v := t.Value
		p.Targets = append(p.Targets, Target{Text: t.Text, Value: &v, Unit: t.Unit, Direction: string(t.Direction),
			Measure: string(t.Measure), Baseline: t.Baseline, Parent: t.Parent, Source: span(t.Source),
			NeedsReview: t.NeedsReview, ReviewNote: t.ReviewNote})
	}
	for _, g := range d.TaskGroups {
		grp := TaskGroup{Heading: g.Heading, Source: span(g.Source)}
		for _, t := range g.Tasks {
			grp.Tasks = append(grp.Tasks, Task{Text: t.Text, DueOn: t.DueOn, Recurrence: t.Recurrence, Source: span(t.Source),
				NeedsReview: t.NeedsReview, ReviewNote: t.ReviewNote})
		}
		p.TaskGroups = append(p.TaskGroups, grp)
	}
	for _, r := range d.Responsibilities {
		p.Responsibilities = append(p.Responsibilities, Responsibility{Text: r.Text, UnitKind: r.UnitKind, Action: r.Action,
			DueOn: r.DueOn, Recurrence: r.Recurrence, WithAnnualReport: r.WithAnnualReport, Source: span(r.Source)})
	}
	for _, r := range d.Recipients {
		p.Recipients = append(p.Recipients, Recipient{Text: r})
	}
	if p.TermStartYear > 0 && p.TermEndYear >= p.TermStartYear {
		// A plan issued part-way through its term reports from then on:
		// 321/KH-BTV, issued 8/6/2021 for 2020–2025, asks nothing for 2020.
		for _, c := range DefaultCycles(p.TermStartYear, p.TermEndYear) {
			if p.IssuedOn == nil || !c.DueOn.Before(*p.IssuedOn) {
				p.Cycles = append(p.Cycles, c)
			}
		}
	}
	return p
}

// CascadeTo is the draft of a unit's own implementation plan under parent:
// the targets with the unit's allocation as its value (a percentage keeps
// the parent's value; a count the unit was not allocated is left for the unit
// to set), and the tasks the unit leads or supports.
func CascadeTo(parent Plan, unitID int64, title string) Plan {
	child := Plan{
		ParentID: &parent.ID, IssuerUnitID: unitID, Title: title, Place: parent.Place,
		TermStartYear: parent.TermStartYear, TermEndYear: parent.TermEndYear, Status: "draft", Revision: 1,
		Implements: []string{parent.Code}, Cycles: append([]Cycle{}, parent.Cycles...),
		EscalationPolicy: parent.EscalationPolicy,
	}
	for i := range child.Cycles {
		child.Cycles[i].ID = 0
	}
	for _, t := range parent.Targets {
		c := Target{Text: t.Text, Unit: t.Unit, Direction: t.Direction, Measure: t.Measure, Baseline: t.Baseline, Parent: t.Parent}
		for _, a := range t.Allocations {
			if a.UnitID == unitID {
				v := a.Value
				c.Value = &v
			}
		}
		if c.Value == nil && t.Measure == "percent" && t.Value != nil {
			v := *t.Value
			c.Value = &v
		}
		if c.Value == nil {
			c.NeedsReview, c.ReviewNote = true, "Cấp trên chưa giao chỉ tiêu này cho đơn vị / not allocated to this unit"
		}
		child.Targets = append(child.Targets, c)
	}
	for _, g := range parent.TaskGroups {
		grp := TaskGroup{Heading: g.Heading}
		for _, t := range g.Tasks {
			if slices.Contains(t.LeadUnitIDs, unitID) || slices.Contains(t.SupportUnitIDs, unitID) {
				grp.Tasks = append(grp.Tasks, Task{Text: t.Text, DueOn: t.DueOn, Recurrence: t.Recurrence, ExpectedOutput: t.ExpectedOutput,
					LeadUnitIDs: []int64{unitID}})
			}
		}
		if len(grp.Tasks) > 0 {
			child.TaskGroups = append(child.TaskGroups, grp)
		}
	}
	return child
}

// Imported is the draft plan an import of the document name makes for its
// issuing unit: what the importer read (FromDraft), and where the document
// states no term, one of five years from year for the reviewer to set.
func Imported(d *importer.Draft, issuerUnitID int64, name string, year int) Plan {
	p := FromDraft(d)
	p.IssuerUnitID, p.SourceName = issuerUnitID, name
	if p.TermStartYear == 0 {
		p.TermStartYear, p.TermEndYear = year, year+4
	}
	if len(p.Cycles) == 0 {
		p.Cycles = DefaultCycles(p.TermStartYear, p.TermEndYear)
	}
	return p
}
