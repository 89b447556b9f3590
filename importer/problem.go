package importer

import (
	"errors"
	"fmt"

	"cascade/vntext"
)

// Problem says in Vietnamese and English why a document could not be
// read, for the person who sent it; code names the kind: a limit's name
// (text_chars, table_columns, …), unreadable, timeout or unavailable (a
// document tool missing on the server). ok is false for an error that is
// not the document's (a database down).
func Problem(err error) (code, vi, en string, ok bool) {
	var le *LimitError
	switch {
	case errors.As(err, &le):
		what, whatEn := limitNames[le.Limit][0], limitNames[le.Limit][1]
		if what == "" {
			what, whatEn = le.Limit, le.Limit
		}
		return le.Limit, fmt.Sprintf("Văn bản vượt giới hạn: %s (tối đa %s)", what, vntext.FormatNumber(float64(le.Max))),
			fmt.Sprintf("the document exceeds a limit: %s (at most %d)", whatEn, le.Max), true
	case errors.Is(err, ErrTimeout):
		return "timeout", "Đọc văn bản quá lâu, đã dừng; hãy thử tệp nhỏ hơn hoặc rõ hơn",
			"reading the document took too long and was stopped; try a smaller or clearer file", true
	case errors.Is(err, ErrToolMissing):
		return "unavailable", "Máy chủ chưa cài công cụ đọc loại tệp này (LibreOffice, Poppler hoặc Tesseract)",
			"the server lacks the tool for this kind of file (LibreOffice, Poppler or Tesseract)", true
	case errors.Is(err, ErrUnreadable):
		return "unreadable", "Tệp hỏng hoặc không phải văn bản đọc được (.docx, .doc, .odt, .rtf, .pdf, ảnh quét, .txt)",
			"the file is damaged or not a readable document (.docx, .doc, .odt, .rtf, .pdf, a scan, .txt)", true
	}
	return "", "", "", false
}

var limitNames = map[string][2]string{
	"text_chars":    {"số ký tự của văn bản", "characters of text"},
	"expansion":     {"số ký tự giải nén từ tệp", "characters the file expands to"},
	"table_columns": {"số cột của một bảng", "columns of a table"},
	"pages":         {"số trang", "pages"},
	"image_pixels":  {"kích thước ảnh (điểm ảnh)", "pixels of an image"},
	"tool_output":   {"dữ liệu công cụ chuyển đổi trả về", "output of a conversion tool"},
	"unzipped":      {"số byte giải nén từ tệp", "bytes the file decompresses to"},
	"zip_entries":   {"số tệp nén bên trong", "files zipped inside"},
}
