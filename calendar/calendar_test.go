package calendar

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func d(s string) Date {
	p, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return p
}

func TestIsWorkday(t *testing.T) {
	cal := New()
	tests := []struct {
		date string
		work bool
	}{
		{"2022-01-01", false}, {"2022-01-03", false}, {"2022-01-04", true},
		{"2022-01-28", true}, {"2022-01-29", true}, {"2022-01-30", true}, // 调休 Sat, Sun
		{"2022-01-31", false}, {"2022-02-01", false}, {"2022-02-04", false},
		{"2022-02-05", false}, {"2022-02-06", false}, {"2022-02-07", true},
		{"2022-02-12", false}, // an ordinary Saturday
		{"2026-01-01", false}, {"2026-01-02", false}, {"2026-01-04", true},
		{"2026-01-30", true}, {"2026-01-31", false},
		{"2026-02-13", true}, {"2026-02-14", true}, {"2026-02-15", false},
		{"2026-02-17", false}, {"2026-02-23", false}, {"2026-02-24", true},
		{"2026-02-28", true}, {"2026-03-01", false},
	}
	for _, tt := range tests {
		if got := cal.IsWorkday(d(tt.date)); got != tt.work {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.work)
		}
	}
}

// The 2026 notice: six weekend days are make-up working days, and Spring Festival
// runs from 15 to 23 February.
func TestYear2026(t *testing.T) {
	cal := New()
	var makeUp, festival []string
	for day := d("2026-01-01"); day.Year == 2026; day = day.AddDays(1) {
		info := cal.Describe(day)
		wd := day.Weekday()
		if info.Work && (wd == time.Saturday || wd == time.Sunday) {
			makeUp = append(makeUp, day.String())
		}
		if !info.Work && info.Name == "春节" {
			festival = append(festival, day.String())
		}
	}
	wantMakeUp := []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}
	if !reflect.DeepEqual(makeUp, wantMakeUp) {
		t.Errorf("make-up days = %v, want %v", makeUp, wantMakeUp)
	}
	wantFestival := []string{"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
		"2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"}
	if !reflect.DeepEqual(festival, wantFestival) {
		t.Errorf("春节 = %v, want %v", festival, wantFestival)
	}
	if !cal.HasYear(2027) || cal.HasYear(2031) {
		t.Errorf("HasYear(2027) = %v, HasYear(2031) = %v; want true, false", cal.HasYear(2027), cal.HasYear(2031))
	}
}

