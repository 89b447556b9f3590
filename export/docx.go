package export

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"cascade/calendar"
	"cascade/dashboard"
	"cascade/progress"
)

// FormatNumber writes n the Vietnamese way: "." between thousands, ","
// before decimals, at most decimals of them (trailing zeros dropped).
func FormatNumber(n float64, decimals int) string {
	neg := n < 0
	n = math.Abs(n)
	s := strconv.FormatFloat(n, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// ReviewDoc is what a review report needs beyond its dossier.
type ReviewDoc struct {
	// Parent is the issuing body's superior, printed above it ("HỘI LHPN
	// TỈNH KHÁNH HÒA"); empty for none.
	Parent string
	// Number is the document's number ("15/BC-BTV"), empty for a blank
	// the clerk fills in when registering it ("……/BC-BTV", the issuer's
	// abbreviation taken from the plan's code).
	Number string
	Place  string
	Date   time.Time
}

// ReviewDocx writes the review report of dossier d as a .docx laid out as a
// Vietnamese administrative document: the issuing body and number
// top-left, the national motto top-right with place and date, the title,
// the sections with the figures table, the units that did not report and
// those that reported late, and the signature block.
func ReviewDocx(w io.Writer, d *dashboard.Dossier, doc ReviewDoc) error {
	zw := zip.NewWriter(w)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", stylesXML},
		{"word/document.xml", documentXML(d, doc)},
	}
	for _, f := range files {
		fw, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`

// Times New Roman 13 pt, as Decree 30/2020/NĐ-CP asks of administrative documents.
const stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="288" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
</w:styles>`

// run is a piece of text with its formatting.
type run struct {
	text                    string
	bold, italic, underline bool
	size                    int // half-points; 0 for the default
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (r run) xml() string {
	var p strings.Builder
	if r.bold {
		p.WriteString(`<w:b/>`)
	}
	if r.italic {
		p.WriteString(`<w:i/>`)
	}
	if r.underline {
		p.WriteString(`<w:u w:val="single"/>`)
	}
	if r.size > 0 {
		fmt.Fprintf(&p, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, r.size, r.size)
	}
	return `<w:r><w:rPr>` + p.String() + `</w:rPr><w:t xml:space="preserve">` + esc(r.text) + `</w:t></w:r>`
}

// para is a paragraph: align is left, center, right or both.
func para(align string, runs ...run) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<w:p><w:pPr><w:jc w:val="%s"/></w:pPr>`, align)
	for _, r := range runs {
		b.WriteString(r.xml())
	}
	b.WriteString(`</w:p>`)
	return b.String()
}

func txt(s string) run  { return run{text: s} }
func bold(s string) run { return run{text: s, bold: true} }

// table writes rows; widths in twentieths of a point; borders or not.
func table(widths []int, borders bool, rows [][]string, headerRows int, aligns []string) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>`)
	if borders {
		b.WriteString(`<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders>`)
	}
	b.WriteString(`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	for i, row := range rows {
		b.WriteString(`<w:tr>`)
		if i < headerRows {
			b.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
		}
		for j, cellText := range row {
			fmt.Fprintf(&b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, widths[j])
			align := "left"
			if j < len(aligns) {
				align = aligns[j]
			}
			for _, line := range strings.Split(cellText, "\n") {
				r := run{text: line, size: 24}
				if i < headerRows {
					r.bold = true
					align = "center"
				}
				b.WriteString(para(align, r))
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	return b.String()
}

// cellParas is a header cell: several paragraphs centred.
func headerBlock(left, right []run) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="9600" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="3800"/><w:gridCol w:w="5800"/></w:tblGrid><w:tr>`)
	for i, col := range [][]run{left, right} {
		fmt.Fprintf(&b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, []int{3800, 5800}[i])
		for _, r := range col {
			b.WriteString(para("center", r))
		}
		b.WriteString(`</w:tc>`)
	}
	b.WriteString(`</w:tr></w:tbl>`)
	return b.String()
}

func documentXML(d *dashboard.Dossier, doc ReviewDoc) string {
	var body strings.Builder
	number := doc.Number
	if number == "" {
		number = "……/BC"
		if a := IssuerAbbrev(d.Plan.Code); a != "" {
			number += "-" + a
		}
	}
	place := doc.Place
	if place == "" {
		place = d.PlanPlace
	}
	if place == "" {
		place = "……"
	}
	left := []run{}
	if doc.Parent != "" {
		left = append(left, txt(strings.ToUpper(doc.Parent)))
	}
	left = append(left, run{text: strings.ToUpper(d.Issuer.Name), bold: true}, txt("*"), txt("Số: "+number))
	right := []run{
		bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
		run{text: "Độc lập - Tự do - Hạnh phúc", bold: true, underline: true},
		txt(""),
		run{text: fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", place, doc.Date.Day(), int(doc.Date.Month()), doc.Date.Year()), italic: true},
	}
	body.WriteString(headerBlock(left, right))

	planName := "Kế hoạch"
	if d.Plan.Code != "" {
		planName += " số " + d.Plan.Code
	}
	title, scope := reviewTitle(d)
	body.WriteString(para("center", txt("")))
	body.WriteString(para("center", run{text: "BÁO CÁO", bold: true, size: 28}))
	body.WriteString(para("center", bold(title+" "+planName)))
	body.WriteString(para("center", bold(d.Plan.Title)))
	body.WriteString(para("center", txt("-----")))

	c := d.Completeness
	body.WriteString(para("both", txt(fmt.Sprintf("Thực hiện %s, %s báo cáo %s như sau:", planName, d.Issuer.Name, scope))))
	body.WriteString(para("both", bold("I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ")))
	body.WriteString(para("both", txt(fmt.Sprintf("Số báo cáo phải nộp: %d; đã nộp: %d (đạt %s%%); nộp đúng hạn: %d (đạt %s%%).",
		c.Expected, c.Received, FormatNumber(100*c.Completeness, 1), c.OnTime, FormatNumber(100*c.Timeliness, 1)))))

	body.WriteString(para("both", bold("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")))
	rows := [][]string{{"TT", "Chỉ tiêu", "Mục tiêu", "Thực hiện", "Tiến độ", "Đánh giá"}}
	for i, t := range d.Targets {
		dec := 0
		if t.Measure == "percent" {
			dec = 2
		}
		num := func(v *float64) string {
			if v == nil {
				return "—"
			}
			s := FormatNumber(*v, dec)
			if t.Measure == "percent" {
				s += "%"
			} else if t.Unit != "" {
				s += " " + t.Unit
			}
			return s
		}
		goal := num(t.Target)
		switch t.Direction {
		case "at_most":
			goal = "dưới " + goal
		case "at_least":
			if t.Target != nil {
				goal = "ít nhất " + goal
			}
		}
		actual := num(t.Actual)
		if t.Numerator != nil && t.Denominator != nil {
			actual += fmt.Sprintf("\n(%s/%s)", FormatNumber(*t.Numerator, 0), FormatNumber(*t.Denominator, 0))
		}
		// A target no unit gave a figure for has no data, which is not 0%.
		prog := FormatNumber(100*t.Progress, 1) + "%"
		if t.Status == progress.NoData {
			actual, prog = "Không có số liệu", "—"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), t.Text, goal, actual, prog, statusLabel[string(t.Status)]})
	}
	body.WriteString(table([]int{600, 3600, 1500, 1600, 1000, 1300}, true, rows, 1, []string{"center", "left", "right", "right", "right", "left"}))

	// The units past due that have not reported, then those that
	// reported after the due date: both are what a review asks about.
	var lateSubmitters []dashboard.UnitStanding
	for _, u := range d.Units {
		if (u.Status == "submitted" || u.Status == "accepted") && u.DaysLate > 0 && u.SubmittedAt != nil {
			lateSubmitters = append(lateSubmitters, u)
		}
	}
	body.WriteString(para("both", bold("III. CÁC ĐƠN VỊ CHƯA NỘP, NỘP CHẬM BÁO CÁO")))
	body.WriteString(para("both", bold("1. Các đơn vị chưa nộp báo cáo")))
	if len(d.Late) == 0 {
		body.WriteString(para("both", txt("Không có đơn vị nào quá hạn chưa nộp báo cáo.")))
	} else {
		late := [][]string{{"TT", "Đơn vị", "Hạn nộp", "Số ngày trễ"}}
		for i, u := range d.Late {
			late = append(late, []string{strconv.Itoa(i + 1), u.Unit.Name, dueDate(u.DueOn), strconv.Itoa(u.DaysLate)})
		}
		body.WriteString(table([]int{600, 5000, 1800, 1800}, true, late, 1, []string{"center", "left", "center", "right"}))
	}
	body.WriteString(para("both", bold("2. Các đơn vị nộp báo cáo chậm")))
	if len(lateSubmitters) == 0 {
		body.WriteString(para("both", txt("Không có đơn vị nào nộp báo cáo chậm.")))
	} else {
		late := [][]string{{"TT", "Đơn vị", "Hạn nộp", "Ngày nộp", "Số ngày chậm"}}
		for i, u := range lateSubmitters {
			late = append(late, []string{strconv.Itoa(i + 1), u.Unit.Name, dueDate(u.DueOn),
				calendar.InVietnam(*u.SubmittedAt).Time().Format("02/01/2006"), strconv.Itoa(u.DaysLate)})
		}
		body.WriteString(table([]int{600, 4000, 1500, 1500, 1600}, true, late, 1, []string{"center", "left", "center", "center", "right"}))
	}
	body.WriteString(para("both", bold("IV. ĐÁNH GIÁ CHUNG VÀ PHƯƠNG HƯỚNG")))
	on := 0
	for _, t := range d.Targets {
		if t.Status == "on_track" {
			on++
		}
	}
	summary := fmt.Sprintf("Có %d/%d chỉ tiêu đạt tiến độ đề ra.", on, len(d.Targets))
	if len(d.Late) > 0 {
		summary += fmt.Sprintf(" Đề nghị các đơn vị chưa nộp báo cáo khẩn trương hoàn thành và gửi về %s.", d.Issuer.Name)
	}
	body.WriteString(para("both", txt(summary)))
	body.WriteString(para("left", txt("")))

	sign := []run{}
	sign = append(sign, bold("TM. "+strings.ToUpper(d.Issuer.Name)), bold("CHỦ TỊCH"), txt(""), txt(""), txt(""))
	recv := []run{{text: "Nơi nhận:", bold: true, italic: true, size: 24}, {text: "- Như trên;", size: 22}, {text: "- Lưu: VT.", size: 22}}
	body.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="9600" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="4800"/><w:gridCol w:w="4800"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="4800" w:type="dxa"/></w:tcPr>`)
	for _, r := range recv {
		body.WriteString(para("left", r))
	}
	body.WriteString(`</w:tc><w:tc><w:tcPr><w:tcW w:w="4800" w:type="dxa"/></w:tcPr>`)
	for _, r := range sign {
		body.WriteString(para("center", r))
	}
	body.WriteString(`</w:tc></w:tr></w:tbl>`)

	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>`
}

// reviewTitle is the line under "BÁO CÁO" (before the plan's name) and what
// the opening sentence says is reported, by the cycle's kind: an annual
// report is "kết quả thực hiện năm 2026", a mid-term one a sơ kết, the
// final one a tổng kết of the term.
func reviewTitle(d *dashboard.Dossier) (title, scope string) {
	term := fmt.Sprintf("%d–%d", d.Plan.TermStartYear, d.Plan.TermEndYear)
	switch d.Cycle.Kind {
	case "final":
		return fmt.Sprintf("TỔNG KẾT nhiệm kỳ %s thực hiện", term), fmt.Sprintf("kết quả tổng kết nhiệm kỳ %s", term)
	case "midterm":
		return fmt.Sprintf("SƠ KẾT giữa nhiệm kỳ (năm %d) thực hiện", d.Cycle.Year),
			fmt.Sprintf("kết quả sơ kết giữa nhiệm kỳ giai đoạn %d–%d", d.Plan.TermStartYear, d.Cycle.Year)
	case "semiannual":
		return fmt.Sprintf("Kết quả thực hiện 6 tháng đầu năm %d", d.Cycle.Year), fmt.Sprintf("kết quả thực hiện 6 tháng đầu năm %d", d.Cycle.Year)
	}
	return fmt.Sprintf("Kết quả thực hiện năm %d", d.Cycle.Year), fmt.Sprintf("kết quả thực hiện năm %d", d.Cycle.Year)
}

// IssuerAbbrev is the issuing body's abbreviation in a document code: the
// part after the kind of document, "BTV" in "321/KH-BTV", "HLHPN-BTG" in
// "15/KH-HLHPN-BTG"; empty when the code has no such part.
func IssuerAbbrev(code string) string {
	_, kindAndIssuer, ok := strings.Cut(strings.TrimSpace(code), "/")
	if !ok {
		return ""
	}
	_, issuer, _ := strings.Cut(kindAndIssuer, "-")
	return strings.TrimSpace(issuer)
}

// dueDate writes an ISO date as dd/mm/yyyy, empty when absent.
func dueDate(iso *string) string {
	if iso == nil {
		return ""
	}
	t, err := time.Parse(time.DateOnly, *iso)
	if err != nil {
		return ""
	}
	return t.Format("02/01/2006")
}
