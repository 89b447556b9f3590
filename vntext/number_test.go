package vntext_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/vntext"
)

func TestParseNumber_ReadsThousandsDotAndDecimalComma(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		value float64
		unit  string
		scale float64
	}{
		{"2.700", 2700, "", 1},
		{"2.200", 2200, "", 1},
		{"57.000", 57000, "", 1},
		{"1.600", 1600, "", 1},
		{"1.234.567", 1234567, "", 1},
		{"1.234.567,89", 1234567.89, "", 1},
		{"8,5", 8.5, "", 1},
		{"04", 4, "", 1},
		{"02", 2, "", 1},
		{"100", 100, "", 1},
		{"0", 0, "", 1},
		{"1.5", 1.5, "", 1}, // a lone dot not followed by three digits is a decimal point
		{"4.0", 4, "", 1},   // "công nghệ 4.0"
		{"1.2345", 1.2345, "", 1},
		{"1,234", 1.234, "", 1}, // the comma is always decimal
		{"-3", -3, "", 1},
		{"−2,5", -2.5, "", 1},
		{"+7", 7, "", 1},
		{" 2.700 hộ ", 2700, "hộ", 1},
		{"12,5 tỷ đồng", 12.5, "tỷ đồng", 1e9},
		{"3 triệu đồng", 3, "triệu đồng", 1e6},
		{"5 nghìn", 5, "nghìn", 1e3},
		{"80%", 80, "%", 1},
		{"57.000 lao động nữ", 57000, "lao động nữ", 1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := vntext.ParseNumber(tt.in)
			require.NoError(t, err)
			require.InDelta(t, tt.value, q.Value, 1e-9)
			require.Equal(t, tt.unit, q.Unit)
			require.Equal(t, tt.scale, q.Scale)
		})
	}
}

func TestParseNumber_AmountAppliesScale(t *testing.T) {
	t.Parallel()
	q, err := vntext.ParseNumber("12,5 tỷ đồng")
	require.NoError(t, err)
	require.InDelta(t, 12.5e9, q.Amount(), 1e-3)
}

func TestParseNumber_RejectsText(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", " ", "abc", "hộ 2.700", "-", ",5", "2/3", "1,5.000", "1.000.5x"} {
		_, err := vntext.ParseNumber(in)
		require.ErrorIs(t, err, vntext.ErrNotNumber, in)
	}
}

func TestScanNumber_StopsAtTheEndOfTheNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		value float64
		n     int
	}{
		{"2.700 hộ", 2700, 5},
		{"8,5%", 8.5, 3},
		{"5 không, 3 sạch", 5, 1},
		{"2020-2025", 2020, 4},
		{"1.000.5", 1000, 5},
		{"1,5.000", 1.5, 3},
		{"12.", 12, 2},
		{"3, 4", 3, 1},
	}
	for _, tt := range tests {
		v, n, ok := vntext.ScanNumber(tt.in)
		require.True(t, ok, tt.in)
		require.InDelta(t, tt.value, v, 1e-9, tt.in)
		require.Equal(t, tt.n, n, tt.in)
	}
	_, _, ok := vntext.ScanNumber("hộ")
	require.False(t, ok)
}

func TestFormatNumber_WritesVietnameseConvention(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   float64
		want string
	}{
		{2700, "2.700"},
		{8.5, "8,5"},
		{0, "0"},
		{100, "100"},
		{57000, "57.000"},
		{1234567.25, "1.234.567,25"},
		{-1600, "-1.600"},
		{0.1 + 0.2, "0,3"},
		{math.Copysign(0, -1), "0"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, vntext.FormatNumber(tt.in))
	}
	require.Equal(t, "8,5%", vntext.FormatPercent(8.5))
	require.Equal(t, "100%", vntext.FormatPercent(100))
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"2.700", "8,5", "04", "57.000", "1.600", "12,5 tỷ đồng", "2.200 hộ", "100%",
		"1.5", "-3", "1,5.000", "9999999999999999999999999", "0,000000001", "..", ",", "1.000.000.000.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := vntext.ParseNumber(s)
		if err != nil {
			return
		}
		if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, q.Value)
		}
		// What FormatNumber writes, ParseNumber reads back (to six decimals).
		back, err := vntext.ParseNumber(vntext.FormatNumber(q.Value))
		if err != nil {
			t.Fatalf("round trip of %v: %v", q.Value, err)
		}
		if d := math.Abs(back.Value - q.Value); d > 1e-6*math.Max(1, math.Abs(q.Value)) {
			t.Fatalf("round trip of %v gave %v", q.Value, back.Value)
		}
	})
}

func FuzzScanNumber(f *testing.F) {
	for _, s := range []string{"2.700 hộ", "8,5%", "1.000.5", "04 HTX", "4.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, n, ok := vntext.ScanNumber(s)
		if ok && (n <= 0 || n > len(s)) {
			t.Fatalf("ScanNumber(%q) length %d", s, n)
		}
	})
}
