package activities

import (
	"context"

	"cascade/calendar"
)

// LoadCalendar reads the working-day calendar with the days an admin added,
// for a workflow to place its deadline and reminders on.
func (a *Activities) LoadCalendar(ctx context.Context) (*calendar.Config, error) {
	cfg, err := a.store().CalendarConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &cfg, nil
}
