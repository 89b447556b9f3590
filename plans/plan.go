// Package plans is the model of a plan document — header, sections, targets
// with their allocations, task groups and tasks, responsibilities, the
// distribution list, report cycles — and its rules: what a plan must hold
// before it is issued, how an imported draft becomes a plan, and how a unit
// cascades its own plan from its parent's. Plain Go: no HTTP, SQL or Temporal.
package plans

import (
	"cascade/calendar"
	"cascade/escalation"
)

// Span locates an item in the plan's source text by rune offsets, end
// exclusive, so a reviewer sees where it was read from.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Plan is a whole plan as the API reads and writes it.
type Plan struct {
	ID            int64          `json:"id"`
	ParentID      *int64         `json:"parent_id"`
	IssuerUnitID  int64          `json:"issuer_unit_id"`
	Code          string         `json:"code"`
	Title         string         `json:"title"`
	Place         string         `json:"place"`
	IssuedOn      *calendar.Date `json:"issued_on"`
	TermStartYear int            `json:"term_start_year"`
	TermEndYear   int            `json:"term_end_year"`
	// Implements lists the documents the plan carries out, "08-CTr/TU".
	Implements []string `json:"implements"`
	Status     string   `json:"status"`
	Revision   int      `json:"revision"`
	// SourceName and SourceText are the document the plan was imported
	// from; every Source span points into SourceText.
	SourceName       string           `json:"source_name"`
	SourceText       string           `json:"source_text,omitempty"`
	UnitIDs          []int64          `json:"unit_ids"`
	Sections         []Section        `json:"sections"`
	Targets          []Target         `json:"targets"`
	TaskGroups       []TaskGroup      `json:"task_groups"`
	Responsibilities []Responsibility `json:"responsibilities"`
	Recipients       []Recipient      `json:"recipients"`
	Cycles           []Cycle          `json:"cycles"`
	// EscalationPolicy is the plan's ladder of reminders and escalations;
	// nil on a write is the default ladder, and a read always fills it.
	EscalationPolicy *escalation.Policy `json:"escalation_policy"`
	// UnitNames names every unit the plan names, on a read (the API fills
	// it); a write may send it back as read, and it is ignored.
	UnitNames []UnitName `json:"unit_names,omitempty"`
}

// UnitName is a unit's id and name, as a plan's reader sees it.
type UnitName struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Section is a part of the document in order: purpose, objective, content,
// organisation or other.
type Section struct {
	Kind    string `json:"kind"`
	Heading string `json:"heading"`
	Body    string `json:"body"`
	Source  *Span  `json:"source"`
}

// Target is a quantitative goal (chỉ tiêu).
type Target struct {
	// ID is 0 for a target not yet stored.
	ID        int64    `json:"id"`
	Text      string   `json:"text"`
	Value     *float64 `json:"value"`
	Unit      string   `json:"unit"`
	Direction string   `json:"direction"`
	Measure   string   `json:"measure"`
	Baseline  *float64 `json:"baseline"`
	// Parent is the index in Plan.Targets of the target this one details
	// ("trong đó…").
	Parent      *int         `json:"parent"`
	Allocations []Allocation `json:"allocations"`
	Source      *Span        `json:"source"`
	NeedsReview bool         `json:"needs_review"`
	ReviewNote  string       `json:"review_note,omitempty"`
}

// Allocation is a unit's share of a target.
type Allocation struct {
	UnitID int64   `json:"unit_id"`
	Value  float64 `json:"value"`
}

// TaskGroup is a numbered group of the content section.
type TaskGroup struct {
	ID      int64  `json:"id"`
	Heading string `json:"heading"`
	Source  *Span  `json:"source"`
	Tasks   []Task `json:"tasks"`
}

// Task is one thing the plan asks of units.
type Task struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
	// DueOn or Recurrence (annual, semiannual, quarterly, monthly, midterm,
	// term_end, periodic, ongoing) says when.
	DueOn          *calendar.Date `json:"due_on"`
	Recurrence     string         `json:"recurrence"`
	ExpectedOutput string         `json:"expected_output"`
	LeadUnitIDs    []int64        `json:"lead_unit_ids"`
	SupportUnitIDs []int64        `json:"support_unit_ids"`
	Source         *Span          `json:"source"`
	NeedsReview    bool           `json:"needs_review"`
	ReviewNote     string         `json:"review_note,omitempty"`
}

// Responsibility says which units must build a plan, report or review, and when.
type Responsibility struct {
	Text             string         `json:"text"`
	UnitKind         string         `json:"unit_kind"`
	Action           string         `json:"action"`
	DueOn            *calendar.Date `json:"due_on"`
	Recurrence       string         `json:"recurrence"`
	WithAnnualReport bool           `json:"with_annual_report"`
	Source           *Span          `json:"source"`
}

// Recipient is a line of the distribution list (Nơi nhận), matched to a
// unit where one is recognised.
type Recipient struct {
	Text   string `json:"text"`
	UnitID *int64 `json:"unit_id"`
}

// Cycle is a reporting round.
type Cycle struct {
	ID    int64         `json:"id"`
	Kind  string        `json:"kind"`
	Year  int           `json:"year"`
	DueOn calendar.Date `json:"due_on"`
}

// Problem is one thing wrong with a plan, named by its JSON field path
// ("targets[3].value"), in Vietnamese and English.
type Problem struct {
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// Problems is every problem found at once; an error when not empty.
type Problems []Problem

func (ps Problems) Error() string {
	s := "invalid plan:"
	for _, p := range ps {
		s += " " + p.Field + ": " + p.MessageEn + ";"
	}
	return s
}
