// Package calendar is Cascade's Vietnamese working-day calendar: civil dates,
// the Vietnamese lunar calendar, public holidays with their compensatory days
// off, and the working-day arithmetic that moves deadlines off weekends and
// holidays.
//
// Dates are civil dates (type Date, no time of day, no zone). Where a
// time.Time is needed, a Date is midnight UTC (Date.Time); the civil date of
// an instant in Vietnam is InVietnam(t).
//
// Everything here is deterministic (no clock, no randomness, no I/O, no map
// iteration), so Temporal workflows may call it.
package calendar

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// TetSpan says which days around lunar 1/1 are Tết days off. The government
// decrees the actual span each year (usually five to nine days once weekends
// are joined); an admin adds the extra days with Config.ExtraDaysOff and the
// compensatory working Saturdays with Config.ExtraWorkingDays.
type TetSpan struct {
	// DaysBefore is how many days before lunar 1/1 are off: 1 means the last
	// day of the lunar year (30 Tết, or 29 Tết when tháng Chạp is short).
	DaysBefore int `json:"days_before"`
	// LastDay is the last lunar day of the first month that is off: 5 means
	// through mùng 5.
	LastDay int `json:"last_day"`
}

// DefaultTetSpan is the Tết span used when Config.Tet is zero: the last day of
// the lunar year through mùng 5.
var DefaultTetSpan = TetSpan{DaysBefore: 1, LastDay: 5}

// NationalDayAdjacent says which day beside Quốc khánh (2/9) is the second
// National Day holiday: the Labour Code gives 2/9 plus one day before or after
// it, chosen each year by the Prime Minister.
type NationalDayAdjacent string

// The choices of the day beside 2/9. The empty value means AdjacentBefore.
const (
	// AdjacentBefore makes 1/9 the second National Day holiday (the default).
	AdjacentBefore NationalDayAdjacent = "before"
	// AdjacentAfter makes 3/9 the second National Day holiday.
	AdjacentAfter NationalDayAdjacent = "after"
)

// DayOff is an extra day off configured by an admin, e.g. a Tết day the
// government added this year or a swapped day ("nghỉ bù").
type DayOff struct {
	Date   Date   `json:"date"`
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
}

// WorkingDay is a day configured by an admin as a working day although the
// rules say it is off, typically a compensatory working Saturday ("làm bù").
type WorkingDay struct {
	Date Date   `json:"date"`
	Name string `json:"name,omitempty"`
}

// Config is what an admin can change about the calendar; its zero value is
// the statutory calendar with the defaults documented on each field. It has
// JSON tags so it can be stored and passed to workflows.
type Config struct {
	// Tet is the Tết span; zero means DefaultTetSpan.
	Tet TetSpan `json:"tet"`
	// NationalDayAdjacent picks 1/9 or 3/9; empty means AdjacentBefore.
	NationalDayAdjacent NationalDayAdjacent `json:"national_day_adjacent,omitempty"`
	// ExtraDaysOff are days off on top of the statutory ones.
	ExtraDaysOff []DayOff `json:"extra_days_off,omitempty"`
	// ExtraWorkingDays are working days that override every rule, including
	// holidays and computed compensatory days off.
	ExtraWorkingDays []WorkingDay `json:"extra_working_days,omitempty"`
}

// HolidayKind says why a day is off.
type HolidayKind string

// The kinds of days off.
const (
	// KindPublicHoliday is a public holiday of the Labour Code (Article 112).
	KindPublicHoliday HolidayKind = "public_holiday"
	// KindCompensatory is a day off given because a public holiday fell on a
	// Saturday or Sunday.
	KindCompensatory HolidayKind = "compensatory"
	// KindExtra is a day off configured by an admin.
	KindExtra HolidayKind = "extra"
)

// Holiday is a day off other than an ordinary weekend.
type Holiday struct {
	Date   Date        `json:"date"`
	Name   string      `json:"name"`
	NameEn string      `json:"name_en"`
	Kind   HolidayKind `json:"kind"`
}

