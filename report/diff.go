package report

// Change is one difference between two documents. From and To are JSON
// values: nil for a blank cell, int64 or json.Number for numbers, strings
// for texts.
type Change struct {
	Path string `json:"path"`
	From any    `json:"from"`
	To   any    `json:"to"`
}

// Diff lists what differs from a to b: edition, year, agency, title,
// sections, then every cell in layout order (a's cells, then cells only b's
// edition has).
func Diff(a, b *Document) []Change {
	var cs []Change
	text := func(path, x, y string) {
		if x != y {
			cs = append(cs, Change{Path: path, From: x, To: y})
		}
	}
	text("edition", string(a.Edition), string(b.Edition))
	if a.Year != b.Year {
		cs = append(cs, Change{Path: "year", From: int64(a.Year), To: int64(b.Year)})
	}
	text("agency.name", a.Agency.Name, b.Agency.Name)
	text("agency.level", a.Agency.Level, b.Agency.Level)
	text("title", a.Title, b.Title)
	for _, key := range SectionKeys {
		x, _ := a.Sections.Section(key)
		y, _ := b.Sections.Section(key)
		text("sections."+key, x, y)
	}
	return append(cs, diffCells(a, b)...)
}

func diffCells(a, b *Document) []Change {
	var cs []Change
	la, lb := a.Layout(), b.Layout()
	if la != nil {
		for _, ref := range la.Cells {
			x := a.cellAt(ref)
			y, _ := b.Value(ref.Path)
			if !x.Equal(y) {
				cs = append(cs, Change{Path: ref.Path, From: x.JSON(), To: y.JSON()})
			}
		}
	}
	if lb != nil && lb != la {
		for _, ref := range lb.Cells {
			if la != nil {
				if _, ok := la.Lookup(ref.Path); ok {
					continue
				}
			}
			if y := b.cellAt(ref); !y.IsBlank() {
				cs = append(cs, Change{Path: ref.Path, From: nil, To: y.JSON()})
			}
		}
	}
	return cs
}

func (d *Document) cellAt(ref CellRef) Value {
	if ref.Index < len(d.cells[ref.Table]) {
		return d.cells[ref.Table][ref.Index]
	}
	return Value{}
}
