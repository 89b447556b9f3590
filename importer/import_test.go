package importer_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/importer"
	"cascade/vntext"
)

const fixture = "plan-321-KH-BTV.txt"

func importFile(t testing.TB, name string) *importer.Draft {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	d, err := importer.Import(name, data)
	require.NoError(t, err)
	requireEveryLineKept(t, d)
	return d
}

// requireEveryLineKept checks that every non-blank line of the text is in
// some section's heading or body, and that section spans point into the text.
func requireEveryLineKept(t testing.TB, d *importer.Draft) {
	t.Helper()
	for _, ln := range strings.Split(d.Text, "\n") {
		l := strings.TrimSpace(ln)
		if l == "" {
			continue
		}
		h := l
		if strings.HasPrefix(h, "#") {
			h = strings.TrimSpace(strings.TrimRight(strings.TrimLeft(h, "#"), "# "))
		}
		found := false
		for _, s := range d.Sections {
			if s.Heading == h || strings.Contains(s.Body, l) {
				found = true
				break
			}
		}
		require.True(t, found, "line lost: %q", l)
	}
	runes := []rune(d.Text)
	for _, s := range d.Sections {
		require.True(t, s.Source.Start >= 0 && s.Source.Start <= s.Source.End && s.Source.End <= len(runes), "section span %+v", s.Source)
		require.Contains(t, string(runes[s.Source.Start:s.Source.End]), s.Body)
	}
}

func date(y int, m time.Month, d int) *vntext.Date {
	v := vntext.Date{Year: y, Month: m, Day: d}
	return &v
}

func idx(i int) *int { return &i }

// spanText is the text a span points at.
func spanText(d *importer.Draft, s importer.Span) string {
	return string([]rune(d.Text)[s.Start:s.End])
}

func TestImport_FixtureHeader(t *testing.T) {
	t.Parallel()
	d := importFile(t, fixture)
	require.Equal(t, "txt", d.Format)
	require.Equal(t, "Kế hoạch", d.Kind)
	require.Equal(t, "321/KH-BTV", d.Code)
	require.Equal(t, "Khánh Hòa", d.Place)
	require.Equal(t, date(2021, 6, 8), d.IssuedOn)
	require.Equal(t, "Ban Thường vụ", d.Issuer)
	require.Equal(t, "Hội LHPN tỉnh Khánh Hòa", d.IssuerOrg)
	require.True(t, strings.HasPrefix(d.Title, "Triển khai Chương trình hành động thực hiện Nghị quyết Đại hội"), d.Title)
	require.Equal(t, 2020, d.TermStartYear)
	require.Equal(t, 2025, d.TermEndYear)
	require.Equal(t, []string{"08-CTr/TU"}, d.Implements)
	require.Equal(t, "Nguyễn Quỳnh Nga", d.Signer)
	require.Equal(t, "CHỦ TỊCH", d.SignerTitle)
}

func TestImport_FixtureJSONHasTheDraftKeys(t *testing.T) {
	t.Parallel()
	d := importFile(t, fixture)
	b, err := json.Marshal(d)
	require.NoError(t, err)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"code", "place", "issued_on", "issuer", "title", "term_start_year", "term_end_year",
		"implements", "sections", "targets", "task_groups", "responsibilities", "recipients", "text"} {
		require.Contains(t, m, k)
	}
	require.JSONEq(t, `"2021-06-08"`, string(m["issued_on"]))
	var targets []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(m["targets"], &targets))
	for _, k := range []string{"text", "value", "unit", "direction", "measure", "parent", "source", "needs_review"} {
		require.Contains(t, targets[0], k)
	}
	var span importer.Span
	require.NoError(t, json.Unmarshal(targets[0]["source"], &span))
	require.Equal(t, d.Targets[0].Text, spanText(d, span))
}

