package org_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/org"
)

func validUnit() org.Unit {
	return org.Unit{
		Code:      "HPN-CAMLAM",
		Name:      "Hội LHPN huyện Cam Lâm",
		ShortName: "HPN Cam Lâm",
		Kind:      org.KindDistrict,
		Email:     "camlam@hoiphunu.khanhhoa.vn",
	}
}

func TestUnitValidate_AcceptsAValidUnit(t *testing.T) {
	t.Parallel()
	require.NoError(t, validUnit().Validate())
	u := validUnit()
	u.ShortName, u.Email = "", ""
	require.NoError(t, u.Validate(), "short name and email are optional")
}

func TestUnitValidate_NamesEveryBadField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*org.Unit)
		fields []string
	}{
		{"missing code", func(u *org.Unit) { u.Code = "" }, []string{"code"}},
		{"code too long", func(u *org.Unit) { u.Code = strings.Repeat("A", 33) }, []string{"code"}},
		{"code with diacritics", func(u *org.Unit) { u.Code = "CAM-LÂM" }, []string{"code"}},
		{"code with space", func(u *org.Unit) { u.Code = "CAM LAM" }, []string{"code"}},
		{"code starting with a dash", func(u *org.Unit) { u.Code = "-1" }, []string{"code"}},
		{"missing name", func(u *org.Unit) { u.Name = "" }, []string{"name"}},
		{"name as a formula", func(u *org.Unit) { u.Name = "=HYPERLINK(\"x\")" }, []string{"name"}},
		{"name with a newline", func(u *org.Unit) { u.Name = "Hội\nLHPN" }, []string{"name"}},
		{"short name too long", func(u *org.Unit) { u.ShortName = strings.Repeat("x", 51) }, []string{"short_name"}},
		{"unknown kind", func(u *org.Unit) { u.Kind = "village" }, []string{"kind"}},
		{"missing kind", func(u *org.Unit) { u.Kind = "" }, []string{"kind"}},
		{"bad email", func(u *org.Unit) { u.Email = "camlam@" }, []string{"email"}},
		{"email with a display name", func(u *org.Unit) { u.Email = "Cam Lâm <camlam@hpn.vn>" }, []string{"email"}},
		{"email without a dotted domain", func(u *org.Unit) { u.Email = "camlam@localhost" }, []string{"email"}},
		{"everything", func(u *org.Unit) { *u = org.Unit{Email: "x"} }, []string{"code", "name", "kind", "email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := validUnit()
			tt.change(&u)
			err := u.Validate()
			var errs org.ValidationErrors
			require.ErrorAs(t, err, &errs)
			var fields []string
			for _, fe := range errs {
				require.NotEmpty(t, fe.Message, "Vietnamese message")
				require.NotEmpty(t, fe.MessageEn, "English message")
				fields = append(fields, fe.Field)
			}
			require.Equal(t, tt.fields, fields)
		})
	}
}

func TestUnitNormalize_NFCAndSpaces(t *testing.T) {
	t.Parallel()
	u := org.Unit{
		Code: " HPN-CAMLAM ",
		// "Cam Lâm" typed with a combining circumflex, as macOS may send it.
		Name:  "  Hội LHPN   huyện Cam La\u0302m ",
		Email: " camlam@hpn.vn",
	}
	u.Normalize()
	require.Equal(t, "HPN-CAMLAM", u.Code)
	require.Equal(t, "Hội LHPN huyện Cam Lâm", u.Name)
	require.Equal(t, "camlam@hpn.vn", u.Email)
}

func TestParseKind_AcceptsCodesLabelsAndAliases(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]org.Kind{
		"district":                org.KindDistrict,
		"Huyện/thị/thành phố":     org.KindDistrict,
		"huyen / thi / thanh pho": org.KindDistrict,
		"HUYỆN":                   org.KindDistrict,
		"Thị xã":                  org.KindDistrict,
		"standing committee":      org.KindStandingCommittee,
		"Ban Thường vụ":           org.KindStandingCommittee,
		"Ban chuyên môn":          org.KindBoard,
		"ĐVTT":                    org.KindAffiliate,
		"Đơn vị trực thuộc":       org.KindAffiliate,
		"Cơ sở Hội":               org.KindCommune,
		"phường":                  org.KindCommune,
		"Chi hội":                 org.KindBranch,
		"Hội LHPN tỉnh":           org.KindProvince,
	} {
		got, ok := org.ParseKind(in)
		require.True(t, ok, "kind %q", in)
		require.Equal(t, want, got, "kind %q", in)
	}
	_, ok := org.ParseKind("village")
	require.False(t, ok)
	_, ok = org.ParseKind("")
	require.False(t, ok)
}

func TestKinds_EachHasALabelThatParsesBack(t *testing.T) {
	t.Parallel()
	require.Len(t, org.Kinds(), 7)
	for _, k := range org.Kinds() {
		require.True(t, k.Valid())
		require.NotEmpty(t, k.Label())
		got, ok := org.ParseKind(k.Label())
		require.True(t, ok)
		require.Equal(t, k, got)
	}
	require.False(t, org.Kind("village").Valid())
}
