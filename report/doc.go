// Package report holds the interchange document qianfa.report/1: the Go
// types for both format editions (2019: 国办公开办函〔2019〕60号, 2021:
// 国办公开办函〔2021〕30号), strict decoding with path-named problems,
// canonical encoding, the edition layouts with the official labels
// (format.md §2), cell paths and the diff of two documents.
//
// Cells are stored in fixed slices indexed by their layout position, so that
// the consistency checks read them without string lookups.
package report