func TestImport_FixtureSectionsInDocumentOrder(t *testing.T) {
	t.Parallel()
	d := importFile(t, fixture)
	type row struct {
		kind   importer.SectionKind
		level  int
		number string
		title  string
	}
	want := []row{
		{importer.KindOther, 1, "", ""},
		{importer.KindPurpose, 1, "I.", "MỤC ĐÍCH, YÊU CẦU"},
		{importer.KindObjective, 1, "II.", "MỤC TIÊU"},
		{importer.KindObjective, 2, "1.", "Mục tiêu chung"},
		{importer.KindObjective, 2, "2.", "Mục tiêu cụ thể"},
		{importer.KindContent, 1, "III.", "NỘI DUNG VÀ GIẢI PHÁP THỰC HIỆN"},
		{importer.KindContent, 2, "1.", "Quán triệt, tuyên truyền Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XVIII đến các cấp Hội, cán bộ, hội viên phụ nữ:"},
		{importer.KindContent, 2, "2.", "Tiếp tục đổi mới, nâng cao chất lượng và đẩy mạnh các phong trào thi đua, cuộc vận động"},
		{importer.KindContent, 2, "3.", "Công tác tuyên truyền, vận động, hỗ trợ phụ nữ xây dựng gia đình no ấm, tiến bộ, hạnh phúc, văn minh"},
		{importer.KindContent, 2, "2.", "Đẩy mạnh hoạt động hỗ trợ phụ nữ phát triển kinh tế, phát huy nội lực, tăng cường kết nối thúc đẩy khởi nghiệp, sáng tạo của phụ nữ"},
		{importer.KindContent, 2, "3.", "Tham gia xây dựng Đảng, chính quyền các cấp trong sạch, vững mạnh và phát huy sức mạnh khối đại đoàn kết toàn dân tộc"},
		{importer.KindContent, 2, "4.", "Xây dựng tổ chức Hội vững mạnh và đội ngũ cán bộ Hội chuyên nghiệp, hiệu quả"},
		{importer.KindContent, 2, "5.", "Tăng cường công tác tuyên truyền, vận động hội viên phụ nữ tham gia bảo đảm quốc phòng, an ninh"},
		{importer.KindContent, 2, "6.", "Nâng cao chất lượng, hiệu quả công tác đối ngoại và hợp tác quốc tế"},
		{importer.KindOrganisation, 1, "III.", "TỔ CHỨC THỰC HIỆN"},
		{importer.KindOrganisation, 2, "1.", "Hội LHPN tỉnh Khánh Hòa"},
		{importer.KindOrganisation, 2, "2.", "Hội LHPN các huyện, thị, thành phố, Hội PN các đơn vị trực thuộc"},
		{importer.KindOther, 1, "", ""},
		{importer.KindOther, 1, "", "Nơi nhận:"},
	}
	var got []row
	for _, s := range d.Sections {
		got = append(got, row{s.Kind, s.Level, s.Number, s.Title})
	}
	require.Equal(t, want, got)
	// Subsections point at their parents, in document order.
	require.Equal(t, idx(2), d.Sections[3].Parent)
	require.Equal(t, idx(5), d.Sections[9].Parent)
	require.Equal(t, idx(14), d.Sections[16].Parent)
	for i := 1; i < len(d.Sections); i++ {
		require.GreaterOrEqual(t, d.Sections[i].Source.Start, d.Sections[i-1].Source.End)
	}
	require.True(t, strings.HasPrefix(d.Sections[17].Body, "Trên đây là Kế hoạch"))
	// The repeated numbers are kept and noted, not "fixed".
	require.Len(t, d.Notes, 2)
	require.Contains(t, d.Notes[0].Message, "numbered 2. after 3.")
	require.Contains(t, d.Notes[1].Message, "numbered III. after III.")
}

type targetRow struct {
	value     float64
	unit      string
	direction vntext.Direction
	measure   importer.Measure
	parent    *int
	perUnit   bool
	text      string // the start of the target's text
}

func targetRows(d *importer.Draft) []targetRow {
	var got []targetRow
	for _, t := range d.Targets {
		got = append(got, targetRow{t.Value, t.Unit, t.Direction, t.Measure, t.Parent, t.PerUnit, t.Text})
	}
	return got
}

// requireTargets compares targets with an expected table whose texts are
// prefixes of the targets' texts.
func requireTargets(t *testing.T, want []targetRow, d *importer.Draft) {
	t.Helper()
	got := targetRows(d)
	for i := range got {
		if i < len(want) && strings.HasPrefix(got[i].text, want[i].text) {
			got[i].text = want[i].text
		}
	}
	require.Equal(t, want, got)
}

