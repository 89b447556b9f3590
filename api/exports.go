package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/calendar"
	"cascade/dashboard"
	"cascade/export"
	"cascade/store"
)

const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// planExport is the dashboard of a subtree and its whole unit × cycle
// matrix as an Excel workbook.
func (s *Server) planExport(c *gin.Context) {
	p, node, cycleID, ok := s.dashboardScope(c)
	if !ok {
		return
	}
	st := store.New(s.DB)
	today := s.today()
	d, err := dashboard.Build(c, st, p, node, cycleID, today)
	if err != nil {
		respondError(c, err)
		return
	}
	m, err := dashboard.BuildMatrix(c, st, p, node, today, dashboard.Page{Limit: 1 << 30})
	if err != nil {
		respondError(c, err)
		return
	}
	var buf bytes.Buffer
	if err := export.Workbook(&buf, d, m); err != nil {
		respondError(c, err)
		return
	}
	attachment(c, exportName(p.Code, p.ID, today), xlsxType, buf.Bytes())
}

// exportName names a plan's workbook by its code and the day it was made:
// "Tien-do-321-KH-BTV-04-12-2026.xlsx"; a plan without a code by its id.
func exportName(code string, id int64, day time.Time) string {
	label := strings.Trim(strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == '"' || r < 0x20 {
			return '-'
		}
		return r
	}, strings.TrimSpace(code)), "-")
	if label == "" {
		label = fmt.Sprintf("ke-hoach-%d", id)
	}
	return fmt.Sprintf("Tien-do-%s-%s.xlsx", label, day.Format("02-01-2006"))
}

// attachment answers a file to download, its name given in UTF-8 too.
func attachment(c *gin.Context, name, contentType string, data []byte) {
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, asciiName(name), url.PathEscape(name)))
	c.Data(http.StatusOK, contentType, data)
}

func asciiName(s string) string {
	b := []byte{}
	for _, r := range s {
		switch {
		case r < 0x20 || r == '"' || r == '\\' || r > 0x7e:
			b = append(b, '_')
		default:
			b = append(b, byte(r))
		}
	}
	return string(b)
}

type reviewItem struct {
	ID         int64           `json:"id"`
	Cycle      dashboard.Cycle `json:"cycle"`
	CompiledAt time.Time       `json:"compiled_at"`
}

func (s *Server) planReviews(c *gin.Context) {
	p, ok := s.planFor(c, auth.ActionView)
	if !ok {
		return
	}
	rs, err := store.New(s.DB).ReviewsOfPlan(c, p.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	items := make([]reviewItem, len(rs))
	for i, r := range rs {
		items[i] = reviewItem{ID: r.ID, Cycle: dashboard.Cycle{ID: r.CycleID, Kind: r.Kind, Year: r.Year}, CompiledAt: r.CompiledAt}
	}
	c.JSON(http.StatusOK, gin.H{"reviews": items})
}

type compileReviewRequest struct {
	CycleID int64 `json:"cycle_id" binding:"required,gt=0"`
}

// compileReview compiles a cycle's review dossier now, at a leader's
// request; the workflow compiles it (and mails the leaders) when a
// mid-term or final cycle closes.
func (s *Server) compileReview(c *gin.Context) {
	var req compileReviewRequest
	if !bind(c, &req) {
		return
	}
	p, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	st := store.New(s.DB)
	cycles, err := st.ReportCycles(c, p.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	found := false
	for _, cy := range cycles {
		found = found || cy.ID == req.CycleID
	}
	if !found {
		respondError(c, errUnprocessable().withField("cycle_id", "Kỳ báo cáo không thuộc kế hoạch này", "the cycle is not one of this plan's"))
		return
	}
	var rv store.Review
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if rv, _, err = dashboard.Compile(c, tx, p.ID, req.CycleID, s.now(), who(c).id()); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: who(c).id(), Actor: who(c).User.Email, Action: "compile_review", Entity: "review",
			EntityID: fmt.Sprint(rv.ID), UnitID: p.IssuerUnitID, RequestID: requestID(c)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.Data(http.StatusCreated, "application/json; charset=utf-8", rv.Dossier)
}

// reviewFor loads the review of :id with its plan's issuing unit; whoever
// may read its plan may read it.
func (s *Server) reviewFor(c *gin.Context) (store.Review, *dashboard.Dossier, store.Unit, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return store.Review{}, nil, store.Unit{}, false
	}
	st := store.New(s.DB)
	rv, err := st.ReviewByID(c, id)
	if err != nil {
		respondError(c, err)
		return store.Review{}, nil, store.Unit{}, false
	}
	p, err := st.Plan(c, rv.PlanID)
	if err != nil {
		respondError(c, err)
		return store.Review{}, nil, store.Unit{}, false
	}
	issuer, err := st.Unit(c, *p.IssuerUnitID)
	if err != nil {
		respondError(c, err)
		return store.Review{}, nil, store.Unit{}, false
	}
	if !allow(c, auth.ActionView, issuer.Path) {
		return store.Review{}, nil, store.Unit{}, false
	}
	var d dashboard.Dossier
	if err := json.Unmarshal(rv.Dossier, &d); err != nil {
		respondError(c, err)
		return store.Review{}, nil, store.Unit{}, false
	}
	return rv, &d, issuer, true
}

func (s *Server) getReview(c *gin.Context) {
	rv, _, _, ok := s.reviewFor(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": rv.ID, "plan_id": rv.PlanID, "cycle_id": rv.CycleID, "compiled_at": rv.CompiledAt, "dossier": rv.Dossier})
}

func (s *Server) reviewDocx(c *gin.Context) {
	rv, d, issuer, ok := s.reviewFor(c)
	if !ok {
		return
	}
	doc := export.ReviewDoc{Date: calendar.InVietnam(rv.CompiledAt).Time()}
	// The body the issuer belongs to heads the document above it
	// ("HỘI LHPN TỈNH KHÁNH HÒA" over "BAN THƯỜNG VỤ").
	if issuer.ParentID != nil {
		parent, err := store.New(s.DB).Unit(c, *issuer.ParentID)
		if err != nil {
			respondError(c, err)
			return
		}
		doc.Parent = parent.Name
	}
	var buf bytes.Buffer
	if err := export.ReviewDocx(&buf, d, doc); err != nil {
		respondError(c, err)
		return
	}
	attachment(c, fmt.Sprintf("bao-cao-%s-%d.docx", reviewSlug[d.Cycle.Kind], d.Cycle.Year), docxType, buf.Bytes())
}

// reviewSlug names a review report's file by its cycle's kind.
var reviewSlug = map[string]string{"annual": "nam", "semiannual": "6-thang", "midterm": "so-ket", "final": "tong-ket"}
