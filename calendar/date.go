package calendar

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// Vietnam is the civil time zone of Vietnam (UTC+7, no daylight saving since
// 1975). It is a fixed zone so that it needs no tzdata and behaves the same on
// every worker.
var Vietnam = time.FixedZone("ICT", 7*60*60)

// Date is a civil date (year, month, day) with no time of day and no zone.
// Deadlines, holidays and escalation steps are dates; a Date is comparable
// with == and usable as a map key. The zero Date is not a valid date and
// reports IsZero.
//
// Use NewDate, DateOf, InVietnam or ParseDate to build one: they normalise out
// of range values the way time.Date does, so two Dates for the same day are
// always equal.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date year-month-day, normalising out of range months and
// days the way time.Date does (so NewDate(2024, 2, 30) is 2024-03-01).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// InVietnam returns the civil date in Vietnam at instant t, whatever t's
// location. Workflows use it to turn workflow.Now into "today".
func InVietnam(t time.Time) Date {
	return DateOf(t.In(Vietnam))
}

// ParseDate parses an ISO 8601 calendar date such as "2025-01-29".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date (no date set).
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC at the start of d. It is the one time.Time
// representation of a Date used across Cascade's domain packages.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// At returns the instant at hour:min on d in loc, e.g. d.At(8, 0, Vietnam)
// for a reminder sent at 08:00 Vietnam time.
func (d Date) At(hour, min int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, loc)
}

// AddDays returns the date n calendar days after d (before d if n < 0).
func (d Date) AddDays(n int) Date {
	return fromJDN(d.jdn() + n)
}

// DaysSince returns the number of calendar days from o to d: positive when d
// is after o.
func (d Date) DaysSince(o Date) int {
	return d.jdn() - o.jdn()
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// JDN 0 was a Monday.
	return time.Weekday((floorMod(d.jdn(), 7) + 1) % 7)
}

// Compare returns -1 if d is before o, 0 if they are the same day, +1 if d is
// after o.
func (d Date) Compare(o Date) int {
	a, b := d.jdn(), o.jdn()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// String formats d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText encodes d as "2006-01-02", so a Date is a JSON string.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText decodes a "2006-01-02" date; "" is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		// A type error lets a JSON decoder name the field that held it.
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(string(b)), Type: reflect.TypeOf(Date{})}
	}
	*d = p
	return nil
}

// jdn returns the Julian day number of d in the proleptic Gregorian calendar.
func (d Date) jdn() int {
	a := floorDiv(14-int(d.Month), 12)
	y := d.Year + 4800 - a
	m := int(d.Month) + 12*a - 3
	return d.Day + floorDiv(153*m+2, 5) + 365*y + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400) - 32045
}

// fromJDN is the inverse of Date.jdn.
func fromJDN(jd int) Date {
	a := jd + 32044
	b := floorDiv(4*a+3, 146097)
	c := a - floorDiv(146097*b, 4)
	d := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*d, 4)
	m := floorDiv(5*e+2, 153)
	return Date{
		Year:  100*b + d - 4800 + m/10,
		Month: time.Month(m + 3 - 12*(m/10)),
		Day:   e - floorDiv(153*m+2, 5) + 1,
	}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int {
	return a - b*floorDiv(a, b)
}