const (
	count   = importer.MeasureCount
	percent = importer.MeasurePercent
	least   = vntext.AtLeast
	most    = vntext.AtMost
	exactly = vntext.Exactly
)

// fixtureTargets is every quantitative target of "Mục tiêu cụ thể", and the
// one of the content groups ("ít nhất một công trình/phần việc").
var fixtureTargets = []targetRow{
	{100, "%", exactly, percent, nil, false, "100% cán bộ, hội viên phụ nữ được học tập"},
	{100, "%", exactly, percent, nil, false, "Tuyên truyền, vận động 100% hộ gia đình h"},
	{100, "%", exactly, percent, nil, false, "Hàng năm, 100% cơ sở Hội đăng ký"},
	{1, "công trình", least, count, nil, false, "thực hiện ít nhất 01 công trình/phần việc"},
	{85, "%", least, percent, nil, false, "Đến cuối nhiệm kỳ, trên 85% hộ gia đình h"},
	{2700, "hộ", least, count, nil, false, "Phân đấu đến cuối nhiệm kỳ, có 2.700 hộ p"},
	{2200, "hộ", least, count, nil, false, "2.200 hộ thoát cận nghèo (theo chuẩn nghè"},
	{57000, "lao động", least, count, nil, false, "có ít nhất 57.000 lao động nữ được tư vấn "},
	{80, "%", least, percent, idx(7), false, "trong đó, tỷ lệ lao động nữ qua đào tạo đ"},
	{30, "%", least, percent, idx(7), false, "tỷ lệ lao động nữ có bằng cấp, chứng chỉ "},
	{100, "doanh nghiệp", exactly, count, nil, false, "Đến cuối nhiệm kỳ, hỗ trợ nâng cao năng l"},
	{4, "HTX", exactly, count, nil, false, "04 HTX có phụ nữ tham gia quản lý, điều h"},
	{1600, "hộ kinh doanh", exactly, count, nil, false, "1.600 hộ kinh doanh do phụ nữ làm chủ"},
	{2, "hợp tác xã", exactly, count, nil, false, "vận động, hỗ trợ thành lập mới 02 hợp tác"},
	{100, "%", exactly, percent, nil, false, "100% cơ sở Hội đẩy mạnh công tác tuyên tr"},
	{100, "%", least, percent, nil, false, "Phân đấu đến cuối nhiệm kỳ, 100% hội viên"},
	{8.5, "%", most, percent, nil, false, "tỷ lệ suy dinh dưỡng thể thấp còi của trẻ"},
	{100, "%", exactly, percent, nil, false, "100% cán bộ Hội chuyên trách các cấp có t"},
	{100, "%", exactly, percent, nil, false, "100% cán bộ Hội chuyên trách được tập huấ"},
	{80, "%", least, percent, nil, false, "80% trở lên Chi hội trưởng, hội viên nòng"},
	{5, "%", least, percent, nil, false, "Đến cuối nhiệm kỳ, phát triển ít nhất 5% "},
	{1, "mô hình", least, count, nil, true, "mỗi cơ sở Hội có ít nhất 01 mô hình tập h"},
	{95, "%", least, percent, nil, false, "Phân đấu hàng năm có 95% cơ sở Hội hoàn t"},
	{20, "%", least, percent, nil, true, "Đến cuối nhiệm kỳ, mỗi cơ sở Hội xây dựng"},
	{1, "công trình", least, count, nil, true, "Triển khai thực hiện cuộc vận động “Xây d"},
}

func TestImport_FixtureTargets(t *testing.T) {
	t.Parallel()
	d := importFile(t, fixture)
	requireTargets(t, fixtureTargets, d)
	for _, tg := range d.Targets {
		// Every target's span holds its number as written, in figures or
		// in words ("ít nhất một").
		src := spanText(d, tg.Source)
		if !strings.Contains(src, " một ") {
			require.Contains(t, src, strings.TrimSuffix(vntext.FormatNumber(tg.Value), ",0"))
		}
	}
	require.Equal(t, "annual", d.Targets[2].Recurrence)
	require.Equal(t, "annual", d.Targets[3].Recurrence)
	require.Equal(t, "term_end", d.Targets[5].Recurrence)
	// The second count inside a percent target is a target of its own, not
	// a note on the first.
	for _, tg := range d.Targets {
		require.False(t, tg.NeedsReview, tg.Text)
	}
}

