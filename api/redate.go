package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"cascade/auth"
	"cascade/calendar"
	"cascade/reports"
	"cascade/store"
	"cascade/workflows"
)

// redateRequest re-dates a plan's open reports together: shift_days moves
// every deadline by that many days, due_day ("dd/mm") sets the annual
// reports' deadline to that day's occurrence nearest each deadline.
type redateRequest struct {
	ShiftDays *int    `json:"shift_days"`
	DueDay    *string `json:"due_day"`
}

// redatedReport is one report the re-dating moved.
type redatedReport struct {
	ID            int64      `json:"id"`
	UnitID        int64      `json:"unit_id"`
	CycleID       int64      `json:"cycle_id"`
	PreviousDueOn store.Date `json:"previous_due_on"`
	DueOn         store.Date `json:"due_on"`
}

var dayMonth = regexp.MustCompile(`^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*$`)

// parseRedate checks the request: exactly one of the two, a shift within a
// year, a day that exists in some year (29/02 allowed).
func parseRedate(req redateRequest) (reports.Redate, *Error) {
	switch {
	case (req.ShiftDays == nil) == (req.DueDay == nil):
		return reports.Redate{}, errUnprocessable().withField("shift_days",
			"Chọn một cách: dời tất cả một số ngày (shift_days) hoặc đặt ngày hạn hằng năm (due_day)",
			"send exactly one of shift_days and due_day")
	case req.ShiftDays != nil:
		if n := *req.ShiftDays; n == 0 || n < -366 || n > 366 {
			return reports.Redate{}, errUnprocessable().withField("shift_days",
				"Số ngày dời phải khác 0 và trong khoảng −366 đến 366", "shift_days must be non-zero, from -366 to 366")
		}
		return reports.Redate{ShiftDays: *req.ShiftDays}, nil
	}
	bad := errUnprocessable().withField("due_day", "Ngày hạn hằng năm phải có dạng ngày/tháng, ví dụ 15/12",
		"due_day must be a day of the year as dd/mm, e.g. 15/12")
	m := dayMonth.FindStringSubmatch(*req.DueDay)
	if m == nil {
		return reports.Redate{}, bad
	}
	day, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	if month < 1 || month > 12 || day < 1 || day > calendar.NewDate(2024, time.Month(month)+1, 0).Day {
		return reports.Redate{}, bad
	}
	return reports.Redate{DueMonth: time.Month(month), DueDay: day}, nil
}

