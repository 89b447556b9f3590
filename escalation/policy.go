// Package escalation is the escalation ladder ("đôn đốc, nhắc nhở") of a
// deadline: which reminders and escalations go to whom, how many days before
// or after the due date, and on which concrete dates once weekends and
// Vietnamese holidays are taken into account.
//
// A Policy is stored per plan (plans.escalation_policy as JSON; NULL is the
// default); Schedule turns it and a due date into dated steps, each with a
// stable key ("T-7", "T+0", "T+3", …) from which activities build
// idempotency keys. Everything is deterministic, so
// workflows may call it.
package escalation

import (
	"fmt"
	"reflect"
	"strings"
)

// Audience is who a step is sent to, relative to the unit that owes the
// submission.
type Audience string

// The audiences of a step.
const (
	// AudienceUnit is the unit that owes the submission.
	AudienceUnit Audience = "unit"
	// AudienceUnitLeader is the unit's leader (chủ tịch of the district union).
	AudienceUnitLeader Audience = "unit_leader"
	// AudienceSupervisingBoard is the specialised board (ban chuyên môn) that
	// follows the unit for this plan.
	AudienceSupervisingBoard Audience = "supervising_board"
	// AudienceStandingCommittee is the issuer's standing committee (Ban
	// Thường vụ / Thường trực), which receives the final escalations.
	AudienceStandingCommittee Audience = "standing_committee"
)

// Valid reports whether a is one of the known audiences.
func (a Audience) Valid() bool {
	switch a {
	case AudienceUnit, AudienceUnitLeader, AudienceSupervisingBoard, AudienceStandingCommittee:
		return true
	}
	return false
}

// Kind says whether a step reminds the unit or escalates to those above it.
// It is part of a step's idempotency key.
type Kind string

// The kinds of step.
const (
	// KindReminder is a reminder (nhắc nhở) of a coming or current deadline.
	KindReminder Kind = "reminder"
	// KindEscalation reports a late unit (đôn đốc) to those above it.
	KindEscalation Kind = "escalation"
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	return k == KindReminder || k == KindEscalation
}

// Step is one rung of the ladder.
type Step struct {
	// OffsetDays is the number of calendar days from the due date: negative
	// before it, 0 on it, positive after it.
	OffsetDays int `json:"offset_days"`
	// Audiences are who the step is sent to.
	Audiences []Audience `json:"audiences"`
	// Template names the message template used to write the step.
	Template string `json:"template"`
	// Kind is reminder or escalation.
	Kind Kind `json:"kind"`
}

// Policy is the escalation ladder of a plan: its steps in order of
// OffsetDays, then the last step repeated every RepeatEveryDays days, at most
// MaxRepeats times, until the submission arrives or is waived.
type Policy struct {
	// Steps are the rungs, with strictly increasing OffsetDays.
	Steps []Step `json:"steps"`
	// RepeatEveryDays is the interval, in calendar days, at which the last
	// step repeats; 0 means it does not repeat.
	RepeatEveryDays int `json:"repeat_every_days"`
	// MaxRepeats caps the repeats (so a forgotten unit is not chased
	// forever); it must be positive when RepeatEveryDays is, and 0 otherwise.
	MaxRepeats int `json:"max_repeats"`
}

// Limits on a Policy, to keep schedules short and offsets meaningful.
const (
	// MaxOffsetDays bounds a step's distance from the due date.
	MaxOffsetDays = 366
	// MaxRepeatsLimit bounds Policy.MaxRepeats.
	MaxRepeatsLimit = 104
)

// DefaultPolicy returns the ladder of DESIGN.md: 7 days before the due date a
// reminder to the unit; on the due date a reminder; 3 days late to the unit's
// leader; 7 days late to the supervising board and the standing committee;
// then weekly (12 times, about three months) until submitted or waived.
func DefaultPolicy() Policy {
	return Policy{
		Steps: []Step{
			{OffsetDays: -7, Audiences: []Audience{AudienceUnit}, Template: "reminder_before_due", Kind: KindReminder},
			{OffsetDays: 0, Audiences: []Audience{AudienceUnit}, Template: "reminder_due_today", Kind: KindReminder},
			{OffsetDays: 3, Audiences: []Audience{AudienceUnitLeader}, Template: "escalation_unit_leader", Kind: KindEscalation},
			{OffsetDays: 7, Audiences: []Audience{AudienceSupervisingBoard, AudienceStandingCommittee}, Template: "escalation_standing_committee", Kind: KindEscalation},
		},
		RepeatEveryDays: 7,
		MaxRepeats:      12,
	}
}

// IsDefault reports whether p is DefaultPolicy's ladder: a plan that keeps
// it stores none of its own, and workflow inputs carry none.
func (p Policy) IsDefault() bool { return reflect.DeepEqual(p, DefaultPolicy()) }

// Problem is one thing wrong with a Policy, named by its JSON field path,
// e.g. "steps[2].audiences[0]".
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every problem found in a Policy.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems into one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return "invalid escalation policy: " + strings.Join(parts, "; ")
}

// Validate returns a *ValidationError listing every problem in p, or nil.
// Schedule and Next assume a valid policy.
func (p Policy) Validate() error {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if len(p.Steps) == 0 {
		add("steps", "at least one step is required")
	}
	for i, s := range p.Steps {
		field := fmt.Sprintf("steps[%d]", i)
		if s.OffsetDays < -MaxOffsetDays || s.OffsetDays > MaxOffsetDays {
			add(field+".offset_days", "must be between %d and %d, got %d", -MaxOffsetDays, MaxOffsetDays, s.OffsetDays)
		}
		if i > 0 && s.OffsetDays <= p.Steps[i-1].OffsetDays {
			add(field+".offset_days", "must be greater than steps[%d].offset_days (%d), got %d", i-1, p.Steps[i-1].OffsetDays, s.OffsetDays)
		}
		if len(s.Audiences) == 0 {
			add(field+".audiences", "at least one audience is required")
		}
		seen := make(map[Audience]int, len(s.Audiences))
		for j, a := range s.Audiences {
			afield := fmt.Sprintf("%s.audiences[%d]", field, j)
			if !a.Valid() {
				add(afield, "unknown audience %q", a)
			} else if k, dup := seen[a]; dup {
				add(afield, "%q is already audiences[%d]", a, k)
			} else {
				seen[a] = j
			}
		}
		if strings.TrimSpace(s.Template) == "" {
			add(field+".template", "required")
		}
		if !s.Kind.Valid() {
			add(field+".kind", "must be %q or %q, got %q", KindReminder, KindEscalation, s.Kind)
		}
	}
	switch {
	case p.RepeatEveryDays < 0 || p.RepeatEveryDays > MaxOffsetDays:
		add("repeat_every_days", "must be between 0 and %d, got %d", MaxOffsetDays, p.RepeatEveryDays)
	case p.RepeatEveryDays > 0 && p.MaxRepeats == 0:
		add("max_repeats", "must be positive when repeat_every_days is set")
	case p.RepeatEveryDays == 0 && p.MaxRepeats != 0:
		add("max_repeats", "must be 0 when repeat_every_days is 0, got %d", p.MaxRepeats)
	}
	if p.MaxRepeats < 0 || p.MaxRepeats > MaxRepeatsLimit {
		add("max_repeats", "must be between 0 and %d, got %d", MaxRepeatsLimit, p.MaxRepeats)
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}
