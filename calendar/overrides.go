package calendar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// OverrideFile is the file an admin edits when the State Council publishes a notice
// that lunar-go does not have yet, as YAML or JSON:
//
//	overrides:
//	  - {date: 2028-01-29, work: true, name: 春节调休}
//	  - {date: 2028-02-01, work: false, name: 春节}
type OverrideFile struct {
	Overrides []Override `json:"overrides" yaml:"overrides"`
}

// LoadOverrides reads an override file; ".json" is JSON, anything else YAML.
func LoadOverrides(path string) ([]Override, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("calendar: read overrides: %w", err)
	}
	var f OverrideFile
	if strings.EqualFold(filepath.Ext(path), ".json") {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		err = dec.Decode(&f)
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		err = dec.Decode(&f)
	}
	if err != nil {
		return nil, fmt.Errorf("calendar: decode overrides %s: %w", path, err)
	}
	return f.Overrides, ValidateOverrides(f.Overrides)
}

// ValidateOverrides rejects a missing date and a date listed twice, which in a
// hand-edited file is a typo rather than an intended replacement.
func ValidateOverrides(overrides []Override) error {
	seen := make(map[Date]bool, len(overrides))
	for i, o := range overrides {
		if o.Date.IsZero() {
			return fmt.Errorf("calendar: override %d: date missing", i+1)
		}
		if seen[o.Date] {
			return fmt.Errorf("calendar: override %d: %s listed twice", i+1, o.Date)
		}
		seen[o.Date] = true
	}
	return nil
}

func sortOverrides(list []Override) {
	sort.Slice(list, func(i, j int) bool { return list[i].Date.Before(list[j].Date) })
}
