package store

// AuditFigure is one target's figure as the audit log keeps it: the target
// by its text (the log names it the way the form does), with its value or
// its numerator and denominator. Ids stay out: the log is read by people.
type AuditFigure struct {
	Target      string   `json:"target"`
	Value       *float64 `json:"value,omitempty"`
	Numerator   *float64 `json:"numerator,omitempty"`
	Denominator *float64 `json:"denominator,omitempty"`
}

// auditTargetText is at most this many characters of a target's text.
const auditTargetText = 90

// AuditFigures are a report's figures for its audit row, in the plan's
// target order; nil when there are none.
func AuditFigures(targets []Target, values []ReportValue) []AuditFigure {
	byTarget := make(map[int64]ReportValue, len(values))
	for _, v := range values {
		byTarget[v.TargetID] = v
	}
	var out []AuditFigure
	for _, t := range targets {
		v, ok := byTarget[t.ID]
		if !ok {
			continue
		}
		text := []rune(t.Text)
		if len(text) > auditTargetText {
			text = append(text[:auditTargetText-1], '…')
		}
		out = append(out, AuditFigure{Target: string(text), Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator})
	}
	return out
}