// Problem is one thing wrong with a Config, named by its JSON field path.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every problem found in a Config.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems into one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return "invalid calendar config: " + strings.Join(parts, "; ")
}

// Calendar answers whether a date is a working day in Vietnam's public
// sector (Monday to Friday, less public holidays and their compensatory days,
// adjusted by an admin's Config). Build one with New or Default. A Calendar
// is immutable and safe for concurrent use; it memoises holidays per year.
type Calendar struct {
	tet         TetSpan
	adjacent    NationalDayAdjacent
	extraOff    map[Date]DayOff
	extraWork   map[Date]bool
	extraByYear map[int][]DayOff

	mu    sync.Mutex
	years map[int]yearDays
}

// yearDays is the holiday list of one year and an index of it by date.
type yearDays struct {
	list  []Holiday
	index map[Date]Holiday
}

// Default returns the statutory calendar with no admin changes.
func Default() *Calendar {
	c, err := New(Config{})
	if err != nil {
		panic(err) // the zero Config is valid
	}
	return c
}

// shared holds the calendars built lately, by their Config: every unit's
// report in a plan is placed on the same calendar, so 10,000 open reports
// share one memo of holidays instead of holding 10,000 (make bench (b)).
// Safe because a Calendar is immutable; bounded because admins change the
// calendar rarely.
var shared = struct {
	sync.Mutex
	byConfig map[string]*Calendar
	order    []string
}{byConfig: map[string]*Calendar{}}

// sharedCalendars bounds shared.
const sharedCalendars = 8

// New builds a Calendar from cfg, or returns a *ValidationError listing every
// problem in it. Calendars of equal configs are one and the same.
func New(cfg Config) (*Calendar, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%#v", cfg)
	shared.Lock()
	defer shared.Unlock()
	if c, ok := shared.byConfig[key]; ok {
		return c, nil
	}
	c := build(cfg)
	if len(shared.order) == sharedCalendars {
		delete(shared.byConfig, shared.order[0])
		shared.order = shared.order[1:]
	}
	shared.byConfig[key] = c
	shared.order = append(shared.order, key)
	return c, nil
}

// build makes a Calendar of a valid cfg.
func build(cfg Config) *Calendar {
	c := &Calendar{
		tet:         cfg.Tet,
		adjacent:    cfg.NationalDayAdjacent,
		extraOff:    make(map[Date]DayOff, len(cfg.ExtraDaysOff)),
		extraWork:   make(map[Date]bool, len(cfg.ExtraWorkingDays)),
		extraByYear: make(map[int][]DayOff),
		years:       make(map[int]yearDays),
	}
	if c.tet == (TetSpan{}) {
		c.tet = DefaultTetSpan
	}
	if c.adjacent == "" {
		c.adjacent = AdjacentBefore
	}
	for _, d := range cfg.ExtraDaysOff {
		c.extraOff[d.Date] = d
		c.extraByYear[d.Date.Year] = append(c.extraByYear[d.Date.Year], d)
	}
	for _, w := range cfg.ExtraWorkingDays {
		c.extraWork[w.Date] = true
	}
	return c
}

