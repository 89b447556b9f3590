package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// Date is a calendar day without a time zone, stored as PostgreSQL date and
// written in JSON as "2021-06-08".
type Date struct{ time.Time }

// DateOf returns the day of t in t's own location.
func DateOf(t time.Time) Date {
	return Date{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// ParseDate reads "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("want a date as YYYY-MM-DD, got %q", s)
	}
	return Date{t}, nil
}

// String is the ISO form, "2021-06-08".
func (d Date) String() string { return d.Format(time.DateOnly) }

// MarshalJSON writes the ISO form.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads the ISO form.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	p, err := ParseDate(s)
	if err != nil {
		// A type error lets the JSON decoder name the field that held it.
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeOf(Date{})}
	}
	*d = p
	return nil
}

// Scan reads a PostgreSQL date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = Date{time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)}
		return nil
	case nil:
		*d = Date{}
		return nil
	}
	return fmt.Errorf("scan date from %T", src)
}

// Value writes a PostgreSQL date.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }
