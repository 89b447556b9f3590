package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cascade/activities"
	"cascade/auth"
	"cascade/store"
)

// issuePreviewUnit is one unit in the issue confirmation: the tasks it
// receives and the address their emails go to ("" holds them).
type issuePreviewUnit struct {
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Emails int    `json:"emails"`
}

// issuePreview answers what issuing the draft plan would mail at once: one
// task_assigned email per task it opens, by unit (GET
// /plans/:id/issue-preview, for those who may issue it). The reports'
// reminders come later, before their due dates.
func (s *Server) issuePreview(c *gin.Context) {
	plan, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	if plan.Status != "draft" {
		respondError(c, newError(http.StatusConflict, "not_draft", "Kế hoạch đã được ban hành hoặc đã đóng", "the plan is not a draft"))
		return
	}
	mails, err := activities.IssueMails(c, s.DB, plan.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	ids := make([]int64, len(mails))
	for i, m := range mails {
		ids[i] = m.UnitID
	}
	units, err := store.New(s.DB).Units(c, ids)
	if err != nil {
		respondError(c, err)
		return
	}
	byID := make(map[int64]store.Unit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	out := make([]issuePreviewUnit, 0, len(mails))
	total := 0
	for _, m := range mails {
		u := byID[m.UnitID]
		out = append(out, issuePreviewUnit{UnitID: m.UnitID, Name: u.Name, Email: u.Email, Emails: m.Tasks})
		total += m.Tasks
	}
	c.JSON(http.StatusOK, gin.H{"plan_id": plan.ID, "emails": total, "units": out})
}
