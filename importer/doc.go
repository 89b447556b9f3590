// Package importer reads a plan document (.txt, .md or .docx) into a Draft:
// its header (code, place, date, issuer, term), its sections in document
// order, the quantitative targets of its objectives, the tasks of its content
// groups, who must build plans and report how often, and who receives it.
//
// The importer reads structure, not phrases: Roman and Arabic numbering,
// "a)" items, bullets ("-", "+", "•"), Markdown headings, Word list numbering
// and tables. The words it knows are the genre's own (the section titles of a
// Vietnamese administrative plan, comparison words such as "trên" and
// "dưới", report frequencies such as "hàng năm"), never a particular plan's.
// Numbering is not trusted: sections are kept in document order even when the
// document repeats or skips numbers.
//
// A Draft is a proposal for a person to check: every item carries the span of
// text it was read from and a needs_review flag where the reading is
// uncertain.
package importer
