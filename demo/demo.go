// Package demo loads the demonstration data `make run` starts with: the
// Khánh Hòa provincial Women's Union, its boards and district unions, and a
// draft of its plan 321/KH-BTV.
package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"cascade/auth"
	"cascade/calendar"
	"cascade/importer"
	"cascade/plans"
	"cascade/store"
)

// unitSeed is one unit of the demo tree; parent names another seed's code.
type unitSeed struct {
	code, parent, kind, name, short string
}

// tree is the organisation of the Khánh Hòa provincial Women's Union.
var tree = []unitSeed{
	{"KH", "", "province", "Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa", "Hội LHPN tỉnh"},
	{"KH-BTV", "KH", "standing_committee", "Ban Thường vụ Hội LHPN tỉnh", "Ban Thường vụ"},
	{"KH-VP", "KH", "board", "Văn phòng", "Văn phòng"},
	{"KH-TCKT", "KH", "board", "Ban Tổ chức – Kiểm tra", "Ban TC-KT"},
	{"KH-TG", "KH", "board", "Ban Tuyên giáo", "Ban TG"},
	{"KH-GDXH", "KH", "board", "Ban Gia đình – Xã hội", "Ban GĐ-XH"},
	{"KH-HTKT", "KH", "board", "Ban Hỗ trợ phụ nữ phát triển kinh tế", "Ban HTPNPTKT"},
	{"KH-CSLP", "KH", "board", "Ban Chính sách – Luật pháp", "Ban CS-LP"},
	{"NT", "KH", "district", "Hội LHPN thành phố Nha Trang", "Nha Trang"},
	{"CR", "KH", "district", "Hội LHPN thành phố Cam Ranh", "Cam Ranh"},
	{"NH", "KH", "district", "Hội LHPN thị xã Ninh Hòa", "Ninh Hòa"},
	{"VN", "KH", "district", "Hội LHPN huyện Vạn Ninh", "Vạn Ninh"},
	{"DK", "KH", "district", "Hội LHPN huyện Diên Khánh", "Diên Khánh"},
	{"CL", "KH", "district", "Hội LHPN huyện Cam Lâm", "Cam Lâm"},
	{"KV", "KH", "district", "Hội LHPN huyện Khánh Vĩnh", "Khánh Vĩnh"},
	{"KS", "KH", "district", "Hội LHPN huyện Khánh Sơn", "Khánh Sơn"},
	{"TS", "KH", "district", "Hội LHPN huyện Trường Sa", "Trường Sa"},
	{"AF-CQ", "KH", "affiliate", "Hội Phụ nữ Cơ quan Tỉnh ủy", "PN CQ Tỉnh ủy"},
	{"AF-BDBP", "KH", "affiliate", "Hội Phụ nữ Bộ đội Biên phòng tỉnh", "PN BĐBP"},
	{"AF-CA", "KH", "affiliate", "Hội Phụ nữ Công an tỉnh", "PN Công an"},
	{"NT-VH", "NT", "commune", "Hội LHPN phường Vĩnh Hải", "Vĩnh Hải"},
	{"NT-PH", "NT", "commune", "Hội LHPN phường Phước Hải", "Phước Hải"},
	{"NT-VL", "NT", "commune", "Hội LHPN xã Vĩnh Lương", "Vĩnh Lương"},
	{"CL-CD", "CL", "commune", "Hội LHPN xã Cam Đức", "Cam Đức"},
	{"CL-CHD", "CL", "commune", "Hội LHPN xã Cam Hải Đông", "Cam Hải Đông"},
}

// userSeed is a demo user: one per role, at the province or a district.
type userSeed struct {
	email, name, unit, role, password string
}

// users are the demo accounts; their passwords are printed by `cascade seed`
// and are for a demonstration only.
var users = []userSeed{
	{"quantri@demo.cascade.local", "Nguyễn Thị Quản Trị", "KH", "admin", "QuanTri@2026"},
	{"lanhdao@demo.cascade.local", "Trần Thị Lãnh Đạo", "KH", "leader", "LanhDao@2026"},
	{"canbo.nhatrang@demo.cascade.local", "Lê Thị Cán Bộ", "NT", "officer", "CanBo@2026!"},
	{"lanhdao.nhatrang@demo.cascade.local", "Phạm Thị Chủ Tịch", "NT", "leader", "ChuTich@2026"},
	{"xem@demo.cascade.local", "Võ Thị Xem", "KH", "viewer", "XemBaoCao@2026"},
}

// Credential is a demo account and its password.
type Credential struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Role     string `json:"role"`
	Unit     string `json:"unit"`
}

// Summary is what Seed loaded.
type Summary struct {
	Units  int          `json:"units_created"`
	PlanID int64        `json:"plan_id"`
	Users  []Credential `json:"users"`
}

