package org

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Kind is the level or function of a unit in the organisation tree. The tree
// is data of any depth; Kind says what a unit is, not where it may sit.
type Kind string

// The unit kinds, in the order of the organisation from the top down.
const (
	// KindProvince is the provincial union itself (Hội LHPN tỉnh).
	KindProvince Kind = "province"
	// KindStandingCommittee is the standing committee (Ban Thường vụ /
	// Thường trực) that issues plans and receives the last escalations.
	KindStandingCommittee Kind = "standing_committee"
	// KindBoard is a specialised board of the provincial union (Ban chuyên
	// môn: Ban Tuyên giáo, Ban Kinh tế, …) that turns task groups into plans.
	KindBoard Kind = "board"
	// KindDistrict is the union of a district, town or city (Hội LHPN huyện,
	// thị xã, thành phố); Khánh Hòa has nine.
	KindDistrict Kind = "district"
	// KindAffiliate is the union of a directly affiliated body (Hội PN các
	// đơn vị trực thuộc).
	KindAffiliate Kind = "affiliate"
	// KindCommune is a grassroots union of a commune, ward or township (cơ sở
	// Hội).
	KindCommune Kind = "commune"
	// KindBranch is a branch (chi hội) below a grassroots union.
	KindBranch Kind = "branch"
)

// kindInfo holds each kind's Vietnamese label, written in exported files and
// shown in the UI, and the other names accepted on import.
var kindInfo = []struct {
	kind    Kind
	label   string
	aliases []string
}{
	{KindProvince, "Hội LHPN tỉnh", []string{"Tỉnh Hội", "Tỉnh", "Cấp tỉnh"}},
	{KindStandingCommittee, "Ban Thường vụ", []string{"Thường trực", "Ban Thường vụ/Thường trực", "BTV"}},
	{KindBoard, "Ban chuyên môn", []string{"Ban"}},
	{KindDistrict, "Huyện/thị/thành phố", []string{"Huyện/thị xã/thành phố", "Hội LHPN huyện", "Huyện", "Thị xã", "Thành phố", "Cấp huyện"}},
	{KindAffiliate, "Đơn vị trực thuộc", []string{"Hội PN đơn vị trực thuộc", "ĐVTT"}},
	{KindCommune, "Cơ sở Hội", []string{"Cơ sở", "Xã/phường/thị trấn", "Xã", "Phường", "Thị trấn", "Cấp xã"}},
	{KindBranch, "Chi hội", []string{"Chi Hội phụ nữ"}},
}

// kindByName maps every folded code, label and alias to its kind.
var kindByName = func() map[string]Kind {
	m := make(map[string]Kind)
	add := func(name string, k Kind) {
		key := fold(name)
		if other, dup := m[key]; dup && other != k {
			panic("org: kind name " + name + " is ambiguous")
		}
		m[key] = k
	}
	for _, ki := range kindInfo {
		add(string(ki.kind), ki.kind)
		add(ki.label, ki.kind)
		for _, a := range ki.aliases {
			add(a, ki.kind)
		}
	}
	return m
}()

// Kinds returns every kind, from the top of the organisation down.
func Kinds() []Kind {
	ks := make([]Kind, len(kindInfo))
	for i, ki := range kindInfo {
		ks[i] = ki.kind
	}
	return ks
}

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	return k.Label() != ""
}

// Label returns the Vietnamese name of the kind, or "" for an unknown kind.
func (k Kind) Label() string {
	for _, ki := range kindInfo {
		if ki.kind == k {
			return ki.label
		}
	}
	return ""
}

// ParseKind reads a kind as a user writes it in a file or a form: the code
// ("district"), the Vietnamese label ("Huyện/thị/thành phố") or a common
// alias ("Huyện", "Thị xã", "ĐVTT", "Chi hội", …). Case, surrounding spaces,
// "_" versus " " and Vietnamese diacritics are ignored, so "huyen" and
// "HUYỆN" both read as KindDistrict.
func ParseKind(s string) (Kind, bool) {
	k, ok := kindByName[fold(s)]
	return k, ok
}

// fold reduces s to a key for loose matching of names typed by people:
// lower case, no Vietnamese diacritics (đ becomes d), "_" read as a space,
// runs of spaces collapsed, spaces around "/" dropped.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case r == '_':
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	f := strings.Join(strings.Fields(b.String()), " ")
	return strings.ReplaceAll(strings.ReplaceAll(f, " /", "/"), "/ ", "/")
}
