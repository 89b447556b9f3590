package calendar

import (
	"fmt"
	"math"
)

// LunarDate is a date in the Vietnamese lunar calendar (âm lịch). Year is the
// Gregorian year in which the lunar year begins (Tết), so lunar 1/1/2025 is
// Tết Ất Tỵ, 2025-01-29. Leap marks the intercalary month (tháng nhuận),
// which repeats the number of the month before it.
type LunarDate struct {
	Year  int  `json:"year"`
	Month int  `json:"month"`
	Day   int  `json:"day"`
	Leap  bool `json:"leap,omitempty"`
}

// String formats l the Vietnamese way, e.g. "10/3/2025" or "1/2 nhuận/2023".
func (l LunarDate) String() string {
	if l.Leap {
		return fmt.Sprintf("%d/%d nhuận/%d", l.Day, l.Month, l.Year)
	}
	return fmt.Sprintf("%d/%d/%d", l.Day, l.Month, l.Year)
}

// The lunar conversions implement Hồ Ngọc Đức's astronomical algorithm
// ("Âm lịch Việt Nam", https://www.informatik.uni-leipzig.de/~duc/amlich/):
// new moons and the sun's longitude from Meeus-style series, months starting on
// the day of the new moon, month 11 containing the winter solstice, and the
// leap month being the first month of a 13-month year without a major solar
// term. Days are counted in Vietnam's zone, UTC+7; that is what makes the
// Vietnamese calendar differ from the Chinese (UTC+8) one, e.g. Tết 1985 was
// 1985-01-21 in Vietnam and 1985-02-20 in China.
//
// The series are accurate for roughly 1800–2199. Floating point is used only
// to locate new moons and solar terms, and every result is floored to a day
// number; a test checks that no value in 1900–2200 lies close enough to a day
// boundary for rounding (or FMA fusion on another CPU) to change a result, so
// the conversion is deterministic across workers and safe in workflows.
const (
	vietnamOffsetDays = 7.0 / 24
	synodicMonth      = 29.530588853
	// lunationEpoch is the Julian day of the new moon of 1900-01-01, the
	// origin of the lunation numbers k.
	lunationEpoch = 2415021.076998695
)

// newMoon returns the Julian day (with fraction, UT) of the k-th new moon
// after the one of 1900-01-01.
func newMoon(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2 := t * t
	t3 := t2 * t
	const dr = math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c1 = c1 - 0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c1 -= 0.0004 * math.Sin(dr*3*mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// sunLongitude returns the sun's apparent longitude in radians, in [0, 2π),
// at Julian day jd (UT).
func sunLongitude(jd float64) float64 {
	t := (jd - 2451545.0) / 36525
	t2 := t * t
	const dr = math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl = dl + (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// newMoonValue is the quantity newMoonDay floors; exposed to the boundary test.
func newMoonValue(k int) float64 { return newMoon(k) + 0.5 + vietnamOffsetDays }

// newMoonDay returns the Julian day number of the day, in Vietnam, of the
// k-th new moon.
func newMoonDay(k int) int { return int(math.Floor(newMoonValue(k))) }

// sunSectorValue is the quantity sunSector floors; exposed to the boundary test.
func sunSectorValue(dayNumber int) float64 {
	return sunLongitude(float64(dayNumber)-0.5-vietnamOffsetDays) / math.Pi * 6
}

// sunSector returns which of the 12 major solar terms (0..11, 30° each,
// 0 = spring equinox) the sun is in at the start of day dayNumber in Vietnam.
func sunSector(dayNumber int) int { return int(math.Floor(sunSectorValue(dayNumber))) }

// lunationBefore returns the lunation number of the new moon on or before the
// Julian day number jd (possibly one too low; callers check).
func lunationBefore(jd int) int {
	return int(math.Floor((float64(jd) - lunationEpoch) / synodicMonth))
}

// lunarMonth11 returns the Julian day number on which lunar month 11 (the
// month containing the winter solstice) starts, for the solstice of year y.
func lunarMonth11(y int) int {
	off := float64(NewDate(y, 12, 31).jdn()) - 2415021
	k := int(math.Floor(off / synodicMonth))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns, for a 13-month lunar year whose month 11 starts on
// a11, how many months after month 11 the leap month comes: the first month
// with no major solar term.
func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-lunationEpoch)/synodicMonth + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// ToLunar converts a solar (Gregorian) date to the Vietnamese lunar calendar.
func ToLunar(d Date) LunarDate {
	dayNumber := d.jdn()
	// The month starts on the last new moon on or before d. The published
	// algorithm tries only lunations k+1 and k from a mean-motion estimate,
	// which is a lunation too high when the true new moon is late (it gives
	// "day 0" for 2054-05-07), so walk to the right one.
	k := lunationBefore(dayNumber) + 1
	for newMoonDay(k) > dayNumber {
		k--
	}
	for newMoonDay(k+1) <= dayNumber {
		k++
	}
	monthStart := newMoonDay(k)
	a11 := lunarMonth11(d.Year)
	b11 := a11
	var year int
	if a11 >= monthStart {
		year = d.Year
		a11 = lunarMonth11(d.Year - 1)
	} else {
		year = d.Year + 1
		b11 = lunarMonth11(d.Year + 1)
	}
	day := dayNumber - monthStart + 1
	diff := (monthStart - a11) / 29
	leap := false
	month := diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11)
		if diff >= leapDiff {
			month = diff + 10
			leap = diff == leapDiff
		}
	}
	if month > 12 {
		month -= 12
	}
	if month >= 11 && diff < 4 {
		year--
	}
	return LunarDate{Year: year, Month: month, Day: day, Leap: leap}
}

// FromLunar converts a Vietnamese lunar date to the solar (Gregorian)
// calendar. It fails when the date does not exist: a month outside 1..12, a
// leap month in a year whose leap month is another one (or that has none), or
// day 30 of a 29-day month.
func FromLunar(l LunarDate) (Date, error) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return Date{}, fmt.Errorf("lunar date %s does not exist", l)
	}
	var a11, b11 int
	if l.Month < 11 {
		a11 = lunarMonth11(l.Year - 1)
		b11 = lunarMonth11(l.Year)
	} else {
		a11 = lunarMonth11(l.Year)
		b11 = lunarMonth11(l.Year + 1)
	}
	off := l.Month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if l.Leap && l.Month != leapMonth {
			return Date{}, fmt.Errorf("lunar date %s does not exist: the leap month of %d is month %d", l, l.Year, leapMonth)
		}
		if l.Leap || off >= leapOff {
			off++
		}
	} else if l.Leap {
		return Date{}, fmt.Errorf("lunar date %s does not exist: lunar year %d has no leap month", l, l.Year)
	}
	k := int(math.Floor(0.5 + (float64(a11)-lunationEpoch)/synodicMonth))
	d := fromJDN(newMoonDay(k+off) + l.Day - 1)
	// Day 30 of a 29-day month lands on day 1 of the next month.
	if ToLunar(d) != l {
		return Date{}, fmt.Errorf("lunar date %s does not exist: the month has 29 days", l)
	}
	return d, nil
}

// Tet returns the solar date of Tết Nguyên đán (lunar 1/1) of the lunar year
// that begins in solar year year.
func Tet(year int) Date {
	d, err := FromLunar(LunarDate{Year: year, Month: 1, Day: 1})
	if err != nil {
		// Lunar 1/1 exists in every year.
		panic(err)
	}
	return d
}