// Seed loads the demo data; run again, it adds only what is missing. Unit
// emails use mailDomain (e.g. example.org), so a dev mail catcher gets them.
func Seed(ctx context.Context, db *store.DB, mailDomain string, now time.Time) (*Summary, error) {
	sum := &Summary{}
	ids := map[string]int64{}
	err := db.WithTx(ctx, func(s *store.Store) error {
		for _, u := range tree {
			existing, err := s.UnitByCode(ctx, u.code)
			if err == nil {
				ids[u.code] = existing.ID
				continue
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			var parent *int64
			if u.parent != "" {
				p := ids[u.parent]
				parent = &p
			}
			created, err := s.CreateUnit(ctx, store.Unit{ParentID: parent, Kind: u.kind, Code: u.code, Name: u.name,
				ShortName: u.short, Email: fmt.Sprintf("%s@%s", lower(u.code), mailDomain)})
			if err != nil {
				return err
			}
			ids[u.code] = created.ID
			sum.Units++
		}

		for _, us := range users {
			sum.Users = append(sum.Users, Credential{Email: us.email, Password: us.password, Role: us.role, Unit: us.unit})
			if _, err := s.UserByEmail(ctx, us.email); err == nil {
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			hash, err := auth.HashPassword(us.password)
			if err != nil {
				return err
			}
			u, err := s.CreateUser(ctx, store.User{Email: us.email, Name: us.name, PasswordHash: hash, Active: true})
			if err != nil {
				return err
			}
			if err := s.AddMembership(ctx, u.ID, ids[us.unit], us.role); err != nil {
				return err
			}
		}

		if p, err := s.PlanByCode(ctx, "321/KH-BTV"); err == nil {
			sum.PlanID = p.ID
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		var participants, districts []int64
		for _, u := range tree {
			if u.kind == "district" || u.kind == "affiliate" {
				participants = append(participants, ids[u.code])
			}
			if u.kind == "district" {
				districts = append(districts, ids[u.code])
			}
		}
		p, err := demoPlan(now, ids, participants, districts)
		if err != nil {
			return err
		}
		id, err := s.CreatePlanDoc(ctx, p)
		if err != nil {
			return err
		}
		sum.PlanID = id
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seed demo data: %w", err)
	}
	return sum, nil
}

//go:embed plan-321-KH-BTV.txt
var planDocument []byte

// boardsByGroup gives each content group of plan 321 the board that leads
// it, in the document's order.
var boardsByGroup = []string{"KH-TG", "KH-TG", "KH-GDXH", "KH-HTKT", "KH-GDXH", "KH-CSLP", "KH-TCKT", "KH-VP"}

// demoPlan is plan 321/KH-BTV read by the importer and completed the way a
// reviewer would: its term moved to the current one (so its reports are
// live), the districts and affiliates as its units, the household targets
// shared among the districts, a board leading every task, and a first
// annual report due in three weeks.
func demoPlan(now time.Time, ids map[string]int64, participants, districts []int64) (plans.Plan, error) {
	d, err := importer.Import("plan-321-KH-BTV.txt", planDocument)
	if err != nil {
		return plans.Plan{}, err
	}
	p := plans.FromDraft(d)
	p.SourceName = "plan-321-KH-BTV.txt"
	p.IssuerUnitID = ids["KH-BTV"]
	p.UnitIDs = participants
	year := now.Year()
	p.TermStartYear, p.TermEndYear = year, year+4
	first := calendar.DateOf(now.AddDate(0, 0, 21))
	p.Cycles = plans.DefaultCycles(year, year+4)
	p.Cycles[0].DueOn = first
	for i, t := range p.Targets {
		if t.Measure != "count" || t.Value == nil || t.Parent != nil || *t.Value < float64(len(districts)) {
			continue
		}
		// Shared evenly, the remainder to the first districts.
		total := int64(*t.Value)
		share, rest := total/int64(len(districts)), total%int64(len(districts))
		for j, u := range districts {
			v := share
			if int64(j) < rest {
				v++
			}
			p.Targets[i].Allocations = append(p.Targets[i].Allocations, plans.Allocation{UnitID: u, Value: float64(v)})
		}
	}
	for g := range p.TaskGroups {
		board := ids[boardsByGroup[g%len(boardsByGroup)]]
		for i := range p.TaskGroups[g].Tasks {
			t := &p.TaskGroups[g].Tasks[i]
			t.LeadUnitIDs, t.SupportUnitIDs = []int64{board}, districts
			if t.DueOn == nil && t.Recurrence == "" {
				t.Recurrence = "annual"
			}
			t.NeedsReview = false
		}
	}
	return p, p.ValidateForIssue()
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
