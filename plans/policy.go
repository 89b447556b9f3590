package plans

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"cascade/escalation"
)

// LadderTemplates are the email templates a step of a plan's escalation
// ladder may send (a task's ladder sends their task_ variants).
var LadderTemplates = []string{"reminder_before_due", "reminder_due_today", "escalation_unit_leader", "escalation_standing_committee"}

// policyMessages words escalation's problems in Vietnamese, by the last part
// of the field they name.
var policyMessages = map[string]string{
	"steps":             "Cần ít nhất một bước nhắc nhở",
	"offset_days":       "Số ngày so với hạn phải từ -366 đến 366, tăng dần theo từng bước",
	"audiences":         "Chọn ít nhất một nơi nhận",
	"audience":          "Nơi nhận không hợp lệ hoặc bị trùng",
	"template":          "Mẫu thư không hợp lệ",
	"kind":              "Loại bước phải là nhắc nhở hoặc đôn đốc",
	"repeat_every_days": "Số ngày lặp lại phải từ 0 đến 366",
	"max_repeats":       "Số lần lặp lại phải từ 1 đến 104 khi có lặp lại, và 0 khi không lặp",
}

// ValidatePolicy lists every problem of a plan's escalation ladder, each
// named by its field under escalation_policy ("escalation_policy.steps[1].offset_days").
func ValidatePolicy(p escalation.Policy) Problems {
	var ps Problems
	add := func(field, vi, en string) {
		ps = append(ps, Problem{Field: "escalation_policy." + field, Message: vi, MessageEn: en})
	}
	var verr *escalation.ValidationError
	if err := p.Validate(); errors.As(err, &verr) {
		for _, pr := range verr.Problems {
			last := pr.Field[strings.LastIndex(pr.Field, ".")+1:]
			if strings.HasPrefix(last, "audiences[") {
				last = "audience"
			}
			vi, ok := policyMessages[last]
			if !ok {
				vi = "Quy trình nhắc nhở không hợp lệ"
			}
			add(pr.Field, vi, pr.Message)
		}
	}
	for i, s := range p.Steps {
		if strings.TrimSpace(s.Template) != "" && !slices.Contains(LadderTemplates, s.Template) {
			add(fmt.Sprintf("steps[%d].template", i), policyMessages["template"],
				"template must be one of "+strings.Join(LadderTemplates, ", "))
		}
	}
	return ps
}
