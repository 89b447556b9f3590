package org

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// MaxUnitsCSVBytes bounds an imported units file; a province has a few
// thousand units, far below it.
const MaxUnitsCSVBytes = 8 << 20

// MaxLineErrors bounds the errors listed for one file: enough to fix a file
// by, and what a file of garbage costs stays small.
const MaxLineErrors = 200

// UnitRow is one unit of a units CSV file. The tree is written with codes
// rather than IDs so that a file can be made by hand and move between
// installations.
type UnitRow struct {
	// Line is the row's line number in the parsed file; ignored on write.
	Line      int
	Code      string
	Name      string
	ShortName string
	Kind      Kind
	// ParentCode is the code of the parent unit, in the same file or already
	// in the tree; "" makes the unit a root.
	ParentCode string
	Email      string
}

// unitColumn is one column of a units file.
type unitColumn struct {
	field    string // FieldError.Field and the English header
	header   string // the Vietnamese header, written on export
	required bool
}

// Positions in unitColumns, which is also the column order on export.
const (
	colCode = iota
	colName
	colShortName
	colKind
	colParentCode
	colEmail
)

var unitColumns = []unitColumn{
	{"code", "Mã đơn vị", true},
	{"name", "Tên đơn vị", true},
	{"short_name", "Tên viết tắt", false},
	{"kind", "Loại", true},
	{"parent_code", "Mã đơn vị cấp trên", false},
	{"email", "Email", false},
}

// ignoredColumns are columns people add to a spreadsheet that carry no unit
// data: the row number (STT) and notes.
var ignoredColumns = []string{fold("STT"), fold("Ghi chú"), fold("note"), fold("notes")}

// ExistingUnit reports whether a unit with this code is already in the tree.
type ExistingUnit func(code string) bool

// ParseUnitsCSV reads a units file and validates all of it: either every row
// is valid and the rows come back with a nil error, or no rows come back and
// the error is LineErrors listing every problem with its line (or an I/O
// error from r). One bad row rejects the whole file. Past MaxLineErrors the
// list is cut short and ends with a note on line 0.
//
// The file may be UTF-8 (with or without the BOM Excel writes) or, failing
// that, Windows-1258, the code page Excel uses for "CSV" on Vietnamese
// Windows. The delimiter is ';' or ',', whichever the header uses more. The
// header names the columns in any order, in Vietnamese or English:
// "Mã đơn vị"/code, "Tên đơn vị"/name, "Tên viết tắt"/short_name,
// "Loại"/kind, "Mã đơn vị cấp trên"/parent_code, "Email"/email; case and
// diacritics in headers are ignored, code, name and kind are required, "STT"
// and "Ghi chú" columns are ignored and any other column is an error. Kinds are read with ParseKind. Text is
// NFC-normalised and trimmed; blank rows are skipped.
//
// Import only creates units: a code already in the tree (exists reports it;
// nil means an empty tree) or twice in the file is an error. A parent may be
// defined before or after its children in the file or already exist; parents
// forming a cycle are an error. The rows are returned parents first, in file
// order otherwise, so the store can insert them one by one.
func ParseUnitsCSV(r io.Reader, exists ExistingUnit) ([]UnitRow, error) {
	if exists == nil {
		exists = func(string) bool { return false }
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxUnitsCSVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read units file: %w", err)
	}
	if len(data) > MaxUnitsCSVBytes {
		return nil, LineErrors{{0, FieldError{"",
			fmt.Sprintf("Tệp quá lớn (tối đa %d MB).", MaxUnitsCSVBytes>>20),
			fmt.Sprintf("The file is too large (at most %d MB).", MaxUnitsCSVBytes>>20)}}}
	}
	rows, errs := parseUnitRows(decodeText(data), exists)
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b LineError) int { return a.Line - b.Line })
		if len(errs) >= MaxLineErrors {
			errs = append(errs[:MaxLineErrors], LineError{0, FieldError{"",
				fmt.Sprintf("Tệp có quá nhiều lỗi; chỉ liệt kê %d lỗi.", MaxLineErrors),
				fmt.Sprintf("The file has too many errors; only %d are listed.", MaxLineErrors)}})
		}
		return nil, errs
	}
	return parentsFirst(rows), nil
}

// decodeText returns data as NFC UTF-8 without a BOM.
func decodeText(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		// Every byte decodes in Windows-1258, so this cannot fail.
		data, _ = charmap.Windows1258.NewDecoder().Bytes(data)
	}
	return norm.NFC.String(string(data))
}

