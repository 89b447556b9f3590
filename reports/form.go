package reports

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// FormTarget is a target of a unit's report form: its measure ("count" or
// "percent") says which fields a value needs.
type FormTarget struct {
	ID      int64
	Measure string
	Text    string
}

// CheckForm lists every problem of a submission against the unit's form at
// once: the problems Validate finds, a target not on the form, a count
// given as a ratio or a percentage without its numerator and denominator.
// nil when there is none.
//
// A target of the form left out is not a problem: as in DHIS2, a report
// may be completed with some values missing. Such a target has no data
// for the unit (see NoData), which the dashboard and the review report
// show as "no data", never as 0.
func CheckForm(targets []FormTarget, values []Value) error {
	var ps Problems
	if err := Validate(values); err != nil {
		ps = append(ps, err.(Problems)...)
	}
	byID := map[int64]FormTarget{}
	for _, t := range targets {
		byID[t.ID] = t
	}
	for i, v := range values {
		t, ok := byID[v.TargetID]
		f := fmt.Sprintf("values[%d]", i)
		switch {
		case v.TargetID <= 0:
		case !ok:
			ps = append(ps, Problem{f + ".target_id", "Chỉ tiêu không thuộc biểu mẫu báo cáo của đơn vị", "target is not on the unit's report form"})
		case t.Measure == "percent" && v.Value != nil:
			ps = append(ps, Problem{f + ".numerator", "Chỉ tiêu tỷ lệ: nhập tử số và mẫu số", "a percentage needs a numerator and a denominator"})
		case t.Measure != "percent" && v.Value == nil && (v.Numerator != nil || v.Denominator != nil):
			ps = append(ps, Problem{f + ".value", "Chỉ tiêu số lượng: nhập một giá trị", "a count needs a value"})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// Plausibility flags values that are hard to believe next to the unit's
// previous report (figures are reached since the term began): a count
// that went down or grew more than tenfold, a percentage that moved by
// more than 20 points. These are warnings: the report is not refused.
func Plausibility(values []Value, previous map[int64]Value) Problems {
	ps := Problems{}
	for i, v := range values {
		p, ok := previous[v.TargetID]
		if !ok {
			continue
		}
		f := fmt.Sprintf("values[%d]", i)
		switch {
		case v.Value != nil && p.Value != nil:
			now, before := *v.Value, *p.Value
			if now < before {
				ps = append(ps, Problem{f + ".value", fmt.Sprintf("Thấp hơn kỳ trước (%s): số lũy kế thường không giảm", num(before)),
					fmt.Sprintf("lower than the previous report (%s): a running total seldom goes down", num(before))})
			} else if before > 0 && now > 10*before {
				ps = append(ps, Problem{f + ".value", fmt.Sprintf("Gấp hơn 10 lần kỳ trước (%s), đề nghị kiểm tra", num(before)),
					fmt.Sprintf("more than ten times the previous report (%s), please check", num(before))})
			}
		case v.Numerator != nil && v.Denominator != nil && p.Numerator != nil && p.Denominator != nil && *v.Denominator > 0 && *p.Denominator > 0:
			now, before := 100**v.Numerator / *v.Denominator, 100**p.Numerator / *p.Denominator
			if math.Abs(now-before) > 20 {
				ps = append(ps, Problem{f + ".numerator", fmt.Sprintf("Tỷ lệ thay đổi hơn 20 điểm so với kỳ trước (%s%%), đề nghị kiểm tra", num(before)),
					fmt.Sprintf("the rate moved more than 20 points from the previous report (%s%%), please check", num(before))})
			}
		}
	}
	return ps
}

// num writes a figure the Vietnamese way for a message (2.700; 8,5).
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	intPart, frac := s[:len(s)-3], s[len(s)-2:]
	out := ""
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out += "."
		}
		out += string(r)
	}
	switch {
	case frac == "00":
	case frac[1] == '0':
		out += "," + frac[:1]
	default:
		out += "," + frac
	}
	return out
}

// targetMention finds "chỉ tiêu 3", "chỉ tiêu số 3", "CT3", "target 3" or
// "target #3" in a reviewer's comment.
var targetMention = regexp.MustCompile(`(?i)(?:chỉ\s+tiêu|\bct|\btarget)\s*(?:số\s*|no\.?\s*|#\s*)?(\d{1,4})\b`)

// MentionedTargets lists the form positions (1 for the form's first
// target) a comment names, in the order named, each once; positions past
// n are left out. A comment that names none concerns the whole report.
func MentionedTargets(comment string, n int) []int {
	out := []int{}
	seen := map[int]bool{}
	for _, m := range targetMention.FindAllStringSubmatch(comment, -1) {
		k, err := strconv.Atoi(m[1])
		if err != nil || k < 1 || k > n || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	return out
}

// NoData lists the targets of the form a submission gives no figure for,
// in the form's order.
func NoData(targets []FormTarget, values []Value) []int64 {
	given := map[int64]bool{}
	for _, v := range values {
		given[v.TargetID] = true
	}
	out := []int64{}
	for _, t := range targets {
		if !given[t.ID] {
			out = append(out, t.ID)
		}
	}
	return out
}

// Narrative is a report's text on one of the plan's task groups.
type Narrative struct {
	TaskGroupID int64
	Text        string
}

// MaxNarrative is the longest narrative, in bytes.
const MaxNarrative = 20000

// CheckNarratives lists every problem of a report's narratives at once: a
// group not of the plan (groups are the plan's task group IDs), a group
// given twice, a text too long. nil when there is none.
func CheckNarratives(groups []int64, ns []Narrative) Problems {
	known := make(map[int64]bool, len(groups))
	for _, g := range groups {
		known[g] = true
	}
	var ps Problems
	seen := map[int64]bool{}
	for i, n := range ns {
		f := fmt.Sprintf("narratives[%d]", i)
		switch {
		case !known[n.TaskGroupID]:
			ps = append(ps, Problem{f + ".task_group_id", "Nhóm nhiệm vụ không thuộc kế hoạch này", "task group is not part of this plan"})
		case seen[n.TaskGroupID]:
			ps = append(ps, Problem{f + ".task_group_id", "Nhóm nhiệm vụ bị nhập hai lần", "task group given twice"})
		case len(n.Text) > MaxNarrative:
			ps = append(ps, Problem{f + ".text", "Tối đa 20000 ký tự", "at most 20000 characters"})
		}
		seen[n.TaskGroupID] = true
	}
	return ps
}

// Open says whether a report in this status still takes a draft or a
// submission: pending, draft or returned; not once submitted, accepted or
// waived.
func Open(status string) bool {
	return status == "pending" || status == "draft" || status == "returned"
}
