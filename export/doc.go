// Package export writes a report for download in the official layout of
// format.md §2: XLSX (tables 二、三、四, one sheet each, through excelize) and
// DOCX (the whole report, WordprocessingML generated from embedded
// templates), plus a formula-safe CSV writer. Both office formats print the
// same grid of merged cells, built from the edition's layout in report.
package export