func parseUnitRows(text string, exists ExistingUnit) ([]UnitRow, LineErrors) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = detectDelimiter(text)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, LineErrors{{1, FieldError{"", "Tệp trống: thiếu dòng tiêu đề.", "The file is empty: the header line is missing."}}}
	}
	if err != nil {
		return nil, LineErrors{csvSyntaxError(err)}
	}
	cols, errs := mapUnitHeader(header)
	if len(errs) > 0 {
		return nil, errs
	}

	var rows []UnitRow
	lineOfCode := make(map[string]int)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// The reader cannot be trusted past a quoting error.
			errs = append(errs, csvSyntaxError(err))
			break
		}
		line, _ := cr.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		row, rowErrs := readUnitRow(rec, cols, line)
		errs = append(errs, rowErrs...)
		if len(errs) >= MaxLineErrors {
			// Parents cannot be checked on part of the file.
			return nil, errs
		}
		if row.Code != "" {
			if first, dup := lineOfCode[row.Code]; dup {
				errs = append(errs, LineError{line, FieldError{"code",
					fmt.Sprintf("Mã đơn vị %q trùng với dòng %d.", row.Code, first),
					fmt.Sprintf("Unit code %q is already used on line %d.", row.Code, first)}})
			} else {
				lineOfCode[row.Code] = line
				if exists(row.Code) {
					errs = append(errs, LineError{line, FieldError{"code",
						fmt.Sprintf("Mã đơn vị %q đã có trong hệ thống.", row.Code),
						fmt.Sprintf("Unit code %q already exists.", row.Code)}})
				}
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(errs) == 0 {
		errs = append(errs, LineError{2, FieldError{"", "Tệp không có đơn vị nào.", "The file has no units."}})
	}
	errs = append(errs, checkParents(rows, lineOfCode, exists, MaxLineErrors-len(errs))...)
	return rows, errs
}

// detectDelimiter picks ';' when the first line has more of them than commas:
// Excel writes ';' where the list separator is ';', as with a Vietnamese
// locale whose decimal separator is ','.
func detectDelimiter(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		return ';'
	}
	return ','
}

// mapUnitHeader returns, for each record position, the index into
// unitColumns of the column there, or -1 for an ignored column.
func mapUnitHeader(header []string) ([]int, LineErrors) {
	var errs LineErrors
	cols := make([]int, len(header))
	seen := make(map[int]bool)
	for i, h := range header {
		key := fold(h)
		cols[i] = slices.IndexFunc(unitColumns, func(c unitColumn) bool {
			return key == fold(c.field) || key == fold(c.header)
		})
		switch {
		case cols[i] >= 0 && seen[cols[i]]:
			errs = append(errs, LineError{1, FieldError{"",
				fmt.Sprintf("Cột %q xuất hiện hai lần.", h),
				fmt.Sprintf("Column %q appears twice.", h)}})
		case cols[i] >= 0:
			seen[cols[i]] = true
		case key == "" || slices.Contains(ignoredColumns, key):
		default:
			errs = append(errs, LineError{1, FieldError{"",
				fmt.Sprintf("Cột %q không được hỗ trợ; các cột hợp lệ: %s.", h, unitHeaders(func(c unitColumn) string { return c.header })),
				fmt.Sprintf("Column %q is not supported; the columns are: %s.", h, unitHeaders(func(c unitColumn) string { return c.field }))}})
		}
	}
	for i, c := range unitColumns {
		if c.required && !seen[i] {
			errs = append(errs, LineError{1, FieldError{c.field,
				fmt.Sprintf("Thiếu cột bắt buộc %q.", c.header),
				fmt.Sprintf("The required column %q (%s) is missing.", c.header, c.field)}})
		}
	}
	return cols, errs
}

func unitHeaders(name func(unitColumn) string) string {
	names := make([]string, len(unitColumns))
	for i, c := range unitColumns {
		names[i] = name(c)
	}
	return strings.Join(names, ", ")
}

func readUnitRow(rec []string, cols []int, line int) (UnitRow, LineErrors) {
	var errs LineErrors
	vals := make([]string, len(unitColumns))
	for i, v := range rec {
		if i < len(cols) {
			if cols[i] >= 0 {
				vals[cols[i]] = v
			}
		} else if strings.TrimSpace(v) != "" {
			errs = append(errs, LineError{line, FieldError{"",
				fmt.Sprintf("Dòng có nhiều cột hơn tiêu đề (%d > %d).", len(rec), len(cols)),
				fmt.Sprintf("The row has more columns than the header (%d > %d).", len(rec), len(cols))}})
			break
		}
	}
	u := Unit{Code: vals[colCode], Name: vals[colName], ShortName: vals[colShortName], Kind: Kind(vals[colKind]), Email: vals[colEmail]}
	u.Normalize()
	if k, ok := ParseKind(string(u.Kind)); ok {
		u.Kind = k
	}
	if err := u.Validate(); err != nil {
		for _, fe := range err.(ValidationErrors) {
			errs = append(errs, LineError{line, fe})
		}
	}
	return UnitRow{
		Line:       line,
		Code:       u.Code,
		Name:       u.Name,
		ShortName:  u.ShortName,
		Kind:       u.Kind,
		ParentCode: cleanText(vals[colParentCode]),
		Email:      u.Email,
	}, errs
}

