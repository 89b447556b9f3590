package dashboard

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"time"

	"cascade/calendar"
	"cascade/store"
)

// Cell is one unit's report for one cycle in the matrix. DueOn is the
// current deadline (moved by a return or a leader) and SubmittedAt the last
// submission; OriginalDueOn and FirstSubmittedAt, what timeliness counts.
// DaysLate is, for an open report, the days past the current deadline (what
// is chased); for a received one, how late its first submission came after
// the original deadline (as timeliness counts it).
type Cell struct {
	CycleID          int64      `json:"cycle_id"`
	ReportID         int64      `json:"report_id"`
	Status           string     `json:"status"`
	DueOn            *string    `json:"due_on"`
	SubmittedAt      *time.Time `json:"submitted_at"`
	DaysLate         int        `json:"days_late"`
	OriginalDueOn    *string    `json:"original_due_on"`
	FirstSubmittedAt *time.Time `json:"first_submitted_at"`
}

// Row is a unit's line of the matrix.
type Row struct {
	Unit  Ref    `json:"unit"`
	Cells []Cell `json:"cells"`
}

// Matrix is the unit × cycle status grid of a subtree; Total counts its
// reporting units (Units is one page of them; -1 on a page read by cursor
// after the first). NextCursor reads the next page (nil on the last).
type Matrix struct {
	Cycles     []Cycle `json:"cycles"`
	Units      []Row   `json:"units"`
	Total      int     `json:"total"`
	NextCursor *string `json:"next_cursor"`
}

// ErrBadCursor is a matrix cursor this package did not hand out.
var ErrBadCursor = errors.New("dashboard: bad matrix cursor")

// Page is which page of the matrix to read: Limit units after the page
// Cursor ended (keyset, stable while units are added), or from Offset.
type Page struct {
	Limit  int
	Offset int
	Cursor string
}

// cursorOf is the cursor of the page ending at the unit at path: the path,
// encoded so that clients treat it as opaque.
func cursorOf(path string) string { return base64.RawURLEncoding.EncodeToString([]byte(path)) }

func pathOf(cursor string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !cursorPath.Match(b) {
		return "", ErrBadCursor
	}
	return string(b), nil
}

var cursorPath = regexp.MustCompile(`^(/[0-9]{1,19})+/$`)

// BuildMatrix lays a subtree's reports out as units × the plan's cycles;
// an open report past due is "late", a cycle without a report "none".
func BuildMatrix(ctx context.Context, st *store.Store, v store.PlanView, node store.Unit, today time.Time, pg Page) (*Matrix, error) {
	var after string
	if pg.Cursor != "" {
		var err error
		if after, err = pathOf(pg.Cursor); err != nil {
			return nil, err
		}
	}
	cycles := v.Cycles
	ids := make([]int64, len(cycles))
	for i, c := range cycles {
		ids[i] = c.ID
	}
	cells, total, more, err := st.Matrix(ctx, v.ID, node.Path, ids, store.MatrixPage{Limit: pg.Limit, Offset: pg.Offset, After: after})
	if err != nil {
		return nil, err
	}
	m := matrixOf(cycles, cells, total, today)
	if more && len(cells) > 0 {
		c := cursorOf(cells[len(cells)-1].UnitPath)
		m.NextCursor = &c
	}
	return m, nil
}

func matrixOf(cycles []store.ReportCycle, cells []store.MatrixCell, total int, today time.Time) *Matrix {
	m := &Matrix{Cycles: make([]Cycle, len(cycles)), Units: []Row{}, Total: total}
	pos := map[int64]int{}
	for i, cy := range cycles {
		m.Cycles[i] = Cycle{ID: cy.ID, Kind: cy.Kind, Year: cy.Year, DueOn: cy.DueOn}
		pos[cy.ID] = i
	}
	for _, cell := range cells {
		n := len(m.Units)
		if n == 0 || m.Units[n-1].Unit.ID != cell.UnitID {
			row := Row{Unit: Ref{ID: cell.UnitID, Name: cell.UnitName}, Cells: make([]Cell, len(cycles))}
			for i, cy := range cycles {
				row.Cells[i] = Cell{CycleID: cy.ID, Status: "none"}
			}
			m.Units = append(m.Units, row)
			n++
		}
		if cell.CycleID == 0 || cell.DueOn == nil {
			continue // a unit of the plan with no report yet: its cells stay "none"
		}
		due := cell.DueOn.String()
		mc := Cell{CycleID: cell.CycleID, ReportID: cell.ReportID, Status: cell.Status, DueOn: &due, SubmittedAt: cell.SubmittedAt,
			FirstSubmittedAt: cell.FirstSubmittedAt}
		original := *cell.DueOn
		if cell.OriginalDueOn != nil {
			original = *cell.OriginalDueOn
		}
		od := original.String()
		mc.OriginalDueOn = &od
		switch cell.Status {
		case "pending", "draft", "returned":
			if late := DaysBetween(cell.DueOn.Time, today); late > 0 {
				mc.Status, mc.DaysLate = "late", late
			}
		case "submitted", "accepted":
			first := cell.FirstSubmittedAt
			if first == nil {
				first = cell.SubmittedAt
			}
			if first != nil {
				mc.DaysLate = max(0, DaysBetween(original.Time, calendar.InVietnam(*first).Time()))
			}
		}
		m.Units[n-1].Cells[pos[cell.CycleID]] = mc
	}
	return m
}

// DaysBetween counts the days from one day to another.
func DaysBetween(from, to time.Time) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}