func TestImport_FixtureTasksAreTheBulletsOfEveryContentGroup(t *testing.T) {
	t.Parallel()
	d := importFile(t, fixture)
	var counts []int
	var headings []string
	for _, g := range d.TaskGroups {
		counts = append(counts, len(g.Tasks))
		headings = append(headings, strings.Fields(g.Heading)[0])
	}
	require.Equal(t, []int{4, 3, 6, 6, 4, 4, 2, 2}, counts)
	require.Equal(t, []string{"1.", "2.", "3.", "2.", "3.", "4.", "5.", "6."}, headings)
	first := d.TaskGroups[0].Tasks[0]
	require.True(t, strings.HasPrefix(first.Text, "Tuyên truyền, phổ biến Nghị quyết Đại hội"))
	require.True(t, strings.HasPrefix(spanText(d, first.Source), "Tuyên truyền, phổ biến"))
	// "Hàng năm, …" recurs; a cited directive's date is not a deadline.
	require.Equal(t, "annual", d.TaskGroups[0].Tasks[1].Recurrence)
	require.Nil(t, d.TaskGroups[0].Tasks[2].DueOn)
	require.Equal(t, "ongoing", d.TaskGroups[1].Tasks[2].Recurrence)
	review := 0
	for _, g := range d.TaskGroups {
		for _, tk := range g.Tasks {
			require.Nil(t, tk.DueOn, tk.Text)
			if tk.NeedsReview {
				review++
			}
		}
	}
	require.Equal(t, 29, review)
}

type dutyRow struct {
	unitKind, action, recurrence string
	withAnnualReport             bool
}

func dutyRows(d *importer.Draft) []dutyRow {
	var got []dutyRow
	for _, r := range d.Responsibilities {
		got = append(got, dutyRow{r.UnitKind, r.Action, r.Recurrence, r.WithAnnualReport})
	}
	return got
}

func TestImport_FixtureResponsibilities(t *testing.T) {
	t.Parallel()
	d := importFile(t, fixture)
	require.Equal(t, []dutyRow{
		{"province", "build_plan", "", false},
		{"board", "build_plan", "", false},
		{"board", "report", "annual", false},
		{"board", "report", "term_end", false},
		{"province", "review", "periodic", false},
		{"district", "build_plan", "", false},
		{"affiliate", "build_plan", "", false},
		{"district", "disseminate", "", false},
		{"affiliate", "disseminate", "", false},
		{"district", "report", "annual", true},
		{"affiliate", "report", "annual", true},
		{"district", "report", "term_end", false},
		{"affiliate", "report", "term_end", false},
	}, dutyRows(d))
	require.Equal(t, "các Ban chuyên môn", d.Responsibilities[1].Unit)
	require.Equal(t, "Hội LHPN các huyện, thị, thành phố", d.Responsibilities[5].Unit)
	require.Equal(t, "Hội PN các đơn vị trực thuộc", d.Responsibilities[6].Unit)
	for _, r := range d.Responsibilities {
		require.False(t, r.NeedsReview, r.Text)
	}
}

func TestImport_FixtureRecipients(t *testing.T) {
	t.Parallel()
	d := importFile(t, fixture)
	require.Equal(t, []string{
		"Thường trực Tỉnh ủy",
		"Chị Trương Thị Thu Thủy – UVĐCT, Phụ trách Cụm thi đua",
		"Văn phòng TW Hội",
		"Ban Dân vận TU",
		"Văn phòng Tỉnh ủy",
		"Thường trực Hội LHPN tỉnh",
		"Hội LHPN các huyện, thị, thành phố",
		"Hội PN các ĐVTT",
		"Lưu VT",
	}, d.Recipients)
}

