package vntext_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/vntext"
)

func TestSearchKey_IgnoresDiacriticsCaseAndSpacing(t *testing.T) {
	t.Parallel()
	require.Equal(t, vntext.SearchKey("Kế hoạch"), vntext.SearchKey("ke hoach"))
	require.Equal(t, "ke hoach", vntext.SearchKey("  KẾ   HOẠCH\t"))
	require.Equal(t, "dang bo tinh khanh hoa", vntext.SearchKey("Đảng bộ tỉnh Khánh Hòa"))
	require.Equal(t, vntext.SearchKey("Khánh Hoà"), vntext.SearchKey("Khánh Hòa"))
	// Decomposed input (combining marks) folds the same as precomposed.
	require.Equal(t, "ke hoach", vntext.SearchKey("Ke\u0302\u0301 hoa\u0323ch"))
	require.Equal(t, "", vntext.SearchKey("   "))
}

func TestNormalize_ComposesToNFC(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Kế hoạch", vntext.Normalize("Ke\u0302\u0301 hoa\u0323ch"))
	require.Equal(t, "a\uFFFDb", vntext.Normalize("a\xffb"))
}

func TestParseRoman_ReadsCanonicalNumerals(t *testing.T) {
	t.Parallel()
	want := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
		"XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"}
	for i, s := range want {
		n, err := vntext.ParseRoman(s)
		require.NoError(t, err, s)
		require.Equal(t, i+1, n)
		require.Equal(t, s, vntext.FormatRoman(i+1))
	}
	n, err := vntext.ParseRoman("xviii")
	require.NoError(t, err)
	require.Equal(t, 18, n)
	for _, s := range []string{"", "IIII", "IC", "VV", "Xv", "ABC", "1", "MMMM"} {
		_, err := vntext.ParseRoman(s)
		require.ErrorIs(t, err, vntext.ErrNotRoman, s)
	}
}

func FuzzParseRoman(f *testing.F) {
	for _, s := range []string{"I", "IV", "XVIII", "XX", "IIII", "MCMXCIV", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := vntext.ParseRoman(s)
		if err == nil && (n < 1 || n > 3999) {
			t.Fatalf("ParseRoman(%q) = %d", s, n)
		}
	})
}

func FuzzSearchKey(f *testing.F) {
	f.Add("Kế hoạch 321/KH-BTV")
	f.Add("Đ\u0300 \xff")
	f.Fuzz(func(t *testing.T, s string) {
		k := vntext.SearchKey(s)
		if vntext.SearchKey(k) != k {
			t.Fatalf("SearchKey not idempotent on %q: %q", s, k)
		}
	})
}
