package check

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"qianfa/report"
	"qianfa/report/reporttest"
)

// load decodes a fixture of report/testdata.
func load(t testing.TB, name string) *report.Document { return reporttest.Load(t, name) }

// set applies path=value edits; value "" blanks the cell.
func set(t *testing.T, d *report.Document, edits ...string) {
	t.Helper()
	for i := 0; i+1 < len(edits); i += 2 {
		v := report.Blank()
		if edits[i+1] != "" {
			var err error
			if v, err = report.ParseNumber(edits[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Set(edits[i], v); err != nil {
			t.Fatal(err)
		}
	}
}

func n(x string) *json.Number {
	v := json.Number(x)
	return &v
}

func warn(rule, msg string, cells ...string) Finding {
	return Finding{Rule: rule, Severity: Warning, Cells: cells, Message: msg}
}

func fail(rule, msg string, cells ...string) Finding {
	return Finding{Rule: rule, Severity: Error, Cells: cells, Message: msg}
}

func arith(f Finding, expected, actual string) Finding {
	f.Expected, f.Actual = n(expected), n(actual)
	return f
}

// seedH1 is the one finding the seed report gives.
var seedH1 = warn("T2-2019-H1", "表二“行政许可”：处理决定数量(58)恰好等于上一年项目数量(88)+本年增/减(-30)，可能把事项数误填为处理决定数量",
	"t2.art20_5.administrative_licensing.decisions", "t2.art20_5.administrative_licensing.prev_year_items",
	"t2.art20_5.administrative_licensing.change")

func t3col(row, col string) string { return "t3." + row + "." + col }

var t3Cols = []string{"natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"}

func t3Row(row string) []string {
	cells := []string{t3col(row, "total")}
	for _, c := range t3Cols {
		cells = append(cells, t3col(row, c))
	}
	return cells
}

func resultCells(ed report.Edition, col string) []string {
	cells := []string{t3col("r3_7_total", col)}
	for _, r := range report.LayoutFor(ed).Tables[report.T3].Blocks[0].Rows {
		if strings.HasPrefix(r.Key, "r3_") && r.Key != "r3_7_total" {
			cells = append(cells, t3col(r.Key, col))
		}
	}
	return cells
}

func balanceCells(col string) []string {
	return []string{t3col("r1_new_received", col), t3col("r2_carried_over_in", col),
		t3col("r3_7_total", col), t3col("r4_carried_over_out", col)}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		base   string
		mutate func(t *testing.T, d *report.Document) *report.Document
		want   []Finding
	}{
		{"seed", "seed-2020.json", nil, []Finding{seedH1}},
		{"clean 2021", "clean-2021.json", nil, nil},
		{"ED-R1 year of the other edition", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			d.Year = 2020
			return d
		}, []Finding{fail("ED-R1", "2020年度报告应使用2019年版（国办公开办函〔2019〕60号）格式，实际为2021年版（国办公开办函〔2021〕30号）", "edition", "year")}},
		{"ED-R1 unknown edition and NARR-R4", "", func(t *testing.T, _ *report.Document) *report.Document {
			return &report.Document{Edition: "2020", Year: 2022}
		}, []Finding{
			fail("ED-R1", `2022年度报告应使用2021年版（国办公开办函〔2021〕30号）格式，实际版本 "2020" 未知`, "edition", "year"),
			fail("NARR-R4", "“一、总体情况”部分为空（无内容时请写“无。”）", "sections.overview"),
			fail("NARR-R4", "“五、存在的主要问题及改进情况”部分为空（无内容时请写“无。”）", "sections.problems"),
			fail("NARR-R4", "“六、其他需要报告的事项”部分为空（无内容时请写“无。”）", "sections.other"),
		}},
		{"T2-R0 T3-R0 T4-R3 hand-built without tables", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			return &report.Document{Edition: report.Edition2021, Year: 2021, Agency: d.Agency, Sections: d.Sections}
		}, []Finding{
			fail("T2-R0", "表二的栏目与2021年版格式不符", "t2"),
			fail("T3-R0", "表三的行与2021年版格式不符（应为25行）", "t3"),
			fail("T4-R3", "表四有15个空白单元格，无数据请填0", report.New(report.Edition2021, 2021, "", "").Paths()[185:]...),
		}},
		{"T2-R0 T3-R0 edition switched under the tables", "seed-2020.json", func(t *testing.T, d *report.Document) *report.Document {
			d.Edition, d.Year = report.Edition2021, 2021
			return d
		}, []Finding{
			fail("T2-R0", "表二的栏目与2021年版格式不符", "t2"),
			fail("T3-R0", "表三的行与2021年版格式不符（应为25行）", "t3"),
		}},
		{"T2-R1 negative count and money", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_1.normative_documents.repealed", "-1", "t2.art20_8.administrative_fees.amount_wan_yuan", "-0.5")
			return d
		}, []Finding{
			fail("T2-R1", "表二“行政规范性文件”“本年废止件数”不能为负数(-1)", "t2.art20_1.normative_documents.repealed"),
			fail("T2-R1", "表二“行政事业性收费”“本年收费金额（单位：万元）”不能为负数(-0.5)", "t2.art20_8.administrative_fees.amount_wan_yuan"),
		}},
		{"T2-R1 change may be negative", "seed-2020.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_8.administrative_fees.change", "-2")
			return d
		}, []Finding{seedH1}},
		{"T2-R2 blanks skip their equations", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_1.normative_documents.valid", "", "t2.art20_6.administrative_coercion.decisions", "")
			return d
		}, []Finding{fail("T2-R2", "表二有2个空白单元格，无数据请填0",
			"t2.art20_1.normative_documents.valid", "t2.art20_6.administrative_coercion.decisions")}},
		{"T2-2019-R1", "seed-2020.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_1.normative_documents.new_published", "14")
			return d
		}, []Finding{
			arith(fail("T2-2019-R1", "表二“规范性文件”：本年新公开数量(14)不应多于对外公开总数量(13)",
				"t2.art20_1.normative_documents.new_published", "t2.art20_1.normative_documents.total_published"), "14", "13"),
			seedH1,
		}},
		{"T2-2019-R2", "seed-2020.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_5.administrative_licensing.change", "-90")
			return d
		}, []Finding{arith(fail("T2-2019-R2", "表二“行政许可”：上一年项目数量(88)+本年增/减(-90)=-2，本年项目数量不能为负数",
			"t2.art20_5.administrative_licensing.prev_year_items", "t2.art20_5.administrative_licensing.change"), "0", "-2")}},
		{"T2-2019-H1 also for 行政处罚", "seed-2020.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_6.administrative_penalty.change", "2", "t2.art20_6.administrative_penalty.decisions", "3")
			return d
		}, []Finding{seedH1, warn("T2-2019-H1", "表二“行政处罚”：处理决定数量(3)恰好等于上一年项目数量(1)+本年增/减(2)，可能把事项数误填为处理决定数量",
			"t2.art20_6.administrative_penalty.decisions", "t2.art20_6.administrative_penalty.prev_year_items",
			"t2.art20_6.administrative_penalty.change")}},
		{"T2-2021-R1", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_1.normative_documents.valid", "3")
			return d
		}, []Finding{arith(fail("T2-2021-R1", "表二“行政规范性文件”：现行有效件数(3)不应少于本年制发件数(6)−本年废止件数(1)=5",
			"t2.art20_1.normative_documents.valid", "t2.art20_1.normative_documents.made", "t2.art20_1.normative_documents.repealed"), "5", "3")}},
		{"T2-2021-H1", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_8.administrative_fees.amount_wan_yuan", "1000000")
			return d
		}, []Finding{warn("T2-2021-H1", "表二“行政事业性收费”本年收费金额为1000000万元，单位可能误用了元",
			"t2.art20_8.administrative_fees.amount_wan_yuan")}},
		{"T2-2021-H1 below the threshold", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_8.administrative_fees.amount_wan_yuan", "999999.99")
			return d
		}, nil},
		{"T2-LVL error for a county department", "seed-2020.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_1.regulations.new_made", "1")
			return d
		}, []Finding{seedH1, fail("T2-LVL", "表二“规章”行应全为0：县级人民政府及其部门、区级部门和乡镇不能制定规章（现填 1）",
			"t2.art20_1.regulations.new_made")}},
		{"T2-LVL warning for a city department", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t2.art20_1.regulations.made", "1", "t2.art20_1.regulations.valid", "4")
			return d
		}, []Finding{warn("T2-LVL", "表二“规章”行有数据（1、4）：只有省级和设区的市、自治州人民政府能制定规章，请确认",
			"t2.art20_1.regulations.made", "t2.art20_1.regulations.valid")}},
		{"brief: seed r1 total 5", "seed-2020.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t3.r1_new_received.total", "5")
			return d
		}, []Finding{
			seedH1,
			arith(fail("T3-R1", "表三“总计”列：本年新收(5)+上年结转(0)应等于办理结果总计(0)+结转下年度(0)", balanceCells("total")...), "5", "0"),
			arith(fail("T3-R3", "表三“一、本年新收政府信息公开申请数量”行：总计(5)应等于各类申请人之和(0)", t3Row("r1_new_received")...), "0", "5"),
		}},
		{"T3-R1 per column", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t3.r2_carried_over_in.natural_person", "3", "t3.r2_carried_over_in.total", "3")
			return d
		}, []Finding{
			arith(fail("T3-R1", "表三“自然人”列：本年新收(36)+上年结转(3)应等于办理结果总计(35)+结转下年度(3)", balanceCells("natural_person")...), "39", "38"),
			arith(fail("T3-R1", "表三“总计”列：本年新收(44)+上年结转(3)应等于办理结果总计(43)+结转下年度(3)", balanceCells("total")...), "47", "46"),
		}},
		{"T3-R2 per column", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t3.r3_7_total.natural_person", "36", "t3.r3_7_total.total", "44",
				"t3.r4_carried_over_out.natural_person", "2", "t3.r4_carried_over_out.total", "2")
			return d
		}, []Finding{
			arith(fail("T3-R2", "表三“自然人”列：（七）总计(36)应等于各项办理结果之和(35)", resultCells(report.Edition2021, "natural_person")...), "35", "36"),
			arith(fail("T3-R2", "表三“总计”列：（七）总计(44)应等于各项办理结果之和(43)", resultCells(report.Edition2021, "total")...), "43", "44"),
		}},
		{"T3-R2 2019 rows", "seed-2020.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t3.r3_6_other.commercial", "1", "t3.r3_6_other.total", "1")
			return d
		}, []Finding{
			seedH1,
			arith(fail("T3-R2", "表三“商业企业”列：（七）总计(0)应等于各项办理结果之和(1)", resultCells(report.Edition2019, "commercial")...), "1", "0"),
			arith(fail("T3-R2", "表三“总计”列：（七）总计(0)应等于各项办理结果之和(1)", resultCells(report.Edition2019, "total")...), "1", "0"),
		}},
		{"T3-R3 names the group", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t3.r3_6_3_other.total", "0", "t3.r3_6_3_other.research", "1",
				"t3.r3_6_1_no_correction.research", "-1", "t3.r3_6_1_no_correction.natural_person", "2")
			return d
		}, []Finding{
			arith(fail("T3-R2", "表三“自然人”列：（七）总计(35)应等于各项办理结果之和(36)", resultCells(report.Edition2021, "natural_person")...), "36", "35"),
			arith(fail("T3-R3", "表三“（六）其他处理3.其他”行：总计(0)应等于各类申请人之和(1)", t3Row("r3_6_3_other")...), "1", "0"),
			fail("T3-R4", "表三“（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”“科研机构”不能为负数(-1)",
				"t3.r3_6_1_no_correction.research"),
		}},
		{"T3-R4 alone", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t3.r3_3_1_state_secret.natural_person", "-1", "t3.r3_3_1_state_secret.total", "-1",
				"t3.r3_3_2_law_prohibited.natural_person", "1", "t3.r3_3_2_law_prohibited.total", "1")
			return d
		}, []Finding{
			fail("T3-R4", "表三“（三）不予公开1.属于国家秘密”“自然人”不能为负数(-1)", "t3.r3_3_1_state_secret.natural_person"),
			fail("T3-R4", "表三“（三）不予公开1.属于国家秘密”“总计”不能为负数(-1)", "t3.r3_3_1_state_secret.total"),
		}},
		{"T3-R5 blanks skip their equations", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t3.r3_3_1_state_secret.natural_person", "", "t3.r4_carried_over_out.total", "")
			return d
		}, []Finding{fail("T3-R5", "表三有2个空白单元格，无数据请填0",
			"t3.r3_3_1_state_secret.natural_person", "t3.r4_carried_over_out.total")}},
		{"T3-A33", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t3.r2_carried_over_in.research", "1", "t3.r2_carried_over_in.total", "3",
				"t3.r4_carried_over_out.research", "1", "t3.r4_carried_over_out.total", "4")
			return d
		}, []Finding{arith(warn("T3-A33", "表三“科研机构”列：结转下年度(1)多于本年新收(0)，按条例第三十三条的答复期限，上年结转的申请应已办结",
			"t3.r4_carried_over_out.research", "t3.r1_new_received.research"), "0", "1")}},
		{"T4-R1", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t4.review.total", "4", "t4.litigation_after_review.pending", "1")
			return d
		}, []Finding{
			arith(fail("T4-R1", "表四“行政复议”：总计(4)应等于结果维持(2)+结果纠正(0)+其他结果(1)+尚未审结(0)之和(3)",
				"t4.review.total", "t4.review.maintained", "t4.review.corrected", "t4.review.other", "t4.review.pending"), "3", "4"),
			arith(fail("T4-R1", "表四“行政诉讼（复议后起诉）”：总计(1)应等于结果维持(1)+结果纠正(0)+其他结果(0)+尚未审结(1)之和(2)",
				"t4.litigation_after_review.total", "t4.litigation_after_review.maintained", "t4.litigation_after_review.corrected",
				"t4.litigation_after_review.other", "t4.litigation_after_review.pending"), "2", "1"),
		}},
		{"T4-R2", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t4.review.pending", "-1", "t4.review.other", "2")
			return d
		}, []Finding{fail("T4-R2", "表四“行政复议”“尚未审结”不能为负数(-1)", "t4.review.pending")}},
		{"T4-R3", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			set(t, d, "t4.litigation_direct.total", "")
			return d
		}, []Finding{fail("T4-R3", "表四有1个空白单元格，无数据请填0", "t4.litigation_direct.total")}},
		{"NARR-R4 notes are optional", "clean-2021.json", func(t *testing.T, d *report.Document) *report.Document {
			d.Sections.Overview, d.Sections.Other, d.Sections.RequestsNote = " \n ", "", ""
			return d
		}, []Finding{
			fail("NARR-R4", "“一、总体情况”部分为空（无内容时请写“无。”）", "sections.overview"),
			fail("NARR-R4", "“六、其他需要报告的事项”部分为空（无内容时请写“无。”）", "sections.other"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d *report.Document
			if tt.base != "" {
				d = load(t, tt.base)
			}
			if tt.mutate != nil {
				d = tt.mutate(t, d)
			}
			got := Check(d)
			if !reflect.DeepEqual(got, tt.want) {
				gj, _ := json.MarshalIndent(got, "", " ")
				wj, _ := json.MarshalIndent(tt.want, "", " ")
				t.Errorf("findings:\n got %s\nwant %s", gj, wj)
			}
		})
	}
}