// sameReading compares what two imports of one plan read, ignoring spans
// (the texts differ in markup).
func sameReading(t *testing.T, want, got *importer.Draft) {
	t.Helper()
	require.Equal(t, targetRows(want), targetRows(got))
	for i := range want.Targets {
		require.Equal(t, want.Targets[i].Text, got.Targets[i].Text)
		require.Equal(t, want.Targets[i].Baseline, got.Targets[i].Baseline)
	}
	require.Equal(t, dutyRows(want), dutyRows(got))
	require.Equal(t, want.Recipients, got.Recipients)
	require.Equal(t, len(want.TaskGroups), len(got.TaskGroups))
	for i := range want.TaskGroups {
		require.Equal(t, len(want.TaskGroups[i].Tasks), len(got.TaskGroups[i].Tasks))
		for j := range want.TaskGroups[i].Tasks {
			require.Equal(t, want.TaskGroups[i].Tasks[j].Text, got.TaskGroups[i].Tasks[j].Text)
			require.Equal(t, want.TaskGroups[i].Tasks[j].DueOn, got.TaskGroups[i].Tasks[j].DueOn)
		}
	}
	for _, f := range []func(*importer.Draft) any{
		func(d *importer.Draft) any { return d.Code }, func(d *importer.Draft) any { return d.Place },
		func(d *importer.Draft) any { return d.IssuedOn }, func(d *importer.Draft) any { return d.Issuer },
		func(d *importer.Draft) any { return d.Title }, func(d *importer.Draft) any { return d.TermEndYear },
		func(d *importer.Draft) any { return d.Implements },
	} {
		require.Equal(t, f(want), f(got))
	}
}

func TestImport_MarkdownAndDocxReadTheSameAsText(t *testing.T) {
	t.Parallel()
	txt := importFile(t, fixture)
	for _, name := range []string{"plan-321-KH-BTV.md", "plan-321-KH-BTV-lists.md", "plan-321-KH-BTV.docx", "plan-321-KH-BTV-numbered.docx"} {
		t.Run(name, func(t *testing.T) {
			d := importFile(t, name)
			sameReading(t, txt, d)
			require.Len(t, d.Sections, len(txt.Sections))
			for i := range d.Sections {
				require.Equal(t, txt.Sections[i].Kind, d.Sections[i].Kind)
				require.Equal(t, txt.Sections[i].Number, d.Sections[i].Number)
			}
		})
	}
}

func TestImport_DocxListNumberingComesFromWordProperties(t *testing.T) {
	t.Parallel()
	// In this file "II.", "1." and the bullets are Word list numbering
	// (w:numPr), not text: the paragraph text is just "MỤC TIÊU".
	data, err := os.ReadFile(filepath.Join("testdata", "plan-321-KH-BTV-numbered.docx"))
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var xml []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			require.NoError(t, err)
			var buf bytes.Buffer
			_, err = buf.ReadFrom(rc)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			xml = buf.Bytes()
		}
	}
	require.Contains(t, string(xml), `<w:t xml:space="preserve">MỤC TIÊU</w:t>`)
	require.NotContains(t, string(xml), "II. MỤC TIÊU")
	d := importFile(t, "plan-321-KH-BTV-numbered.docx")
	require.Equal(t, "II.", d.Sections[2].Number)
	require.Equal(t, "III.", d.Sections[14].Number)
	require.Equal(t, "2.", d.Sections[9].Number) // the restarted list keeps the document's own "2."
}

