package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
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
// one): the plan's targets rolled up over the tree of Unit (see ReviewUnit)
// against their targets, completeness and timeliness overall and per unit,
// and the units that had not reported.
type Dossier struct {
	Plan      PlanRef `json:"plan"`
	PlanPlace string  `json:"plan_place"`
	Issuer    Ref     `json:"issuer"`
	// Unit is the unit whose subtree the dossier rolls up: the issuer, or
	// the nearest unit above it whose subtree holds every unit of the plan.
	Unit         Ref                   `json:"unit"`
	Cycle        Cycle                 `json:"cycle"`
	CompiledAt   time.Time             `json:"compiled_at"`
	Targets      []Target              `json:"targets"`
	Completeness progress.Completeness `json:"completeness"`
	Units        []UnitStanding        `json:"units"`
	Late         []UnitStanding        `json:"late"`
}

// ReviewUnit is the unit a plan's review rolls up over: the smallest
// subtree, walking up from the issuing unit, that holds every unit of the
// plan. A plan issued by a standing committee (Ban Thường vụ, a leaf beside
// the districts) is reviewed over the whole province it sits in, not over
// the committee's empty subtree. It returns the issuer too.
func ReviewUnit(ctx context.Context, st *store.Store, plan store.Plan) (unit, issuer store.Unit, err error) {
	if plan.IssuerUnitID == nil {
		return store.Unit{}, store.Unit{}, fmt.Errorf("plan %d has no issuing unit", plan.ID)
	}
	issuer, err = st.Unit(ctx, *plan.IssuerUnitID)
	if err != nil {
		return store.Unit{}, store.Unit{}, err
	}
	ids, err := st.PlanUnitIDs(ctx, plan.ID)
	if err != nil {
		return store.Unit{}, store.Unit{}, err
	}
	units, err := st.Units(ctx, ids)
	if err != nil {
		return store.Unit{}, store.Unit{}, err
	}
	unit = issuer
	for unit.ParentID != nil && !holdsAll(unit, units) {
		if unit, err = st.Unit(ctx, *unit.ParentID); err != nil {
			return store.Unit{}, store.Unit{}, err
		}
	}
	return unit, issuer, nil
}

func holdsAll(node store.Unit, units []store.Unit) bool {
	for _, u := range units {
		if !strings.HasPrefix(u.Path, node.Path) {
			return false
		}
	}
	return true
}

// Compile builds the dossier of a plan's cycle as of now over the subtree
// of ReviewUnit and stores it (replacing an earlier compilation of the same
// cycle). created says whether this is the cycle's first.
func Compile(ctx context.Context, st *store.Store, planID, cycleID int64, now time.Time, by *int64) (store.Review, bool, error) {
	v, err := st.PlanView(ctx, planID, nil, 0)
	if err != nil {
		return store.Review{}, false, err
	}
	plan := v.Plan
	root, issuer, err := ReviewUnit(ctx, st, plan)
	if err != nil {
		return store.Review{}, false, err
	}
	today := calendar.InVietnam(now).Time()
	d, err := Build(ctx, st, v, root, cycleID, today)
	if err != nil {
		return store.Review{}, false, err
	}
	if d.Cycle == nil || d.Cycle.ID != cycleID {
		return store.Review{}, false, fmt.Errorf("cycle %d of plan %d: %w", cycleID, planID, store.ErrNotFound)
	}
	dossier := Dossier{Plan: d.Plan, PlanPlace: plan.Place, Issuer: Ref{ID: issuer.ID, Name: issuer.Name}, Unit: d.Unit, Cycle: *d.Cycle, CompiledAt: now.UTC(),
		Targets: d.Targets, Completeness: d.Completeness, Units: []UnitStanding{}, Late: []UnitStanding{}}

	counts, err := st.CompletenessByUnit(ctx, root.Path, cycleID)
	if err != nil {
		return store.Review{}, false, err
	}
	m, err := BuildMatrix(ctx, st, v, root, today, Page{Limit: 1 << 30})
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
