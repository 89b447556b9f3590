package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"cascade/escalation"
)

// PlanSpec is what the plan workflow needs to drive a plan: who takes part
// and when each cycle is due. It holds ids and dates, not what users read.
type PlanSpec struct {
	Status string
	// Units counts the units taking part; the fan-out reads them from the
	// database in batches.
	Units int `json:",omitempty"`
	// UnitIDs were the units themselves (700 KB at 100,000 units, over a
	// third of the 2 MB payload limit); no longer filled, kept for the
	// histories that hold them.
	UnitIDs []int64 `json:",omitempty"`
	Cycles  []CycleSpec
	// Policy is the plan's own escalation ladder; nil is the default one.
	Policy *escalation.Policy `json:",omitempty"`
}

// CycleSpec is one report cycle of a plan.
type CycleSpec struct {
	ID    int64
	Kind  string
	Year  int
	DueOn string // YYYY-MM-DD
	Title string
}

// cycleTitle names a report for the inbox and emails.
func cycleTitle(kind string, year int) string {
	switch kind {
	case "midterm":
		return fmt.Sprintf("Báo cáo sơ kết giữa nhiệm kỳ năm %d", year)
	case "final":
		return fmt.Sprintf("Báo cáo tổng kết nhiệm kỳ năm %d", year)
	case "semiannual":
		return fmt.Sprintf("Báo cáo 6 tháng năm %d", year)
	}
	return fmt.Sprintf("Báo cáo năm %d", year)
}

// ErrTypePlanNotIssued is the error type of LoadPlan for a plan still a
// draft: its workflow is started only after its issue committed, so it is
// retried for a while, then the workflow fails rather than end as if it ran.
const ErrTypePlanNotIssued = "PlanNotIssued"

// LoadPlan reads an issued plan's cycles and counts its units.
func (a *Activities) LoadPlan(ctx context.Context, planID int64) (*PlanSpec, error) {
	s := a.store()
	p, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	if p.Status == "draft" {
		return nil, temporal.NewApplicationError(fmt.Sprintf("plan %d is a draft: its workflow started before its issue committed", planID), ErrTypePlanNotIssued)
	}
	units, err := s.CountPlanUnits(ctx, planID)
	if err != nil {
		return nil, err
	}
	cycles, err := s.ReportCycles(ctx, planID)
	if err != nil {
		return nil, err
	}
	policy, err := s.EscalationPolicy(ctx, planID)
	if err != nil {
		return nil, err
	}
	spec := &PlanSpec{Status: p.Status, Units: units, Policy: OwnPolicy(policy)}
	for _, c := range cycles {
		spec.Cycles = append(spec.Cycles, CycleSpec{ID: c.ID, Kind: c.Kind, Year: c.Year, DueOn: c.DueOn.String(), Title: cycleTitle(c.Kind, c.Year)})
	}
	return spec, nil
}

// OwnPolicy is p when a plan has a ladder of its own, nil for the default:
// workflow inputs carry only what differs, so a plan to 10,000 units on the
// default ladder does not copy it into every start.
func OwnPolicy(p escalation.Policy) *escalation.Policy {
	if p.IsDefault() {
		return nil
	}
	return &p
}

// ClosePlan closes a plan at the end of its term.
func (a *Activities) ClosePlan(ctx context.Context, planID int64) error {
	return a.store().MarkPlanClosed(ctx, planID)
}