func TestImport_DistrictPlanWithDeadlinesAndSixMonthlyReports(t *testing.T) {
	t.Parallel()
	d := importFile(t, "ke-hoach-ninh-hoa.md")
	require.Equal(t, "md", d.Format)
	require.Equal(t, "15-KH/HPN", d.Code)
	require.Equal(t, "Ninh Hòa", d.Place)
	require.Equal(t, date(2022, 3, 20), d.IssuedOn)
	require.Equal(t, "Ban Thường vụ", d.Issuer)
	require.Equal(t, "Hội LHPN thị xã Ninh Hòa", d.IssuerOrg)
	require.Equal(t, []string{"321/KH-BTV", "12-CTr/TU"}, d.Implements)
	require.Equal(t, "Trần Thị Bình", d.Signer)
	require.Equal(t, "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", d.SignerTitle)

	// "a)" and "b)" subsections of the objectives, baseline and direction words.
	requireTargets(t, []targetRow{
		{100, "%", exactly, percent, nil, false, "100% cán bộ chủ chốt các cấp Hội được quá"},
		{2, "mô hình", least, count, nil, true, "Hằng năm, mỗi cơ sở Hội có ít nhất 02 mô "},
		{150, "hộ", exactly, count, nil, false, "Đến năm 2025, giúp 150 hộ phụ nữ thoát ng"},
		{95, "%", least, percent, nil, false, "nâng tỷ lệ hội viên tham gia BHYT từ 85% "},
		{10, "%", most, percent, nil, false, "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng t"},
		{1, "hợp tác xã", least, count, nil, false, "Hỗ trợ thành lập mới ít nhất 01 hợp tác x"},
		// A percentage in a task of the content is a target too.
		{100, "%", exactly, percent, nil, false, "Cấp phát tài liệu đến 100% chi hội"},
	}, d)
	require.NotNil(t, d.Targets[3].Baseline)
	require.InDelta(t, 85, *d.Targets[3].Baseline, 1e-9)
	require.Equal(t, "annual", d.Targets[1].Recurrence)

	// Tasks: deadlines, "+" items nested under their "-" item, "•" bullets,
	// a group of plain paragraphs.
	require.Len(t, d.TaskGroups, 3)
	g := d.TaskGroups[0].Tasks
	require.Len(t, g, 4)
	require.Equal(t, date(2022, 4, 30), g[0].DueOn)
	require.Nil(t, g[0].Parent)
	require.Equal(t, idx(0), g[1].Parent)
	require.Equal(t, date(2022, 4, 30), g[1].DueOn) // "trong tháng 4/2022"
	require.Equal(t, idx(0), g[2].Parent)
	require.Equal(t, date(2022, 6, 30), g[2].DueOn) // "trong quý II năm 2022"
	require.Equal(t, "quarterly", g[3].Recurrence)
	require.False(t, g[3].NeedsReview)
	g = d.TaskGroups[1].Tasks
	require.Len(t, g, 3)
	require.Equal(t, date(2022, 6, 15), g[0].DueOn)
	require.Equal(t, date(2023, 12, 31), g[1].DueOn)
	require.Equal(t, date(2023, 6, 30), g[2].DueOn)
	require.Equal(t, "", g[2].Recurrence) // "6 tháng đầu năm 2023" is a half year, not a frequency
	g = d.TaskGroups[2].Tasks
	require.Len(t, g, 1)
	require.True(t, g[0].NeedsReview)

	require.Equal(t, []dutyRow{
		{"district", "build_plan", "", false},
		{"district", "review", "midterm", false},
		{"board", "report", "semiannual", false},
		{"commune", "build_plan", "", false},
		{"commune", "report", "semiannual", false},
		{"commune", "report", "annual", true},
	}, dutyRows(d))
	require.Equal(t, date(2022, 3, 31), d.Responsibilities[0].DueOn)
	require.Equal(t, date(2023, 12, 31), d.Responsibilities[1].DueOn)
	require.Equal(t, date(2022, 4, 30), d.Responsibilities[3].DueOn)
	require.Equal(t, []string{"Thường trực Hội LHPN tỉnh (b/c)", "Thường trực Thị ủy (b/c)", "Hội LHPN các xã, phường", "Lưu: VT"}, d.Recipients)
}

