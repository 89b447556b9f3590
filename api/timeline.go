package api

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/calendar"
	"cascade/escalation"
	"cascade/store"
)

type timelineCycle struct {
	store.ReportCycle
	Reports store.CycleCounts `json:"reports"`
}

type nextStep struct {
	Date     string `json:"date"`
	Template string `json:"template"`
	Kind     string `json:"kind"`
	Units    int    `json:"units"`
}

// planTimeline shows a plan's cycles and deadlines with how many units have
// reported, what was sent to whom and when, and the reminders and
// escalations coming next — all from the database, not from Temporal.
func (s *Server) planTimeline(c *gin.Context) {
	p, ok := s.planView(c, auth.ActionView, 0)
	if !ok {
		return
	}
	st := store.New(s.DB)
	under := timelineScope(c, p)
	now := s.now()
	today := calendar.InVietnam(now)
	counts, open, err := st.ReportsOfPlan(c, p.ID, store.Date{Time: today.Time()}, under...)
	if err != nil {
		respondError(c, err)
		return
	}
	tc := make([]timelineCycle, len(p.Cycles))
	for i, cy := range p.Cycles {
		tc[i] = timelineCycle{ReportCycle: cy, Reports: counts[cy.ID]}
	}
	sent, err := st.NotificationsOfPlan(c, p.ID, 200, under...)
	if err != nil {
		respondError(c, err)
		return
	}
	next := []nextStep{}
	if p.Status == "issued" && !p.EscalationsPaused {
		// The calendar (with the days an admin added) that the plan's
		// reports are chased by, on the plan's ladder.
		cal := calendar.Default()
		if cfg, err := st.CalendarConfig(c); err != nil {
			respondError(c, err)
			return
		} else if withDays, err := calendar.New(cfg); err == nil {
			cal = withDays
		}
		next = nextSteps(open, p.EscalationPolicy, cal, now)
	}
	c.JSON(http.StatusOK, gin.H{"plan_id": p.ID, "status": p.Status, "escalations_paused": p.EscalationsPaused, "cycles": tc, "sent": nonNil(sent), "next": next})
}

// nextSteps groups the open reports by the next step of the ladder each
// will get after now: on which day, which email, to how many units.
func nextSteps(open []store.OpenReport, policy escalation.Policy, cal *calendar.Calendar, now time.Time) []nextStep {
	type key struct{ date, template, kind string }
	grouped := map[key]int{}
	for _, r := range open {
		for _, step := range escalation.Schedule(policy, calendar.DateOf(r.DueOn.Time), cal) {
			if step.Date.At(8, 0, calendar.Vietnam).After(now) {
				grouped[key{step.Date.String(), step.Template, string(step.Kind)}]++
				break
			}
		}
	}
	next := []nextStep{}
	for k, n := range grouped {
		next = append(next, nextStep{Date: k.date, Template: k.template, Kind: k.kind, Units: n})
	}
	sort.Slice(next, func(i, j int) bool {
		if next[i].Date != next[j].Date {
			return next[i].Date < next[j].Date
		}
		return next[i].Template < next[j].Template
	})
	return next
}

// timelineScope is what of a plan's timeline the caller sees, as on the
// dashboard: all of it from the issuer's unit or above, otherwise only the
// units in the caller's own subtrees (their reports, emails and chasing).
// It returns the paths to limit to, nil for everything.
func timelineScope(c *gin.Context, p store.PlanView) []string {
	if who(c).Can(auth.ActionView, p.IssuerPath) == auth.Allow {
		return nil
	}
	under := scopePaths(c, auth.ActionView)
	if len(under) == 0 {
		// No subtree: a path no unit has, so nothing shows.
		under = []string{"(none)"}
	}
	return under
}
