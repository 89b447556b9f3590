package export_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/export"
)

func TestFormatNumber_TheVietnameseWay(t *testing.T) {
	for _, tc := range []struct {
		n    float64
		dec  int
		want string
	}{
		{2700, 0, "2.700"}, {8.5, 1, "8,5"}, {9.00990099, 2, "9,01"}, {1234567.5, 1, "1.234.567,5"},
		{0, 0, "0"}, {100, 2, "100"}, {-1500, 0, "-1.500"}, {999, 0, "999"},
	} {
		require.Equal(t, tc.want, export.FormatNumber(tc.n, tc.dec), "%v", tc.n)
	}
	require.Equal(t, "Sơ kết 2028", export.CycleLabel("midterm", 2028))
}

func TestIssuerAbbrev_IsWhatFollowsTheKindOfDocumentInTheCode(t *testing.T) {
	for code, want := range map[string]string{
		"321/KH-BTV": "BTV", "15/KH-HLHPN-BTG": "HLHPN-BTG", " 9/KH-NH ": "NH", "321/KH": "", "KH-BTV": "", "": "",
	} {
		require.Equal(t, want, export.IssuerAbbrev(code), "%q", code)
	}
}
