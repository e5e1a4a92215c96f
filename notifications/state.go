package notifications

// The report states of contract/api.md, as the store passes them.
const (
	stateNotCreated = ""
	stateDraft      = "draft"
	stateInReview   = "in_review"
	stateInApproval = "in_approval"
	stateApproved   = "approved"
	statePublished  = "published"
)

// stateRank orders states by progress: a report further behind is riskier.
var stateRank = map[string]int{
	stateNotCreated: 0, stateDraft: 1, stateInReview: 2, stateInApproval: 3, stateApproved: 4, statePublished: 5,
}

// stateLabel is the Chinese label of a state, with the approval step while in_approval.
func stateLabel(state, step string) string {
	switch state {
	case stateNotCreated:
		return "未创建"
	case stateDraft:
		return "起草中"
	case stateInReview:
		return "保密审查中"
	case stateInApproval:
		if step != "" {
			return "待领导签发（" + step + "）"
		}
		return "待领导签发"
	case stateApproved:
		return "已签发"
	case statePublished:
		return "已公开"
	}
	return state
}
