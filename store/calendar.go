package store

import (
	"context"
	"fmt"

	"cascade/calendar"
)

// CalendarDay is a day an admin added to the working-day calendar.
type CalendarDay struct {
	Day  Date   `db:"day" json:"date"`
	Kind string `db:"kind" json:"kind"` // off or work
	Name string `db:"name" json:"name"`
}

// CalendarDays lists the admin's days in date order.
func (s *Store) CalendarDays(ctx context.Context) ([]CalendarDay, error) {
	var ds []CalendarDay
	if err := selectContext(ctx, s, &ds, `SELECT day, kind, name FROM calendar_days ORDER BY day`); err != nil {
		return nil, fmt.Errorf("list calendar days: %w", translate(err))
	}
	return ds, nil
}

// CalendarConfig is the working-day calendar with the admin's days.
func (s *Store) CalendarConfig(ctx context.Context) (calendar.Config, error) {
	ds, err := s.CalendarDays(ctx)
	if err != nil {
		return calendar.Config{}, err
	}
	var cfg calendar.Config
	for _, d := range ds {
		day := calendar.DateOf(d.Day.Time)
		if d.Kind == "off" {
			cfg.ExtraDaysOff = append(cfg.ExtraDaysOff, calendar.DayOff{Date: day, Name: d.Name})
		} else {
			cfg.ExtraWorkingDays = append(cfg.ExtraWorkingDays, calendar.WorkingDay{Date: day, Name: d.Name})
		}
	}
	return cfg, nil
}

// SetCalendarDay adds or changes an admin's day.
func (s *Store) SetCalendarDay(ctx context.Context, d CalendarDay, by *int64) error {
	const q = `INSERT INTO calendar_days (day, kind, name, created_by) VALUES ($1, $2, $3, $4)
ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, created_by = EXCLUDED.created_by, created_at = now()`
	if _, err := s.db.ExecContext(ctx, q, d.Day, d.Kind, d.Name, by); err != nil {
		return fmt.Errorf("set calendar day: %w", translate(err))
	}
	return nil
}

// DeleteCalendarDay removes an admin's day.
func (s *Store) DeleteCalendarDay(ctx context.Context, day Date) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM calendar_days WHERE day = $1`, day)
	if err != nil {
		return fmt.Errorf("delete calendar day: %w", translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
