package workflow

import (
	"fmt"
	"strings"
)

// Mermaid draws the transition table as a Mermaid stateDiagram-v2: one
// state per State with its Chinese label, one edge per rule labelled with the
// action and the roles that may take it. It is generated from the table that
// Decide uses, so the picture cannot drift from the code.
func Mermaid() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, s := range States {
		fmt.Fprintf(&b, "    state \"%s\" as %s\n", s.Label(), s)
	}
	fmt.Fprintf(&b, "    [*] --> %s\n", Draft)
	for _, rl := range rules {
		fmt.Fprintf(&b, "    %s --> %s : %s\n", rl.From, rl.To, edgeLabel(rl))
	}
	fmt.Fprintf(&b, "    %s --> [*]\n", Published)
	return b.String()
}

// edgeLabel is "提交 submit · 经办人 drafter（无错误级问题）".
func edgeLabel(rl rule) string {
	roles := make([]string, len(rl.By))
	for i, r := range rl.By {
		roles[i] = r.Label() + " " + string(r)
	}
	label := fmt.Sprintf("%s %s · %s", rl.Action.Label(), rl.Action, strings.Join(roles, " / "))
	if rl.Note != "" {
		label += "（" + rl.Note + "）"
	}
	return label
}