// Validate returns a *ValidationError listing every problem in cfg, or nil.
func (cfg Config) Validate() error {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if cfg.Tet != (TetSpan{}) {
		if cfg.Tet.DaysBefore < 0 || cfg.Tet.DaysBefore > 7 {
			add("tet.days_before", "must be between 0 and 7, got %d", cfg.Tet.DaysBefore)
		}
		if cfg.Tet.LastDay < 1 || cfg.Tet.LastDay > 10 {
			add("tet.last_day", "must be between 1 and 10, got %d", cfg.Tet.LastDay)
		}
	}
	switch cfg.NationalDayAdjacent {
	case "", AdjacentBefore, AdjacentAfter:
	default:
		add("national_day_adjacent", "must be %q or %q, got %q", AdjacentBefore, AdjacentAfter, cfg.NationalDayAdjacent)
	}
	off := make(map[Date]int, len(cfg.ExtraDaysOff))
	for i, d := range cfg.ExtraDaysOff {
		field := fmt.Sprintf("extra_days_off[%d]", i)
		if d.Date.IsZero() {
			add(field+".date", "required")
		} else if j, dup := off[d.Date]; dup {
			add(field+".date", "%s is already extra_days_off[%d]", d.Date, j)
		} else {
			off[d.Date] = i
		}
		if strings.TrimSpace(d.Name) == "" {
			add(field+".name", "required")
		}
	}
	work := make(map[Date]int, len(cfg.ExtraWorkingDays))
	for i, w := range cfg.ExtraWorkingDays {
		field := fmt.Sprintf("extra_working_days[%d].date", i)
		switch j, dup := work[w.Date]; {
		case w.Date.IsZero():
			add(field, "required")
		case dup:
			add(field, "%s is already extra_working_days[%d]", w.Date, j)
		default:
			work[w.Date] = i
			if j, both := off[w.Date]; both {
				add(field, "%s is also extra_days_off[%d]", w.Date, j)
			}
		}
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// IsWorkingDay reports whether d is a working day: an admin's extra working
// day, or a Monday to Friday that is neither a holiday, a compensatory day
// off nor an admin's extra day off.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if c.extraWork[d] {
		return true
	}
	if _, off := c.year(d.Year).index[d]; off {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// HolidayOn returns the holiday on d, if d is one (weekends are not holidays).
func (c *Calendar) HolidayOn(d Date) (Holiday, bool) {
	h, ok := c.year(d.Year).index[d]
	return h, ok
}

// Holidays returns the days off of year other than ordinary weekends, in date
// order: public holidays (including those on a weekend), compensatory days
// off and an admin's extra days off, less the admin's extra working days. The
// caller may modify the returned slice.
func (c *Calendar) Holidays(year int) []Holiday {
	return slices.Clone(c.year(year).list)
}

// NextWorkingDay returns d if it is a working day, else the first working day
// after it.
func (c *Calendar) NextWorkingDay(d Date) Date {
	for !c.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// PreviousWorkingDay returns d if it is a working day, else the last working
// day before it.
func (c *Calendar) PreviousWorkingDay(d Date) Date {
	for !c.IsWorkingDay(d) {
		d = d.AddDays(-1)
	}
	return d
}

// AddWorkingDays returns the n-th working day after d, not counting d itself
// ("within 5 working days of receipt"); a negative n counts back before d.
// AddWorkingDays(d, 0) is Adjust(d).
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	if n == 0 {
		return c.Adjust(d)
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Adjust returns the deadline d moved, if it falls on a day off, to the next
// working day (DESIGN.md: deadlines on a weekend or public holiday move
// forward). It is NextWorkingDay under the name deadlines use.
func (c *Calendar) Adjust(d Date) Date {
	return c.NextWorkingDay(d)
}

// year returns the memoised days off of year, computing them on first use.
func (c *Calendar) year(year int) yearDays {
	c.mu.Lock()
	defer c.mu.Unlock()
	if y, ok := c.years[year]; ok {
		return y
	}
	y := c.computeYear(year)
	c.years[year] = y
	return y
}

// computeYear builds the days off of year: the statutory calendar first
// (public holidays, then compensatory days), then the admin's changes on top.
// Compensatory days are computed from the statutory calendar alone, so an
// admin's extra days neither push nor absorb them: the admin's lists are the
// final word, applied last. No public holiday falls late enough in the year
// for its compensatory day to spill into the next one.
func (c *Calendar) computeYear(year int) yearDays {
	public := c.publicHolidays(year)
	index := make(map[Date]Holiday, len(public)+8)
	for _, h := range public {
		if _, dup := index[h.Date]; !dup {
			index[h.Date] = h
		}
	}
	list := make([]Holiday, 0, len(public)+8)
	for _, h := range public {
		if index[h.Date] == h {
			list = append(list, h)
		}
	}
	// Labour Code Article 112(3): a public holiday on a weekly day off gives a
	// compensatory day off on the following working day. Holidays are in date
	// order, so earlier holidays claim earlier compensatory days.
	for _, h := range slices.Clone(list) {
		if wd := h.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			continue
		}
		d := h.Date.AddDays(1)
		for {
			_, taken := index[d]
			if wd := d.Weekday(); !taken && wd != time.Saturday && wd != time.Sunday {
				break
			}
			d = d.AddDays(1)
		}
		comp := Holiday{
			Date:   d,
			Name:   "Nghỉ bù " + h.Name,
			NameEn: "Compensatory day off for " + h.NameEn,
			Kind:   KindCompensatory,
		}
		index[d] = comp
		list = append(list, comp)
	}
	for _, x := range c.extraByYear[year] {
		if _, dup := index[x.Date]; dup {
			continue
		}
		nameEn := x.NameEn
		if nameEn == "" {
			nameEn = x.Name
		}
		h := Holiday{Date: x.Date, Name: x.Name, NameEn: nameEn, Kind: KindExtra}
		index[x.Date] = h
		list = append(list, h)
	}
	list = slices.DeleteFunc(list, func(h Holiday) bool {
		if c.extraWork[h.Date] {
			delete(index, h.Date)
			return true
		}
		return false
	})
	slices.SortStableFunc(list, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return yearDays{list: list, index: index}
}

// publicHolidays returns the public holidays of year (Labour Code 2019,
// Article 112) in date order.
func (c *Calendar) publicHolidays(year int) []Holiday {
	hs := []Holiday{{
		Date: NewDate(year, time.January, 1), Name: "Tết Dương lịch", NameEn: "New Year's Day",
	}}
	tet := Tet(year)
	for i := c.tet.DaysBefore; i > 0; i-- {
		d := tet.AddDays(-i)
		l := ToLunar(d)
		hs = append(hs, Holiday{
			Date:   d,
			Name:   fmt.Sprintf("Tết Nguyên đán (%d tháng Chạp)", l.Day),
			NameEn: fmt.Sprintf("Lunar New Year (Tết), lunar %d/12", l.Day),
		})
	}
	for i := 1; i <= c.tet.LastDay; i++ {
		hs = append(hs, Holiday{
			Date:   tet.AddDays(i - 1),
			Name:   fmt.Sprintf("Tết Nguyên đán (mùng %d)", i),
			NameEn: fmt.Sprintf("Lunar New Year (Tết), lunar 1/%d", i),
		})
	}
	hung, err := FromLunar(LunarDate{Year: year, Month: 3, Day: 10})
	if err != nil {
		panic(err) // lunar 10/3 exists in every year
	}
	hs = append(hs,
		Holiday{Date: hung, Name: "Giỗ Tổ Hùng Vương (10/3 âm lịch)", NameEn: "Hùng Kings' Commemoration Day"},
		Holiday{Date: NewDate(year, time.April, 30), Name: "Ngày Chiến thắng (30/4)", NameEn: "Reunification Day"},
		Holiday{Date: NewDate(year, time.May, 1), Name: "Ngày Quốc tế Lao động (1/5)", NameEn: "International Labour Day"},
	)
	national := Holiday{Date: NewDate(year, time.September, 2), Name: "Quốc khánh (2/9)", NameEn: "National Day"}
	beside := Holiday{Name: "Quốc khánh (ngày liền kề)", NameEn: "National Day (adjacent day)"}
	if c.adjacent == AdjacentAfter {
		beside.Date = NewDate(year, time.September, 3)
		hs = append(hs, national, beside)
	} else {
		beside.Date = NewDate(year, time.September, 1)
		hs = append(hs, beside, national)
	}
	for i := range hs {
		hs[i].Kind = KindPublicHoliday
	}
	slices.SortStableFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}