// checkParents reports parents that exist nowhere and parents that form a
// cycle within the file (units already in the tree cannot have a parent in
// the file, so a cycle can only run through the file). It stops once it has
// found limit errors.
func checkParents(rows []UnitRow, lineOfCode map[string]int, exists ExistingUnit, limit int) LineErrors {
	var errs LineErrors
	rowOfCode := make(map[string]int, len(rows))
	for i, r := range rows {
		if _, seen := rowOfCode[r.Code]; !seen && r.Code != "" {
			rowOfCode[r.Code] = i
		}
	}
	for _, r := range rows {
		if len(errs) >= limit {
			return errs
		}
		if r.ParentCode == "" {
			continue
		}
		if _, inFile := lineOfCode[r.ParentCode]; !inFile && !exists(r.ParentCode) {
			errs = append(errs, LineError{r.Line, FieldError{"parent_code",
				fmt.Sprintf("Không tìm thấy đơn vị cấp trên %q trong tệp hay trong hệ thống.", r.ParentCode),
				fmt.Sprintf("Parent unit %q is neither in the file nor in the system.", r.ParentCode)}})
		}
	}

	// Each row has at most one parent in the file, so following parents from
	// any row either leaves the file or runs into a cycle.
	const (
		unvisited = iota
		onWalk
		done
	)
	state := make([]int, len(rows))
	for start := range rows {
		if len(errs) >= limit {
			return errs
		}
		var walk []int
		i, ok := start, true
		for ok && state[i] == unvisited {
			state[i] = onWalk
			walk = append(walk, i)
			i, ok = rowOfCode[rows[i].ParentCode]
		}
		if ok && state[i] == onWalk {
			cycle := walk[slices.Index(walk, i):]
			chain := cycleChain(rows, cycle)
			for _, j := range cycle {
				errs = append(errs, LineError{rows[j].Line, FieldError{"parent_code",
					"Đơn vị cấp trên tạo thành vòng lặp: " + chain + ".",
					"Parent units form a cycle: " + chain + "."}})
			}
		}
		for _, j := range walk {
			state[j] = done
		}
	}
	return errs
}

// cycleChain shows a cycle of parents as "A → B → A", shortened in the middle
// when long so that each row's message stays small.
func cycleChain(rows []UnitRow, cycle []int) string {
	const show = 5
	var codes []string
	for k, j := range cycle {
		if k == show && len(cycle) > show+1 {
			codes = append(codes, fmt.Sprintf("… (%d)", len(cycle)-show))
			break
		}
		codes = append(codes, rows[j].Code)
	}
	codes = append(codes, rows[cycle[0]].Code)
	return strings.Join(codes, " → ")
}

// parentsFirst orders valid rows so that each parent in the file comes before
// its children, keeping file order otherwise.
func parentsFirst(rows []UnitRow) []UnitRow {
	rowOfCode := make(map[string]int, len(rows))
	for i, r := range rows {
		rowOfCode[r.Code] = i
	}
	out := make([]UnitRow, 0, len(rows))
	placed := make([]bool, len(rows))
	var place func(i int)
	place = func(i int) {
		if placed[i] {
			return
		}
		placed[i] = true
		if p, ok := rowOfCode[rows[i].ParentCode]; ok {
			place(p)
		}
		out = append(out, rows[i])
	}
	for i := range rows {
		place(i)
	}
	return out
}

func blankRecord(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func csvSyntaxError(err error) LineError {
	line := 0
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.StartLine
	}
	return LineError{line, FieldError{"",
		"Tệp CSV sai cú pháp (kiểm tra dấu ngoặc kép): " + err.Error(),
		"The CSV file is malformed (check the double quotes): " + err.Error()}}
}

// WriteUnitsCSV writes rows as a units file that ParseUnitsCSV reads back:
// UTF-8 with a BOM so that Excel shows the Vietnamese text, the Vietnamese
// headers, kinds as Vietnamese labels, ',' as delimiter and CRLF line ends.
func WriteUnitsCSV(w io.Writer, rows []UnitRow) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write units file: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := make([]string, len(unitColumns))
	for i, c := range unitColumns {
		header[i] = c.header
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write units file: %w", err)
	}
	for _, r := range rows {
		kind := r.Kind.Label()
		if kind == "" {
			kind = string(r.Kind)
		}
		// In unitColumns order.
		if err := cw.Write([]string{r.Code, r.Name, r.ShortName, kind, r.ParentCode, r.Email}); err != nil {
			return fmt.Errorf("write units file: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write units file: %w", err)
	}
	return nil
}
