package api

import (
	"net/http"
	"sort"

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
	p, ok := s.planFor(c, auth.ActionView)
	if !ok {
		return
	}
	st := store.New(s.DB)
	under, err := s.timelineScope(c, p)
	if err != nil {
		respondError(c, err)
		return
	}
	now := s.now()
	today := calendar.InVietnam(now)
	cycles, err := st.ReportCycles(c, p.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	counts, err := st.CycleCountsOfPlan(c, p.ID, store.Date{Time: today.Time()}, under...)
	if err != nil {
		respondError(c, err)
		return
	}
	tc := make([]timelineCycle, len(cycles))
	for i, cy := range cycles {
		tc[i] = timelineCycle{ReportCycle: cy, Reports: counts[cy.ID]}
	}
	sent, err := st.NotificationsOfPlan(c, p.ID, 200, under...)
	if err != nil {
		respondError(c, err)
		return
	}
	next := []nextStep{}
	if p.Status == "issued" {
		open, err := st.OpenReportsOfPlan(c, p.ID, under...)
		if err != nil {
			respondError(c, err)
			return
		}
		// The ladder and the calendar (with the days an admin added) that
		// the plan's reports are chased by.
		policy, err := st.EscalationPolicy(c, p.ID)
		if err != nil {
			respondError(c, err)
			return
		}
		cal := calendar.Default()
		if cfg, err := st.CalendarConfig(c); err != nil {
			respondError(c, err)
			return
		} else if withDays, err := calendar.New(cfg); err == nil {
			cal = withDays
		}
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
		for k, n := range grouped {
			next = append(next, nextStep{Date: k.date, Template: k.template, Kind: k.kind, Units: n})
		}
		sort.Slice(next, func(i, j int) bool {
			if next[i].Date != next[j].Date {
				return next[i].Date < next[j].Date
			}
			return next[i].Template < next[j].Template
		})
	}
	paused, err := st.EscalationsPaused(c, p.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	if paused {
		next = []nextStep{}
	}
	c.JSON(http.StatusOK, gin.H{"plan_id": p.ID, "status": p.Status, "escalations_paused": paused, "cycles": tc, "sent": nonNil(sent), "next": next})
}

// timelineScope is what of a plan's timeline the caller sees, as on the
// dashboard: all of it from the issuer's unit or above, otherwise only the
// units in the caller's own subtrees (their reports, emails and chasing).
// It returns the paths to limit to, nil for everything.
func (s *Server) timelineScope(c *gin.Context, p store.Plan) ([]string, error) {
	if p.IssuerUnitID == nil {
		return nil, errNotFound()
	}
	issuer, err := store.New(s.DB).Unit(c, *p.IssuerUnitID)
	if err != nil {
		return nil, err
	}
	if who(c).Can(auth.ActionView, issuer.Path) == auth.Allow {
		return nil, nil
	}
	under := scopePaths(c, auth.ActionView)
	if len(under) == 0 {
		// No subtree: a path no unit has, so nothing shows.
		under = []string{"(none)"}
	}
	return under, nil
}
