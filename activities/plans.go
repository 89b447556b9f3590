package activities

import (
	"context"
	"fmt"
)

// PlanSpec is what the plan workflow needs to drive a plan: who takes part
// and when each cycle is due. It holds ids and dates, not what users read.
type PlanSpec struct {
	Status  string
	UnitIDs []int64
	Cycles  []CycleSpec
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

// LoadPlan reads an issued plan's units and cycles.
func (a *Activities) LoadPlan(ctx context.Context, planID int64) (*PlanSpec, error) {
	s := a.store()
	p, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	units, err := s.PlanUnitIDs(ctx, planID)
	if err != nil {
		return nil, err
	}
	cycles, err := s.ReportCycles(ctx, planID)
	if err != nil {
		return nil, err
	}
	spec := &PlanSpec{Status: p.Status, UnitIDs: units}
	for _, c := range cycles {
		spec.Cycles = append(spec.Cycles, CycleSpec{ID: c.ID, Kind: c.Kind, Year: c.Year, DueOn: c.DueOn.String(), Title: cycleTitle(c.Kind, c.Year)})
	}
	return spec, nil
}

// ClosePlan closes a plan at the end of its term.
func (a *Activities) ClosePlan(ctx context.Context, planID int64) error {
	return a.store().MarkPlanClosed(ctx, planID)
}