// redateCycles re-dates an issued plan's open reports together, for a
// leader of the plan's unit: the new deadlines, their review rows and one
// audit row are written in one transaction; then each report's workflow
// learns its deadline through the same update a single move sends, keyed as
// the review row so that it records nothing twice. A workflow that is not
// running is started by the reconciler from the stored deadline.
func (s *Server) redateCycles(c *gin.Context) {
	var req redateRequest
	if !bind(c, &req) {
		return
	}
	rule, bad := parseRedate(req)
	if bad != nil {
		respondError(c, bad)
		return
	}
	p, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	if p.Status != "issued" {
		respondError(c, newError(http.StatusConflict, "not_issued", "Kế hoạch chưa ban hành hoặc đã đóng", "the plan is not issued"))
		return
	}
	cal, _, err := s.workingCalendar(c)
	if err != nil {
		respondError(c, err)
		return
	}
	cl := who(c)
	batch := make([]byte, 6)
	_, _ = rand.Read(batch)
	keyOf := func(reportID int64) string {
		return fmt.Sprintf("redate-%d-%s-%d", p.ID, hex.EncodeToString(batch), reportID)
	}
	today := calendar.InVietnam(s.now())
	at := s.now().UTC().Truncate(time.Microsecond)
	moved := []redatedReport{}
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		open, err := tx.LockOpenPlanReports(c, p.ID)
		if err != nil {
			return err
		}
		for _, r := range open {
			due, changed := rule.NewDue(reports.Deadline{Kind: r.Kind, DueOn: calendar.DateOf(r.DueOn.Time)}, cal)
			if !changed {
				continue
			}
			if due.Before(today) {
				field := "shift_days"
				if req.DueDay != nil {
					field = "due_day"
				}
				return errUnprocessable().withField(field,
					fmt.Sprintf("Hạn mới %02d/%02d/%d của một báo cáo đang mở đã qua", due.Day, due.Month, due.Year),
					fmt.Sprintf("the new deadline %s of an open report has passed", due))
			}
			d := store.Date{Time: due.Time()}
			key := keyOf(r.ID)
			if _, err := tx.ReviewReportOnce(c, store.ReportReview{ReportID: r.ID, Action: "deadline", DueOn: &d,
				ByUser: cl.id(), At: at, Key: &key}); err != nil {
				return err
			}
			moved = append(moved, redatedReport{ID: r.ID, UnitID: r.UnitID, CycleID: r.CycleID, PreviousDueOn: r.DueOn, DueOn: d})
		}
		if len(moved) == 0 {
			return nil
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "redate_cycles", Entity: "plan",
			EntityID: strconv.FormatInt(p.ID, 10), After: gin.H{"shift_days": req.ShiftDays, "due_day": req.DueDay, "reports": moved},
			RequestID: requestID(c), UnitID: p.IssuerUnitID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	synced := s.tellReportWorkflows(c, p.ID, moved, keyOf, actorOf(c), cl.id())
	c.JSON(http.StatusOK, gin.H{"moved": len(moved), "workflows_updated": synced, "reports": moved})
}

// tellReportWorkflows sends each moved report's workflow its new deadline,
// a few at a time, and counts the workflows that took it. A busy workflow is
// tried again; one that is not running learns it when the reconciler starts
// it from the stored deadline. The request ending does not stop it half-way.
func (s *Server) tellReportWorkflows(c *gin.Context, planID int64, moved []redatedReport, keyOf func(int64) string,
	actor workflows.Actor, userID *int64) int {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c), 2*time.Minute)
	defer cancel()
	var (
		mu     sync.Mutex
		synced int
		wg     sync.WaitGroup
	)
	work := make(chan redatedReport)
	for range min(8, len(moved)) {
		wg.Go(func() {
			for r := range work {
				err := s.moveReportWorkflow(ctx, planID, r, keyOf(r.ID), actor, userID)
				if err == nil {
					mu.Lock()
					synced++
					mu.Unlock()
					continue
				}
				var notFound *serviceerror.NotFound
				if !errors.As(err, &notFound) {
					logger(c).Error("redate: report workflow kept its deadline", "plan_id", planID, "report_id", r.ID, "error", err)
				}
			}
		})
	}
	for _, r := range moved {
		work <- r
	}
	close(work)
	wg.Wait()
	return synced
}

func (s *Server) moveReportWorkflow(ctx context.Context, planID int64, r redatedReport, key string, actor workflows.Actor, userID *int64) error {
	var err error
	for attempt := range 5 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		var handle client.WorkflowUpdateHandle
		handle, err = s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: workflows.UnitReportID(planID, r.CycleID, r.UnitID), UpdateID: key,
			UpdateName: workflows.UpdateMoveDeadline,
			Args:       []any{workflows.MoveDeadlineRequest{UserID: userID, DueOn: r.DueOn.String(), Actor: actor}},
			// Accepted is enough: the workflow took the date (its validator
			// passed; its ladder re-plans); what its handler records is
			// already stored. A rejected update is final at this stage and
			// its handle answers at once; an accepted one still running
			// answers only past the expired context, which is no error here.
			WaitForStage: client.WorkflowUpdateStageAccepted,
		})
		if err == nil {
			now, cancel := context.WithDeadline(ctx, time.Now())
			err = handle.Get(now, nil)
			cancel()
			if now.Err() != nil && !errors.As(err, new(*temporal.ApplicationError)) {
				err = nil
			}
		}
		var appErr *temporal.ApplicationError
		if err == nil || !errors.As(err, &appErr) || appErr.Type() != "Busy" {
			return err
		}
	}
	return err
}
