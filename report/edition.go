package report

// Format is the value of the "format" member of every document.
const Format = "qianfa.report/1"

// Edition names the national format a report follows.
type Edition string

// The two editions of the national format (format.md §2).
const (
	Edition2019 Edition = "2019" // 国办公开办函〔2019〕60号, reports for 2019 and 2020
	Edition2021 Edition = "2021" // 国办公开办函〔2021〕30号, reports for 2021 onward
)

// EditionForYear returns the edition a report on year must use (rule ED-R1).
func EditionForYear(year int) Edition {
	if year <= 2020 {
		return Edition2019
	}
	return Edition2021
}

// Valid reports whether e is one of the known editions.
func (e Edition) Valid() bool { return e == Edition2019 || e == Edition2021 }

// Levels lists the agency levels of interchange.md, in order.
var Levels = []string{
	"provincial_government",
	"provincial_government_office",
	"provincial_department",
	"city_government",
	"city_department",
	"county_government",
	"county_department",
	"district_department",
	"township_government",
}

// ValidLevel reports whether level is one of Levels.
func ValidLevel(level string) bool {
	for _, l := range Levels {
		if l == level {
			return true
		}
	}
	return false
}

// Year bounds accepted by Decode: the first regulation took effect in 2008.
const (
	MinYear = 2008
	MaxYear = 2100
)
