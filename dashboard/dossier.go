package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"cascade/calendar"
	"cascade/progress"
	"cascade/store"
)

// UnitStanding is one reporting unit's report in a review's cycle.
type UnitStanding struct {
	Unit Ref `json:"unit"`
	progress.Completeness
	Status           string     `json:"status"`
	DueOn            *string    `json:"due_on"`
	SubmittedAt      *time.Time `json:"submitted_at"`
	DaysLate         int        `json:"days_late"`
	OriginalDueOn    *string    `json:"original_due_on"`
	FirstSubmittedAt *time.Time `json:"first_submitted_at"`
}

// Dossier is a review (sơ kết for a mid-term cycle, tổng kết for the final
// one): the plan's targets rolled up over the issuing unit's tree against
// their targets, completeness and timeliness overall and per unit, and the
// units that had not reported.
type Dossier struct {
	Plan         PlanRef               `json:"plan"`
	PlanPlace    string                `json:"plan_place"`
	Issuer       Ref                   `json:"issuer"`
	Cycle        Cycle                 `json:"cycle"`
	CompiledAt   time.Time             `json:"compiled_at"`
	Targets      []Target              `json:"targets"`
	Completeness progress.Completeness `json:"completeness"`
	Units        []UnitStanding        `json:"units"`
	Late         []UnitStanding        `json:"late"`
}

// Compile builds the dossier of a plan's cycle as of now and stores it
// (replacing an earlier compilation of the same cycle). created says
// whether this is the cycle's first.
func Compile(ctx context.Context, st *store.Store, planID, cycleID int64, now time.Time, by *int64) (store.Review, bool, error) {
	plan, err := st.Plan(ctx, planID)
	if err != nil {
		return store.Review{}, false, err
	}
	if plan.IssuerUnitID == nil {
		return store.Review{}, false, fmt.Errorf("plan %d has no issuing unit", planID)
	}
	issuer, err := st.Unit(ctx, *plan.IssuerUnitID)
	if err != nil {
		return store.Review{}, false, err
	}
	today := calendar.InVietnam(now).Time()
	d, err := Build(ctx, st, plan, issuer, cycleID, today)
	if err != nil {
		return store.Review{}, false, err
	}
	if d.Cycle == nil || d.Cycle.ID != cycleID {
		return store.Review{}, false, fmt.Errorf("cycle %d of plan %d: %w", cycleID, planID, store.ErrNotFound)
	}
	dossier := Dossier{Plan: d.Plan, PlanPlace: plan.Place, Issuer: d.Unit, Cycle: *d.Cycle, CompiledAt: now.UTC(),
		Targets: d.Targets, Completeness: d.Completeness, Units: []UnitStanding{}, Late: []UnitStanding{}}

	counts, err := st.CompletenessByUnit(ctx, issuer.Path, cycleID)
	if err != nil {
		return store.Review{}, false, err
	}
	m, err := BuildMatrix(ctx, st, plan, issuer, today, 1<<30, 0)
	if err != nil {
		return store.Review{}, false, err
	}
	cellOf := map[int64]Cell{}
	for _, row := range m.Units {
		for _, c := range row.Cells {
			if c.CycleID == cycleID {
				cellOf[row.Unit.ID] = c
			}
		}
	}
	names := map[int64]string{}
	for _, row := range m.Units {
		names[row.Unit.ID] = row.Unit.Name
	}
	for _, c := range counts {
		cell := cellOf[c.UnitID]
		u := UnitStanding{Unit: Ref{ID: c.UnitID, Name: names[c.UnitID]}, Completeness: progress.Rates(c.Expected, c.Received, c.OnTime),
			Status: cell.Status, DueOn: cell.DueOn, SubmittedAt: cell.SubmittedAt, DaysLate: cell.DaysLate,
			OriginalDueOn: cell.OriginalDueOn, FirstSubmittedAt: cell.FirstSubmittedAt}
		dossier.Units = append(dossier.Units, u)
		if cell.Status == "late" {
			dossier.Late = append(dossier.Late, u)
		}
	}
	raw, err := json.Marshal(dossier)
	if err != nil {
		return store.Review{}, false, fmt.Errorf("encode dossier: %w", err)
	}
	return st.SaveReview(ctx, planID, cycleID, raw, now, by)
}
