// Package vntext reads and writes the Vietnamese text conventions found in the
// plans Cascade imports: numbers with a thousands dot and a decimal comma
// ("2.700", "8,5"), percentages with comparison words ("trên 85%", "dưới 8,5%"),
// civil dates ("ngày 08 tháng 6 năm 2021", "30/4/2022", "quý IV năm 2023"),
// Roman numerals used for section numbers, NFC normalisation and
// diacritic-insensitive search keys.
//
// Everything here is plain, deterministic Go: no clock, no I/O, no globals
// that change after init.
package vntext
