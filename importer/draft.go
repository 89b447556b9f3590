package importer

import "cascade/vntext"

// Draft is what the importer read from a plan document, for a person to check
// before it becomes a Plan.
type Draft struct {
	// Format is the format the document was read as: "txt", "md", "docx",
	// "pdf" (a text layer) or "scan" (OCR).
	Format string `json:"format"`
	// Kind is the document type from its header, e.g. "Kế hoạch".
	Kind string `json:"kind"`
	// Code is the document number, "321/KH-BTV".
	Code string `json:"code"`
	// Place is where it was issued, "Khánh Hòa".
	Place string `json:"place"`
	// IssuedOn is the issue date; null when the header has none.
	IssuedOn *vntext.Date `json:"issued_on"`
	// Issuer is the body that issued the plan, "Ban Thường vụ".
	Issuer string `json:"issuer"`
	// IssuerOrg is the organisation the issuer belongs to, "Hội LHPN tỉnh Khánh Hòa".
	IssuerOrg string `json:"issuer_org"`
	// Title is the subject line under the document type.
	Title string `json:"title"`
	// TermStartYear and TermEndYear bound the term the plan covers (nhiệm kỳ); 0 when unknown.
	TermStartYear int `json:"term_start_year"`
	TermEndYear   int `json:"term_end_year"`
	// Implements lists the codes of the documents this plan implements, "08-CTr/TU".
	Implements []string `json:"implements"`
	// Sections are every part of the document in document order; together
	// they hold every line of Text.
	Sections []Section `json:"sections"`
	// Targets are the quantitative targets (chỉ tiêu) of the objective sections.
	Targets []Target `json:"targets"`
	// TaskGroups are the numbered groups of the content sections with their tasks.
	TaskGroups []TaskGroup `json:"task_groups"`
	// Responsibilities say who builds plans, reports and reviews, and how often.
	Responsibilities []Responsibility `json:"responsibilities"`
	// Recipients is the distribution list (Nơi nhận).
	Recipients []string `json:"recipients"`
	// Signer is the name under the signature block; SignerTitle the office above it.
	Signer      string `json:"signer"`
	SignerTitle string `json:"signer_title"`
	// Notes are observations about the document as a whole, such as repeated numbering.
	Notes []Note `json:"notes"`
	// Uncertain are the words OCR read with low confidence; an item read
	// from one needs review.
	Uncertain []Span `json:"uncertain"`
	// Text is the normalised text (NFC, "\n" line ends) every Span points into.
	Text string `json:"text"`
}

// Span locates a piece of Draft.Text by rune offsets, end exclusive, so a UI
// can highlight where an item was read from.
type Span struct {
	// Start is the offset of the first rune.
	Start int `json:"start"`
	// End is the offset after the last rune.
	End int `json:"end"`
}

// SectionKind classifies a section by the standard parts of a plan.
type SectionKind string

// The section kinds.
const (
	// KindPurpose is "Mục đích, yêu cầu".
	KindPurpose SectionKind = "purpose"
	// KindObjective is "Mục tiêu" (chung, cụ thể) and "Chỉ tiêu".
	KindObjective SectionKind = "objective"
	// KindContent is "Nội dung", "Nhiệm vụ", "Giải pháp".
	KindContent SectionKind = "content"
	// KindOrganisation is "Tổ chức thực hiện".
	KindOrganisation SectionKind = "organisation"
	// KindOther is everything else: header, closing, distribution list.
	KindOther SectionKind = "other"
)

// Section is one heading of the document with the text under it up to the
// next heading. The header before the first heading and the closing part are
// sections with an empty heading.
type Section struct {
	// Kind is the standard part of a plan the section belongs to.
	Kind SectionKind `json:"kind"`
	// Level is the depth of the heading in the outline, 1 for the top.
	Level int `json:"level"`
	// Number is the numbering as written or as Word rendered it: "II.", "2.", "a)".
	Number string `json:"number"`
	// Heading is the heading line as written, without Markdown "#" marks.
	Heading string `json:"heading"`
	// Title is Heading without its number and emphasis marks.
	Title string `json:"title"`
	// Body is the text under the heading, exactly as it is in Draft.Text.
	Body string `json:"body"`
	// Parent is the index of the enclosing section, null at the top.
	Parent *int `json:"parent"`
	// Source spans the heading and the body.
	Source Span `json:"source"`
}

// Measure says how a target is counted.
type Measure string

// The measures.
const (
	// MeasureCount is a number of things: households, enterprises, members.
	MeasureCount Measure = "count"
	// MeasurePercent is a share in percent.
	MeasurePercent Measure = "percent"
)

