package report

// The labels below are those of format.md §2.2–2.5, verbatim.

func counts(keyLabels ...string) []Column {
	cols := make([]Column, 0, len(keyLabels)/2)
	for i := 0; i+1 < len(keyLabels); i += 2 {
		cols = append(cols, Column{Key: keyLabels[i], Label: keyLabels[i+1], Kind: KindCount})
	}
	return cols
}

func rows(keyLabels ...string) []Row {
	rs := make([]Row, 0, len(keyLabels)/2)
	for i := 0; i+1 < len(keyLabels); i += 2 {
		rs = append(rs, Row{Key: keyLabels[i], Label: keyLabels[i+1]})
	}
	return rs
}

func itemColumns2019(withDecisions bool) []Column {
	cols := []Column{
		{Key: "prev_year_items", Label: "上一年项目数量", Kind: KindCount},
		{Key: "change", Label: "本年增/减", Kind: KindChange},
	}
	if withDecisions {
		cols = append(cols, Column{Key: "decisions", Label: "处理决定数量", Kind: KindCount})
	}
	return cols
}

func table2For2019() []Block {
	return []Block{
		{Key: "art20_1", Label: "第二十条第（一）项",
			Columns: counts("new_made", "本年新制作数量", "new_published", "本年新公开数量", "total_published", "对外公开总数量"),
			Rows:    rows("regulations", "规章", "normative_documents", "规范性文件")},
		{Key: "art20_5", Label: "第二十条第（五）项", Columns: itemColumns2019(true),
			Rows: rows("administrative_licensing", "行政许可", "other_external_services", "其他对外管理服务事项")},
		{Key: "art20_6", Label: "第二十条第（六）项", Columns: itemColumns2019(true),
			Rows: rows("administrative_penalty", "行政处罚", "administrative_coercion", "行政强制")},
		{Key: "art20_8", Label: "第二十条第（八）项", Columns: itemColumns2019(false),
			Rows: rows("administrative_fees", "行政事业性收费")},
		{Key: "art20_9", Label: "第二十条第（九）项",
			Columns: []Column{
				{Key: "projects", Label: "采购项目数量", Kind: KindCount},
				{Key: "amount_yuan", Label: "采购总金额", Kind: KindAmountYuan},
			},
			Rows: rows("central_procurement", "政府集中采购")},
	}
}

func table2For2021() []Block {
	decisions := counts("decisions", "本年处理决定数量")
	return []Block{
		{Key: "art20_1", Label: "第二十条第（一）项",
			Columns: counts("made", "本年制发件数", "repealed", "本年废止件数", "valid", "现行有效件数"),
			Rows:    rows("regulations", "规章", "normative_documents", "行政规范性文件")},
		{Key: "art20_5", Label: "第二十条第（五）项", Columns: decisions,
			Rows: rows("administrative_licensing", "行政许可")},
		{Key: "art20_6", Label: "第二十条第（六）项", Columns: decisions,
			Rows: rows("administrative_penalty", "行政处罚", "administrative_coercion", "行政强制")},
		{Key: "art20_8", Label: "第二十条第（八）项",
			Columns: []Column{{Key: "amount_wan_yuan", Label: "本年收费金额（单位：万元）", Kind: KindAmountWanYuan}},
			Rows:    rows("administrative_fees", "行政事业性收费")},
	}
}

// Table3Note is the 勾稽关系 note printed in table 三's header.
const Table3Note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

const (
	t3Results     = "三、本年度办理结果"
	t3Withheld    = "（三）不予公开"
	t3CannotGive  = "（四）无法提供"
	t3NotHandled  = "（五）不予处理"
	t3OtherHandle = "（六）其他处理"
	legalPersons  = "法人或其他组织"
)

func table3Columns() []Column {
	return []Column{
		{Key: "natural_person", Label: "自然人"},
		{Key: "commercial", Label: "商业企业", Group: legalPersons},
		{Key: "research", Label: "科研机构", Group: legalPersons},
		{Key: "social_welfare", Label: "社会公益组织", Group: legalPersons},
		{Key: "legal_service", Label: "法律服务机构", Group: legalPersons},
		{Key: "other_org", Label: "其他", Group: legalPersons},
		{Key: "total", Label: "总计"},
	}
}

func result(key, group, label string) Row {
	return Row{Key: key, Label: label, Section: t3Results, Group: group}
}

func table3Rows(ed Edition) []Row {
	rs := []Row{
		{Key: "r1_new_received", Label: "一、本年新收政府信息公开申请数量"},
		{Key: "r2_carried_over_in", Label: "二、上年结转政府信息公开申请数量"},
		result("r3_1_disclosed", "", "（一）予以公开"),
		result("r3_2_partially_disclosed", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
		result("r3_3_1_state_secret", t3Withheld, "1.属于国家秘密"),
		result("r3_3_2_law_prohibited", t3Withheld, "2.其他法律行政法规禁止公开"),
		result("r3_3_3_three_safeties_one_stability", t3Withheld, "3.危及“三安全一稳定”"),
		result("r3_3_4_third_party_rights", t3Withheld, "4.保护第三方合法权益"),
		result("r3_3_5_internal_affairs", t3Withheld, "5.属于三类内部事务信息"),
		result("r3_3_6_process_info", t3Withheld, "6.属于四类过程性信息"),
		result("r3_3_7_enforcement_case_file", t3Withheld, "7.属于行政执法案卷"),
		result("r3_3_8_admin_query", t3Withheld, "8.属于行政查询事项"),
		result("r3_4_1_not_held", t3CannotGive, "1.本机关不掌握相关政府信息"),
		result("r3_4_2_needs_creation", t3CannotGive, "2.没有现成信息需要另行制作"),
		result("r3_4_3_unclear_after_correction", t3CannotGive, "3.补正后申请内容仍不明确"),
		result("r3_5_1_petition_complaint", t3NotHandled, "1.信访举报投诉类申请"),
		result("r3_5_2_repeated", t3NotHandled, "2.重复申请"),
		result("r3_5_3_publication", t3NotHandled, "3.要求提供公开出版物"),
		result("r3_5_4_mass_repeated", t3NotHandled, "4.无正当理由大量反复申请"),
		result("r3_5_5_confirm_or_reissue", t3NotHandled, "5.要求行政机关确认或重新出具已获取信息"),
	}
	if ed == Edition2019 {
		rs = append(rs, result("r3_6_other", "", t3OtherHandle))
	} else {
		rs = append(rs,
			result("r3_6_1_no_correction", t3OtherHandle, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
			result("r3_6_2_fee_unpaid", t3OtherHandle, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
			result("r3_6_3_other", t3OtherHandle, "3.其他"))
	}
	return append(rs,
		result("r3_7_total", "", "（七）总计"),
		Row{Key: "r4_carried_over_out", Label: "四、结转下年度继续办理"})
}

func table4Columns() []Column {
	return counts("maintained", "结果维持", "corrected", "结果纠正", "other", "其他结果",
		"pending", "尚未审结", "total", "总计")
}

func table4Rows() []Row {
	return []Row{
		{Key: "review", Label: "行政复议"},
		{Key: "litigation_direct", Label: "未经复议直接起诉", Group: "行政诉讼"},
		{Key: "litigation_after_review", Label: "复议后起诉", Group: "行政诉讼"},
	}
}
