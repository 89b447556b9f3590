package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/calendar"
	"cascade/org"
	"cascade/store"
)

// workingCalendar is the calendar with the admin's days; a configuration
// the calendar refuses falls back to the statutory one, as workflows do.
func (s *Server) workingCalendar(c *gin.Context) (*calendar.Calendar, []store.CalendarDay, error) {
	st := store.New(s.DB)
	days, err := st.CalendarDays(c)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := st.CalendarConfig(c)
	if err != nil {
		return nil, nil, err
	}
	cal, err := calendar.New(cfg)
	if err != nil {
		cal = calendar.Default()
	}
	return cal, days, nil
}

// moveOffDaysOff moves a deadline a leader sets (a return, a moved date)
// that falls on a day off to the next working day of the calendar with the
// admin's days, as a workflow moves the deadlines it sets itself: the date
// sent to the workflow, and so the answer, is the working day. It answers
// false, with the error sent, when the calendar cannot be read.
func (s *Server) moveOffDaysOff(c *gin.Context, d *store.Date) bool {
	if d.IsZero() {
		return true // refused further on
	}
	cfg, err := store.New(s.DB).CalendarConfig(c)
	if err != nil {
		respondError(c, err)
		return false
	}
	cal, err := calendar.New(cfg)
	if err != nil {
		cal = calendar.Default()
	}
	*d = store.Date{Time: cal.Adjust(calendar.DateOf(d.Time)).Time()}
	return true
}

// getCalendar lists a year's days off: the statutory holidays (Tết from the
// lunar calendar), the compensatory days and the days an admin added.
func (s *Server) getCalendar(c *gin.Context) {
	year := calendar.InVietnam(s.now()).Year
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			respondError(c, errInvalid().withField("year", "Năm từ 2000 đến 2100", "year must be from 2000 to 2100"))
			return
		}
		year = n
	}
	cal, days, err := s.workingCalendar(c)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"year": year, "holidays": nonNil(cal.Holidays(year)), "admin_days": nonNil(days)})
}

// topAdmin answers whether the caller administers a unit at the top of the
// tree; the calendar is the whole organisation's.
func topAdmin(c *gin.Context) bool {
	for _, m := range who(c).Memberships {
		if m.Role.Permits(auth.ActionManageTree) && org.Depth(m.UnitPath) == 0 {
			return true
		}
	}
	respondError(c, newError(http.StatusForbidden, "forbidden", "Chỉ quản trị viên cấp tỉnh sửa lịch làm việc",
		"only an admin of the top unit changes the calendar"))
	return false
}

type calendarDayRequest struct {
	Kind string `json:"kind" binding:"required,oneof=off work"`
	Name string `json:"name" binding:"max=200"`
}

func pathDate(c *gin.Context) (store.Date, bool) {
	d, err := store.ParseDate(c.Param("date"))
	if err != nil {
		respondError(c, errInvalid().withField("date", "Ngày phải có dạng YYYY-MM-DD", "want a date as YYYY-MM-DD"))
		return store.Date{}, false
	}
	return d, true
}

// setCalendarDay adds a day off (a decreed bridge) or a working day (a
// compensatory Saturday). Reports opened from then on are due by it.
func (s *Server) setCalendarDay(c *gin.Context) {
	var req calendarDayRequest
	if !bind(c, &req) {
		return
	}
	day, ok := pathDate(c)
	if !ok || !topAdmin(c) {
		return
	}
	cl := who(c)
	d := store.CalendarDay{Day: day, Kind: req.Kind, Name: strings.TrimSpace(req.Name)}
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.SetCalendarDay(c, d, cl.id()); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "set", Entity: "calendar_day",
			EntityID: day.String(), After: d, RequestID: requestID(c), UnitID: s.homeUnit(c, cl.User.ID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) deleteCalendarDay(c *gin.Context) {
	day, ok := pathDate(c)
	if !ok || !topAdmin(c) {
		return
	}
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.DeleteCalendarDay(c, day); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "delete", Entity: "calendar_day",
			EntityID: day.String(), RequestID: requestID(c), UnitID: s.homeUnit(c, cl.User.ID)})
	})
	if errors.Is(err, store.ErrNotFound) {
		respondError(c, errNotFound())
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