func TestFindingJSON(t *testing.T) {
	d := load(t, "seed-2020.json")
	set(t, d, "t3.r1_new_received.total", "5")
	fs := Check(d)
	got, _ := json.Marshal(fs[1])
	want := `{"rule":"T3-R1","severity":"error","cells":["t3.r1_new_received.total","t3.r2_carried_over_in.total","t3.r3_7_total.total","t3.r4_carried_over_out.total"],"message":"表三“总计”列：本年新收(5)+上年结转(0)应等于办理结果总计(0)+结转下年度(0)","expected":5,"actual":0}`
	if string(got) != want {
		t.Errorf("JSON:\n got %s\nwant %s", got, want)
	}
	h1, _ := json.Marshal(fs[0])
	if strings.Contains(string(h1), "expected") {
		t.Errorf("heuristic finding carries expected: %s", h1)
	}
}

func TestHasErrorsAndCounts(t *testing.T) {
	fs := []Finding{{Severity: Warning}, {Severity: Error}, {Severity: Warning}}
	if e, w := Counts(fs); e != 1 || w != 2 {
		t.Errorf("Counts = %d, %d", e, w)
	}
	if !HasErrors(fs) || HasErrors(fs[:1]) || HasErrors(nil) {
		t.Error("HasErrors wrong")
	}
}
