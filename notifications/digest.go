package notifications

import (
	"cmp"
	"slices"
)

// digests plans one daily list per supervisor of the unpublished reports they
// supervise, riskiest first; a supervisor with nothing in the window gets nothing.
func (p planner) digests(reports []ReportStatus) []Notification {
	if !p.pol.Digest {
		return nil
	}
	var order []Recipient
	items := map[string][]standing{}
	for _, r := range reports {
		if r.State == statePublished {
			continue
		}
		s := p.stand(r)
		if s.deadline.IsZero() || (!s.overdue && s.left > p.pol.DigestWindow) {
			continue
		}
		for _, sup := range uniqueRecipients(r.Supervisors, nil) {
			k := recipientKey(sup)
			if _, ok := items[k]; !ok {
				order = append(order, sup)
			}
			items[k] = append(items[k], s)
		}
	}
	var out []Notification
	for _, sup := range order {
		list := items[recipientKey(sup)]
		slices.SortStableFunc(list, riskier)
		n := p.base(KindDigest, sup, 0, list[0].deadline, list[0].left)
		n.Subject, n.Text, n.HTML = renderDigest(digestMailData(p, sup, list))
		out = append(out, n)
	}
	return out
}

// riskier orders by working days left, then by how far behind the state is, then by
// how long it has been idle, then by agency name.
func riskier(a, b standing) int {
	return cmp.Or(
		cmp.Compare(a.left, b.left),
		cmp.Compare(stateRank[a.State], stateRank[b.State]),
		cmp.Compare(b.idle, a.idle),
		cmp.Compare(a.AgencyName, b.AgencyName),
		cmp.Compare(a.ID, b.ID),
	)
}
