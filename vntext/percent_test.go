package vntext_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/vntext"
)

func TestParsePercent_ReadsComparisonWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		value float64
		dir   vntext.Direction
	}{
		{"8,5%", 8.5, vntext.Exactly},
		{"100%", 100, vntext.Exactly},
		{"80% trở lên", 80, vntext.AtLeast},
		{"trên 85%", 85, vntext.AtLeast},
		{"dưới 8,5%", 8.5, vntext.AtMost},
		{"ít nhất 5%", 5, vntext.AtLeast},
		{"Ít nhất 5 %", 5, vntext.AtLeast},
		{"từ 80% trở lên", 80, vntext.AtLeast},
		{"tối thiểu 95%", 95, vntext.AtLeast},
		{"không quá 10%", 10, vntext.AtMost},
		{"không vượt quá 10%", 10, vntext.AtMost},
		{"5% trở xuống", 5, vntext.AtMost},
		{"≥ 95%", 95, vntext.AtLeast},
		{"<5%", 5, vntext.AtMost},
		{"đạt 30%", 30, vntext.AtLeast},
		{"chiếm 20%", 20, vntext.AtLeast},
		{"có từ 80%", 80, vntext.AtLeast},
		{"phấn đấu 95%", 95, vntext.AtLeast},
		{"giảm còn 12%", 12, vntext.AtMost},
		{"xuống 3%", 3, vntext.AtMost},
		{"10 phần trăm", 10, vntext.Exactly},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := vntext.ParsePercent(tt.in)
			require.NoError(t, err)
			require.InDelta(t, tt.value, p.Value, 1e-9)
			require.Equal(t, tt.dir, p.Direction)
		})
	}
}

func TestParsePercent_RejectsOtherText(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "85", "hộ 85%", "85% hộ gia đình", "trẻ em dưới 5 tuổi", "%"} {
		_, err := vntext.ParsePercent(in)
		require.ErrorIs(t, err, vntext.ErrNotPercent, in)
	}
}

func TestDirectionBefore_NeedsAWholeWord(t *testing.T) {
	t.Parallel()
	dir, n := vntext.DirectionBefore("trẻ em dưới 5 tuổi dưới ")
	require.Equal(t, vntext.AtMost, dir)
	require.Equal(t, len("dưới "), n)
	dir, n = vntext.DirectionBefore("có ít nhất ")
	require.Equal(t, vntext.AtLeast, dir)
	require.Equal(t, len("ít nhất "), n)
	dir, n = vntext.DirectionBefore("phía")
	require.Equal(t, vntext.Exactly, dir)
	require.Zero(t, n)
	dir, _ = vntext.DirectionBefore("ngoàitrên")
	require.Equal(t, vntext.Exactly, dir)
	dir, n = vntext.DirectionAfter(" trở lên Chi hội trưởng")
	require.Equal(t, vntext.AtLeast, dir)
	require.Equal(t, len(" trở lên"), n)
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"8,5%", "100%", "80% trở lên", "trên 85%", "dưới 8,5%", "ít nhất 5%", "≥ 95%", "- 5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := vntext.ParsePercent(s)
		if err == nil && p.Direction != vntext.AtLeast && p.Direction != vntext.AtMost && p.Direction != vntext.Exactly {
			t.Fatalf("ParsePercent(%q) direction %q", s, p.Direction)
		}
		_, n := vntext.DirectionBefore(s)
		_, m := vntext.DirectionAfter(s)
		if n > len(s) || m > len(s) {
			t.Fatalf("direction lengths %d, %d beyond %d", n, m, len(s))
		}
	})
}