// Target is one quantitative target (chỉ tiêu).
type Target struct {
	// Text is the clause the target was read from, emphasis marks removed.
	Text string `json:"text"`
	// Value is the number, 2700 for "2.700".
	Value float64 `json:"value"`
	// Unit is "%" for percentages, otherwise the measure noun, e.g. "hộ".
	Unit string `json:"unit"`
	// Direction is at_least ("trên 85%", "ít nhất"), at_most ("dưới 8,5%")
	// or exactly (a plain value).
	Direction vntext.Direction `json:"direction"`
	// Measure is count or percent.
	Measure Measure `json:"measure"`
	// Parent is the index in Draft.Targets of the target this one details
	// ("trong đó…", or a sub-row of a table); null for a top-level target.
	Parent *int `json:"parent"`
	// Baseline is the starting value when the text gives one ("từ 60% lên 80%").
	Baseline *float64 `json:"baseline,omitempty"`
	// UpTo is the top of a range ("bình quân 1,0-1,5%/năm", "từ 5–7%"),
	// whose bottom is Value; nil for a single value.
	UpTo *float64 `json:"up_to,omitempty"`
	// PerUnit is true when every unit must meet the target on its own
	// ("mỗi cơ sở Hội có ít nhất 01 mô hình").
	PerUnit bool `json:"per_unit"`
	// Recurrence is "annual" for a target to meet every year ("hàng năm"),
	// "term_end" for one to reach by the end of the term, "" when unsaid.
	Recurrence string `json:"recurrence"`
	// Source spans the clause in Draft.Text, or the table row.
	Source Span `json:"source"`
	// NeedsReview is true where the reading is uncertain; ReviewNote says why.
	NeedsReview bool   `json:"needs_review"`
	ReviewNote  string `json:"review_note,omitempty"`
}

// TaskGroup is a numbered group of the content section with its tasks.
type TaskGroup struct {
	// Heading is the group's heading line as written, "1. Quán triệt, …".
	Heading string `json:"heading"`
	// Section is the index in Draft.Sections the group was read from.
	Section int `json:"section"`
	// Source spans the group's section.
	Source Span `json:"source"`
	// Tasks are the group's items in document order.
	Tasks []Task `json:"tasks"`
}

// Task is one item (usually a bullet) of a task group.
type Task struct {
	// Text is the item without its bullet, emphasis marks removed.
	Text string `json:"text"`
	// DueOn is the deadline found in the text, null when there is none.
	DueOn *vntext.Date `json:"due_on"`
	// Recurrence is how often the task repeats: annual, semiannual,
	// quarterly, monthly, term_end, midterm, periodic, ongoing; "" if once.
	Recurrence string `json:"recurrence"`
	// Lead is the unit in charge when the document names one (a table column).
	Lead string `json:"lead,omitempty"`
	// Parent is the index in the group's Tasks of the item this one is nested under.
	Parent *int `json:"parent"`
	// Source spans the item in Draft.Text.
	Source Span `json:"source"`
	// NeedsReview is true for a task with neither due date nor recurrence,
	// or with several candidate dates; ReviewNote says why.
	NeedsReview bool   `json:"needs_review"`
	ReviewNote  string `json:"review_note,omitempty"`
}

// Responsibility is one duty the organisation section assigns: a kind of unit
// must build a plan, report, review, and so on, once or on a recurrence.
type Responsibility struct {
	// Text is the item the duty was read from.
	Text string `json:"text"`
	// Unit is the unit as the document names it, "Hội LHPN các huyện, thị, thành phố".
	Unit string `json:"unit"`
	// UnitKind is province, board, district, affiliate, commune or branch; "" if unknown.
	UnitKind string `json:"unit_kind"`
	// Action is build_plan, report, review, monitor, disseminate, implement or other.
	Action string `json:"action"`
	// DueOn is the deadline when the text gives one.
	DueOn *vntext.Date `json:"due_on"`
	// Recurrence is annual, semiannual, quarterly, monthly, midterm, term_end,
	// periodic, or "" for once.
	Recurrence string `json:"recurrence"`
	// WithAnnualReport is true when the report goes with the unit's year-end
	// report ("gắn với báo cáo năm") rather than separately.
	WithAnnualReport bool `json:"with_annual_report"`
	// Source spans the item in Draft.Text.
	Source Span `json:"source"`
	// NeedsReview is true when the unit or the duty was not recognised, or
	// a report has no frequency; ReviewNote says why.
	NeedsReview bool   `json:"needs_review"`
	ReviewNote  string `json:"review_note,omitempty"`
}

// Note is an observation about the document the reader should know, e.g.
// that its numbering repeats.
type Note struct {
	// Message says what was observed.
	Message string `json:"message"`
	// Source spans the part of Draft.Text it is about.
	Source Span `json:"source"`
}
