package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/calendar"
	"cascade/dashboard"
	"cascade/store"
)

// dashboardScope resolves what a dashboard, matrix, late list or export
// is about, in one load (store.PlanView): the plan of :id (which the caller
// may read), the node of ?unit_id= (default the caller's top unit; it must
// be in the caller's scope, so a district sees only its subtree) and
// ?cycle_id= (optional, a cycle of the plan).
func (s *Server) dashboardScope(c *gin.Context) (store.PlanView, store.Unit, int64, bool) {
	unitID, ok := queryID(c, "unit_id")
	if !ok {
		return store.PlanView{}, store.Unit{}, 0, false
	}
	cycleID, ok := queryID(c, "cycle_id")
	if !ok {
		return store.PlanView{}, store.Unit{}, 0, false
	}
	if unitID == 0 {
		top := ""
		for _, m := range who(c).Members {
			if m.UnitPath != "" && (top == "" || len(m.UnitPath) < len(top)) {
				top, unitID = m.UnitPath, m.UnitID
			}
		}
	}
	v, ok := s.planView(c, auth.ActionView, unitID)
	if !ok {
		return store.PlanView{}, store.Unit{}, 0, false
	}
	if v.Node == nil {
		respondError(c, errNotFound())
		return store.PlanView{}, store.Unit{}, 0, false
	}
	if !allow(c, auth.ActionView, v.Node.Path) {
		return store.PlanView{}, store.Unit{}, 0, false
	}
	if _, found := v.Cycle(cycleID); cycleID != 0 && !found {
		respondError(c, errUnprocessable().withField("cycle_id", "Kỳ báo cáo không thuộc kế hoạch này", "the cycle is not one of this plan's"))
		return store.PlanView{}, store.Unit{}, 0, false
	}
	return v, *v.Node, cycleID, true
}

// queryID reads an optional positive id from the query string; 0 when absent.
func queryID(c *gin.Context, name string) (int64, bool) {
	v := c.Query(name)
	if v == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		respondError(c, errInvalid().withField(name, "Phải là một mã số dương", "must be a positive id"))
		return 0, false
	}
	return id, true
}

// today is the caller's day in Vietnam.
func (s *Server) today() time.Time { return calendar.InVietnam(s.now()).Time() }

func (s *Server) planDashboard(c *gin.Context) {
	p, node, cycleID, ok := s.dashboardScope(c)
	if !ok {
		return
	}
	d, err := dashboard.Build(c, store.New(s.DB), p, node, cycleID, s.today())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) targetBreakdown(c *gin.Context) {
	p, node, cycleID, ok := s.dashboardScope(c)
	if !ok {
		return
	}
	targetID, ok := pathID(c, "target_id")
	if !ok {
		return
	}
	b, err := dashboard.BuildBreakdown(c, store.New(s.DB), p, node, targetID, cycleID, s.today())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

// planMatrix is the unit × cycle status grid of a subtree, a page of units
// at a time (?limit= default 1000, at most 10000): the next page by
// ?cursor= (the previous page's next_cursor, keyset), or by ?offset=.
func (s *Server) planMatrix(c *gin.Context) {
	p, node, _, ok := s.dashboardScope(c)
	if !ok {
		return
	}
	limit, offset, ok := page(c, 1000, 10000)
	if !ok {
		return
	}
	cursor := c.Query("cursor")
	if cursor != "" && offset != 0 {
		respondError(c, errInvalid().withField("cursor", "Không dùng cùng offset", "cannot be used with offset"))
		return
	}
	m, err := dashboard.BuildMatrix(c, store.New(s.DB), p, node, s.today(), dashboard.Page{Limit: limit, Offset: offset, Cursor: cursor})
	if errors.Is(err, dashboard.ErrBadCursor) {
		respondError(c, errInvalid().withField("cursor", "Không hợp lệ, hãy dùng next_cursor của trang trước", "is not valid: use the previous page's next_cursor"))
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

func page(c *gin.Context, def, most int) (limit, offset int, ok bool) {
	limit, offset = def, 0
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > most {
			respondError(c, errInvalid().withField("limit", "Phải từ 1 đến "+strconv.Itoa(most), "must be 1 to "+strconv.Itoa(most)))
			return 0, 0, false
		}
		limit = n
	}
	if v := c.Query("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			respondError(c, errInvalid().withField("offset", "Phải là số không âm", "must be a non-negative number"))
			return 0, 0, false
		}
		offset = n
	}
	return limit, offset, true
}

type lastNotification struct {
	Template  string     `json:"template"`
	Recipient string     `json:"recipient"`
	SentAt    *time.Time `json:"sent_at"`
}

type lateItem struct {
	ReportID         int64             `json:"report_id"`
	Unit             dashboard.Ref     `json:"unit"`
	Cycle            dashboard.Cycle   `json:"cycle"`
	DueOn            store.Date        `json:"due_on"`
	DaysLate         int               `json:"days_late"`
	LastNotification *lastNotification `json:"last_notification"`
}

// planLate lists a subtree's reports past due (of ?cycle_id= only, when
// given), the latest first, with the last reminder or escalation sent about
// each, a leader's reminder included.
func (s *Server) planLate(c *gin.Context) {
	p, node, cycleID, ok := s.dashboardScope(c)
	if !ok {
		return
	}
	limit, _, ok := page(c, 1000, 10000)
	if !ok {
		return
	}
	items, err := lateList(c, store.New(s.DB), p.Plan, node, cycleID, s.today(), limit)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"late": items})
}

func lateList(c *gin.Context, st *store.Store, p store.Plan, node store.Unit, cycleID int64, today time.Time, limit int) ([]lateItem, error) {
	rows, err := st.LateReports(c, p.ID, node.Path, cycleID, store.DateOf(today), limit)
	if err != nil {
		return nil, err
	}
	items := make([]lateItem, len(rows))
	for i, r := range rows {
		items[i] = lateItem{ReportID: r.ReportID, Unit: dashboard.Ref{ID: r.UnitID, Name: r.UnitName},
			Cycle: dashboard.Cycle{ID: r.CycleID, Kind: r.CycleKind, Year: r.CycleYear}, DueOn: r.DueOn, DaysLate: r.DaysLate}
		if r.LastTemplate != nil {
			items[i].LastNotification = &lastNotification{Template: *r.LastTemplate, Recipient: *r.LastRecipient, SentAt: r.LastSentAt}
		}
	}
	return items, nil
}