func TestWorkdaysLeft(t *testing.T) {
	cal := New()
	tests := []struct {
		today, deadline string
		want            int
	}{
		// 2021 reports: the deadline is Spring Festival, 29–30 Jan are 调休.
		{"2022-01-02", "2022-01-31", 21},
		{"2022-01-04", "2022-01-31", 20},
		{"2022-01-24", "2022-01-31", 6},
		{"2022-01-27", "2022-01-31", 3},
		{"2022-01-28", "2022-01-31", 2},
		{"2022-01-29", "2022-01-31", 1},
		{"2022-01-30", "2022-01-31", 0},
		{"2022-01-31", "2022-01-31", 0},
		{"2022-02-01", "2022-01-31", 0},
		{"2022-02-07", "2022-01-31", -1},
		{"2022-02-10", "2022-01-31", -4},
		// 2025 reports: the deadline is a Saturday, Spring Festival in mid-February.
		{"2026-01-02", "2026-01-31", 21},
		{"2026-01-29", "2026-01-31", 1},
		{"2026-01-30", "2026-01-31", 0},
		{"2026-02-02", "2026-01-31", -1},
		{"2026-02-13", "2026-01-31", -10},
		{"2026-02-14", "2026-01-31", -11},
		{"2026-02-20", "2026-01-31", -11},
		{"2026-02-24", "2026-01-31", -12},
		// a working-day deadline: 0 on the day, 1 the working day before.
		{"2026-03-31", "2026-03-31", 0},
		{"2026-03-30", "2026-03-31", 1},
		{"2026-03-27", "2026-03-31", 2},
	}
	for _, tt := range tests {
		if got := cal.WorkdaysLeft(d(tt.today), d(tt.deadline)); got != tt.want {
			t.Errorf("WorkdaysLeft(%s, %s) = %d, want %d", tt.today, tt.deadline, got, tt.want)
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	cal := New()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2022-01-31", -1, "2022-01-30"},
		{"2022-01-31", -2, "2022-01-29"},
		{"2022-01-31", -3, "2022-01-28"},
		{"2022-01-28", 1, "2022-01-29"},
		{"2022-01-30", 1, "2022-02-07"},
		{"2026-02-13", 1, "2026-02-14"},
		{"2026-02-14", 1, "2026-02-24"},
		{"2026-02-24", -1, "2026-02-14"},
		{"2026-02-14", 0, "2026-02-14"},
	}
	for _, tt := range tests {
		if got := cal.AddWorkdays(d(tt.from), tt.n).String(); got != tt.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if got := cal.NextWorkday(d("2022-01-30")).String(); got != "2022-02-07" {
		t.Errorf("NextWorkday(2022-01-30) = %s", got)
	}
	if got := cal.LastWorkdayOnOrBefore(d("2026-01-31")).String(); got != "2026-01-30" {
		t.Errorf("LastWorkdayOnOrBefore(2026-01-31) = %s", got)
	}
	// Planning n working days back lands where n working days are left.
	for n := 1; n <= 30; n++ {
		for _, dl := range []string{"2022-01-31", "2026-01-31", "2026-03-31"} {
			if got := cal.WorkdaysLeft(cal.AddWorkdays(cal.LastWorkdayOnOrBefore(d(dl)), -n), d(dl)); got != n {
				t.Errorf("WorkdaysLeft(AddWorkdays(%s, -%d)) = %d", dl, n, got)
			}
		}
	}
}

func TestDeadlineAndTimeline(t *testing.T) {
	if got := Deadline(KindAgency, 2021).String(); got != "2022-01-31" {
		t.Errorf("agency 2021 = %s", got)
	}
	if got := Deadline(KindGovernment, 2025).String(); got != "2026-03-31" {
		t.Errorf("government 2025 = %s", got)
	}
	if got := Deadline("other", 2025); !got.IsZero() {
		t.Errorf("unknown kind = %s", got)
	}
	cal := New()
	md, err := ParseMonthDay("01-26")
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{InternalSubmit: &md, Targets: []StepTarget{{"草稿完成", 8}, {"审核完成", 5}, {"签发完成", 2}, {"报送", 0}}}
	tests := []struct {
		plan Plan
		kind Kind
		year int
		want Timeline
	}{
		{plan, KindAgency, 2021, Timeline{Statutory: d("2022-01-31"), Submit: d("2022-01-26"), Steps: []StepDate{
			{"草稿完成", d("2022-01-14")}, {"审核完成", d("2022-01-19")}, {"签发完成", d("2022-01-24")}, {"报送", d("2022-01-26")}}}},
		{Plan{Targets: []StepTarget{{"签发完成", 2}, {"发布", 0}}}, KindAgency, 2025, Timeline{
			Statutory: d("2026-01-31"), Submit: d("2026-01-31"), Steps: []StepDate{
				{"签发完成", d("2026-01-28")}, {"发布", d("2026-01-30")}}}},
		{plan, KindGovernment, 2025, Timeline{Statutory: d("2026-03-31"), Submit: d("2026-03-31"), Steps: []StepDate{
			{"草稿完成", d("2026-03-19")}, {"审核完成", d("2026-03-24")}, {"签发完成", d("2026-03-27")}, {"报送", d("2026-03-31")}}}},
	}
	for _, tt := range tests {
		if got := cal.Timeline(tt.plan, tt.kind, tt.year); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Timeline(%s, %d) =\n%+v\nwant\n%+v", tt.kind, tt.year, got, tt.want)
		}
	}
}

func TestOverrideFiles(t *testing.T) {
	dir := t.TempDir()
	yamlPath := filepath.Join(dir, "holidays.yaml")
	write(t, yamlPath, "overrides:\n  - {date: 2026-02-14, work: false, name: 春节}\n  - date: 2026-03-02\n    work: false\n    name: 临时休假\n  - {date: 2026-03-07, work: true, name: 调休}\n")
	ov, err := LoadOverrides(yamlPath)
	if err != nil {
		t.Fatal(err)
	}
	want := []Override{{d("2026-02-14"), false, "春节"}, {d("2026-03-02"), false, "临时休假"}, {d("2026-03-07"), true, "调休"}}
	if !reflect.DeepEqual(ov, want) {
		t.Fatalf("LoadOverrides = %+v", ov)
	}
	base := New()
	cal := base.WithOverrides(ov)
	for _, tt := range []struct {
		date       string
		base, over bool
	}{{"2026-02-14", true, false}, {"2026-03-02", true, false}, {"2026-03-07", false, true}, {"2026-03-03", true, true}} {
		if base.IsWorkday(d(tt.date)) != tt.base || cal.IsWorkday(d(tt.date)) != tt.over {
			t.Errorf("%s: base %v override %v, want %v %v", tt.date,
				base.IsWorkday(d(tt.date)), cal.IsWorkday(d(tt.date)), tt.base, tt.over)
		}
	}
	if got := cal.Describe(d("2026-03-02")); got != (Day{d("2026-03-02"), false, "临时休假", "override"}) {
		t.Errorf("Describe = %+v", got)
	}
	if !reflect.DeepEqual(cal.Overrides(), want) || len(base.Overrides()) != 0 {
		t.Errorf("Overrides: %v / %v", cal.Overrides(), base.Overrides())
	}

	jsonPath := filepath.Join(dir, "holidays.json")
	write(t, jsonPath, `{"overrides": [{"date": "2030-10-08", "work": true, "name": "国庆节调休"}]}`)
	if ov, err := LoadOverrides(jsonPath); err != nil || !reflect.DeepEqual(ov, []Override{{d("2030-10-08"), true, "国庆节调休"}}) {
		t.Errorf("json: %+v, %v", ov, err)
	}
	for name, body := range map[string]string{
		"dup.yaml":     "overrides:\n  - {date: 2026-02-14, work: false}\n  - {date: 2026-02-14, work: true}\n",
		"bad.yaml":     "overrides:\n  - {date: 2026-02-30, work: false}\n",
		"unknown.json": `{"overrides": [{"date": "2026-02-14", "off": true}]}`,
		"nodate.yaml":  "overrides:\n  - {work: true}\n",
	} {
		p := filepath.Join(dir, name)
		write(t, p, body)
		if _, err := LoadOverrides(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDates(t *testing.T) {
	if got := Today(time.Date(2022, 1, 30, 16, 30, 0, 0, time.UTC)); got != d("2022-01-31") {
		t.Errorf("Today = %s", got)
	}
	if got := d("2022-01-31").At(9, 0).UTC().Format(time.RFC3339); got != "2022-01-31T01:00:00Z" {
		t.Errorf("At = %s", got)
	}
	if _, err := ParseDate("2022-02-30"); err == nil {
		t.Error("2022-02-30 parsed")
	}
	if got := d("2024-02-28").AddDays(2).String(); got != "2024-03-01" {
		t.Errorf("AddDays = %s", got)
	}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