func TestImport_TargetsTableInMarkdownAndDocx(t *testing.T) {
	t.Parallel()
	md := importFile(t, "ke-hoach-cam-lam-chi-tieu.md")
	require.Equal(t, "42/KH-BCH", md.Code)
	require.Equal(t, "Ban Chấp hành", md.Issuer)
	require.Equal(t, 2023, md.TermStartYear)
	require.Equal(t, 2025, md.TermEndYear)
	requireTargets(t, []targetRow{
		{450, "Hộ", exactly, count, nil, false, "Hộ phụ nữ thoát nghèo"},
		{3000, "Người", exactly, count, nil, false, "Lao động nữ được giới thiệu việc làm"},
		{80, "%", exactly, percent, idx(1), false, "Trong đó: lao động nữ qua đào tạo"},
		{8.5, "%", most, percent, nil, false, "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng t"},
		{95, "%", least, percent, nil, false, "Tỷ lệ hội viên tham gia BHYT"},
		{120, "tỷ đồng", exactly, count, nil, false, "Vốn vay ưu đãi do Hội quản lý"},
		{3, "HTX", least, count, nil, false, "Hợp tác xã do phụ nữ quản lý thành lập mới"},
	}, md)
	var baselines []float64
	for _, tg := range md.Targets {
		require.NotNil(t, tg.Baseline)
		baselines = append(baselines, *tg.Baseline)
		require.True(t, strings.HasPrefix(spanText(md, tg.Source), "|"))
	}
	require.Equal(t, []float64{320, 2100, 65, 10.2, 88, 95.5, 1}, baselines)

	// The tasks are a table too: Nội dung, Đơn vị chủ trì, Thời gian.
	require.Len(t, md.TaskGroups, 1)
	tasks := md.TaskGroups[0].Tasks
	require.Len(t, tasks, 3)
	require.Equal(t, "Ban Tuyên giáo", tasks[0].Lead)
	require.Equal(t, date(2023, 3, 31), tasks[0].DueOn)
	require.Equal(t, date(2023, 6, 30), tasks[1].DueOn)
	require.Equal(t, date(2024, 12, 31), tasks[2].DueOn)
	require.Equal(t, []dutyRow{
		{"board", "report", "quarterly", false},
		{"commune", "build_plan", "", false},
		{"commune", "report", "semiannual", false},
		{"commune", "report", "annual", false},
	}, dutyRows(md))

	docx := importFile(t, "ke-hoach-cam-lam-chi-tieu.docx")
	require.Equal(t, "docx", docx.Format)
	sameReading(t, md, docx)
	require.Equal(t, tasks[0].Lead, docx.TaskGroups[0].Tasks[0].Lead)
}

func TestImport_CorruptDocxIsAnError(t *testing.T) {
	t.Parallel()
	_, err := importer.Import("plan.docx", []byte("PK\x03\x04 this is not a zip"))
	require.ErrorIs(t, err, importer.ErrUnreadable)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/other.xml")
	require.NoError(t, err)
	_, err = w.Write([]byte("<x/>"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	_, err = importer.Import("plan.docx", buf.Bytes())
	require.ErrorIs(t, err, importer.ErrUnreadable)
}

func TestImport_UnknownDocumentIsOneSectionWithTheWholeText(t *testing.T) {
	t.Parallel()
	in := "Biên bản họp chi hội\nThời gian: sáng thứ Hai\n\nNội dung: bàn việc tổ chức ngày 8/3."
	d, err := importer.Import("notes.txt", []byte(in))
	require.NoError(t, err)
	require.Len(t, d.Sections, 1)
	require.Equal(t, importer.KindOther, d.Sections[0].Kind)
	require.Equal(t, in, d.Sections[0].Body)
	require.Equal(t, importer.Span{Start: 0, End: len([]rune(in))}, d.Sections[0].Source)
	require.Empty(t, d.Targets)
	requireEveryLineKept(t, d)

	d, err = importer.Import("empty.md", nil)
	require.NoError(t, err)
	require.Len(t, d.Sections, 1)
}

func TestImport_NormalisesTheText(t *testing.T) {
	t.Parallel()
	// Decomposed Vietnamese, CRLF, a BOM and a UTF-16 file read the same.
	nfd := "\ufeffKe\u0302\u0301 hoa\u0323ch\r\nI. MU\u0323C ĐI\u0301CH\r\n- 100% ca\u0301n bo\u0323\u0302 đươ\u0323c ho\u0323c tâ\u0323p.\r\n"
	d, err := importer.Import("a.txt", []byte(nfd))
	require.NoError(t, err)
	require.Equal(t, "Kế hoạch\nI. MỤC ĐÍCH\n- 100% cán bộ được học tập.\n", d.Text)
	require.Equal(t, "MỤC ĐÍCH", d.Sections[1].Title)
	require.Equal(t, importer.KindPurpose, d.Sections[1].Kind)

	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "Số: 7/KH-BTV\n" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	d, err = importer.Import("b.txt", utf16)
	require.NoError(t, err)
	require.Equal(t, "7/KH-BTV", d.Code)
}
