package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in Unicode NFC, the form Cascade stores text in.
// Vietnamese text typed on different keyboards (VNI, Telex, Windows, macOS) mixes
// precomposed and combining forms; NFC makes equal text compare equal.
// Invalid UTF-8 is replaced by U+FFFD so the result is always valid.
func Normalize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return norm.NFC.String(s)
}

// SearchKey folds s for diacritic-insensitive search: lower case, every
// diacritic removed, đ/Đ mapped to d, and runs of white space folded to one
// space with none at either end. SearchKey("Kế hoạch") == SearchKey("ke hoach").
func SearchKey(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	var it norm.Iter
	it.InitString(norm.NFD, s)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			switch {
			case unicode.Is(unicode.Mn, r):
				continue
			case unicode.IsSpace(r):
				space = b.Len() > 0
				continue
			case r == 'đ' || r == 'Đ':
				r = 'd'
			default:
				r = unicode.ToLower(r)
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FoldSpace trims s and folds every run of white space inside it to one space.
func FoldSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
