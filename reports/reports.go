// Package reports holds the rules of a unit's report: what a submitted value
// must satisfy. Plain Go, shared by the API, the workflows' update validators
// and the activities.
package reports

import (
	"fmt"
	"math"
	"strings"
)

// Value is a unit's figure for one target: Value for a count, or Numerator
// over Denominator for a percentage (so that totals over the tree divide
// summed numerators by summed denominators, never average percentages).
type Value struct {
	TargetID    int64    `json:"target_id"`
	Value       *float64 `json:"value,omitempty"`
	Numerator   *float64 `json:"numerator,omitempty"`
	Denominator *float64 `json:"denominator,omitempty"`
}

// Problem is one thing wrong with a submission, named by its field, in
// Vietnamese and English.
type Problem struct {
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// Problems is every problem of a submission; it is an error when not empty.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Field + ": " + p.MessageEn
	}
	return "invalid report: " + strings.Join(parts, "; ")
}

// Validate lists every problem of values at once; nil when there is none.
func Validate(values []Value) error {
	var ps Problems
	if len(values) == 0 {
		ps = append(ps, Problem{"values", "Báo cáo chưa có số liệu nào", "the report has no values"})
	}
	seen := map[int64]bool{}
	for i, v := range values {
		f := fmt.Sprintf("values[%d]", i)
		if v.TargetID <= 0 {
			ps = append(ps, Problem{f + ".target_id", "Thiếu chỉ tiêu", "target_id is required"})
		} else if seen[v.TargetID] {
			ps = append(ps, Problem{f + ".target_id", "Chỉ tiêu bị nhập hai lần", "target given twice"})
		}
		seen[v.TargetID] = true
		hasRatio := v.Numerator != nil || v.Denominator != nil
		switch {
		case v.Value == nil && !hasRatio:
			ps = append(ps, Problem{f + ".value", "Chưa nhập số liệu", "a value is required"})
		case v.Value != nil && hasRatio:
			ps = append(ps, Problem{f + ".value", "Chỉ nhập giá trị hoặc tử số/mẫu số, không cả hai", "give a value or a numerator and denominator, not both"})
		case v.Value != nil:
			if bad(*v.Value) {
				ps = append(ps, Problem{f + ".value", "Số liệu phải là số không âm", "value must be a non-negative number"})
			}
		default:
			if v.Numerator == nil || bad(*v.Numerator) {
				ps = append(ps, Problem{f + ".numerator", "Tử số phải là số không âm", "numerator must be a non-negative number"})
			}
			if v.Denominator == nil || bad(*v.Denominator) || *v.Denominator == 0 {
				ps = append(ps, Problem{f + ".denominator", "Mẫu số phải là số dương", "denominator must be a positive number"})
			} else if v.Numerator != nil && *v.Numerator > *v.Denominator {
				ps = append(ps, Problem{f + ".numerator", "Tử số không được lớn hơn mẫu số", "numerator must not exceed the denominator"})
			}
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// CheckDraft lists the figures of a draft that no report may hold: a draft
// may be incomplete, but a figure below zero is never a count, a rate or a
// part of one. nil when there is none.
func CheckDraft(values []Value) Problems {
	var ps Problems
	for i, v := range values {
		f := fmt.Sprintf("values[%d]", i)
		if v.Value != nil && bad(*v.Value) {
			ps = append(ps, Problem{f + ".value", "Số liệu phải là số không âm", "value must be a non-negative number"})
		}
		if v.Numerator != nil && bad(*v.Numerator) {
			ps = append(ps, Problem{f + ".numerator", "Tử số phải là số không âm", "numerator must be a non-negative number"})
		}
		if v.Denominator != nil && bad(*v.Denominator) {
			ps = append(ps, Problem{f + ".denominator", "Mẫu số phải là số không âm", "denominator must be a non-negative number"})
		}
	}
	return ps
}

func bad(f float64) bool { return f < 0 || math.IsNaN(f) || math.IsInf(f, 0) }
