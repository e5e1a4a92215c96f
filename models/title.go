package models

import (
	"encoding/json"
	"strings"
)

// TitleOf is the title the reports table keeps beside the content: the string
// "title" at the top level of the JSON document, "" when the content is not
// valid JSON or its title is not a string. A key given twice counts at its first
// occurrence, as the document decoder and both databases' JSON functions read it.
//
// Every save runs it on the whole content (7.6 KB), so it does not decode the
// document: json.Valid scans it (a title before a syntax error is no title,
// as in migration 00004), then the decoder reads the top-level members only as
// far as the title, which comes fifth in the interchange document.
func TitleOf(content string) string {
	if !json.Valid([]byte(content)) {
		return ""
	}
	dec := json.NewDecoder(strings.NewReader(content))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return ""
		}
		if key == "title" {
			// A number out of float64's range is an error here, and no title either.
			tok, _ := dec.Token()
			title, _ := tok.(string)
			return title
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}
