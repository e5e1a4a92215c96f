package notifications

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"qianfa/calendar"
)

const baseURL = "https://qianfa.example.gov.cn"

var (
	zhang  = Recipient{1, "zhangsan@haiyan.gov.cn", "张三"} // drafter
	li     = Recipient{2, "lisi@haiyan.gov.cn", "李四"}     // reviewer
	wang   = Recipient{3, "wangwu@haiyan.gov.cn", "王五"}   // leader
	zhao   = Recipient{4, "zhaoliu@haiyan.gov.cn", "赵六"}  // publisher
	qian   = Recipient{5, "qianqi@haiyan.gov.cn", "钱七"}   // supervisor
	sun    = Recipient{6, "sunba@haiyan.gov.cn", "孙八"}    // leader of 财政局
	zhou   = Recipient{7, "zhoujiu@haiyan.gov.cn", "周九"}  // leader holding a step
	wu     = Recipient{8, "wushi@haiyan.gov.cn", "吴十"}    // leader
	zheng  = Recipient{9, "zhengyi@haiyan.gov.cn", "郑一"}  // drafter at the office
	noMail = Recipient{10, "", "无邮箱"}
)

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at is an Asia/Shanghai wall-clock time "2006-01-02 15:04".
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Location())
	if err != nil {
		panic(err)
	}
	return t
}

func agencyReport(id int64, agency string, year int, state string) ReportStatus {
	return ReportStatus{ID: id, Title: fmt.Sprintf("%s%d年度政府信息公开工作年度报告", agency, year),
		AgencyName: agency, OfficeName: "海盐县人民政府办公室", Year: year, Kind: calendar.KindAgency,
		State: state, Supervisors: []Recipient{qian}}
}

// reports2021 are due 2022-01-31, which is Spring Festival.
func reports2021() []ReportStatus {
	r1 := agencyReport(1, "海盐县民政局", 2021, "draft")
	r1.Holders, r1.Leaders = []Recipient{zhang, noMail}, []Recipient{wang}
	r2 := agencyReport(2, "海盐县财政局", 2021, "in_review")
	r2.Holders, r2.Leaders, r2.LastActivity = []Recipient{li}, []Recipient{sun}, at("2022-01-20 15:00")
	r3 := agencyReport(3, "海盐县教育局", 2021, "in_approval")
	r3.StepName, r3.Holders, r3.Leaders = "主要负责人签发", []Recipient{zhou}, []Recipient{zhou, wu}
	r4 := agencyReport(4, "海盐县人民政府", 2021, "draft")
	r4.Kind, r4.Holders = calendar.KindGovernment, []Recipient{zheng}
	r5 := agencyReport(5, "海盐县卫生健康局", 2021, "published")
	r5.Holders, r5.Leaders = []Recipient{zhang}, []Recipient{wang}
	r6 := agencyReport(0, "海盐县水利局", 2021, "")
	r6.Title = ""
	return []ReportStatus{r1, r2, r3, r4, r5, r6}
}

// reports2025 are due 2026-01-31, a Saturday; 13 has the region's internal date.
func reports2025() []ReportStatus {
	r11 := agencyReport(11, "海盐县民政局", 2025, "draft")
	r11.Holders, r11.Leaders = []Recipient{zhang}, []Recipient{wang}
	r12 := agencyReport(12, "海盐县财政局", 2025, "approved")
	r12.Holders, r12.Leaders, r12.LastActivity = []Recipient{zhao}, []Recipient{wang}, at("2026-01-26 11:00")
	r13 := agencyReport(13, "海盐县教育局", 2025, "in_approval")
	r13.StepName, r13.Holders, r13.Leaders = "分管领导审核", []Recipient{zhou}, []Recipient{zhou, wu}
	r13.Deadline = date("2026-01-26")
	return []ReportStatus{r11, r12, r13}
}

// brief is one notification as "report>user kind left".
func brief(ns []Notification) string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%d>%d %s %d", n.ReportID, n.Recipient.UserID, n.Kind, n.WorkingDaysLeft))
	}
	return strings.Join(out, ", ")
}

func find(t *testing.T, ns []Notification, key string) Notification {
	t.Helper()
	for _, n := range ns {
		if n.DedupeKey == key {
			return n
		}
	}
	t.Fatalf("no notification %s in %s", key, brief(ns))
	return Notification{}
}
