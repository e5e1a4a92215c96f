package report

import (
	"fmt"
)

func otherEdition(ed Edition) Edition {
	if ed == Edition2019 {
		return Edition2021
	}
	return Edition2019
}

// tables decodes t2, t3 and t4 once the edition is known; without a known
// edition they cannot be read (the edition problem is already reported).
func (dc *decoder) tables(top map[string][]byte) {
	if dc.layout == nil {
		return
	}
	for t := range dc.layout.Tables {
		tab := &dc.layout.Tables[t]
		dc.doc.cells[t] = make([]Value, tab.Size)
		raw := top[tab.Key]
		if !dc.objectOrNull(raw, tab.Key) {
			continue
		}
		if len(tab.Blocks) == 1 && tab.Blocks[0].Key == "" {
			dc.rows(tab, 0, raw, tab.Key)
			continue
		}
		dc.blocks(tab, raw)
	}
}

func (dc *decoder) blocks(tab *Table, raw []byte) {
	other := LayoutFor(otherEdition(dc.layout.Edition))
	_ = dc.eachMember(raw, tab.Key, func(key string, val []byte) {
		path := join(tab.Key, key)
		for bi := range tab.Blocks {
			if tab.Blocks[bi].Key == key {
				if dc.objectOrNull(val, path) {
					dc.rows(tab, bi, val, path)
				}
				return
			}
		}
		if _, ok := other.Block(tab.ID, key); ok {
			dc.wrongEdition(path, "此项")
			return
		}
		dc.add(path, "未知字段")
	})
}

func (dc *decoder) wrongEdition(path, what string) {
	dc.add(path, fmt.Sprintf("%s属于%s年版格式，不能出现在%s年版报告中",
		what, otherEdition(dc.layout.Edition), dc.layout.Edition))
}

func (dc *decoder) rows(tab *Table, bi int, raw []byte, path string) {
	b := &tab.Blocks[bi]
	other := LayoutFor(otherEdition(dc.layout.Edition))
	_ = dc.eachMember(raw, path, func(key string, val []byte) {
		rpath := join(path, key)
		for ri := range b.Rows {
			if b.Rows[ri].Key == key {
				if dc.objectOrNull(val, rpath) {
					dc.cellsOfRow(tab, b, &b.Rows[ri], val, rpath)
				}
				return
			}
		}
		if _, _, ok := other.Row(tab.ID, b.Key, key); ok {
			dc.wrongEdition(rpath, "此行")
			return
		}
		dc.add(rpath, "未知字段")
	})
}

func (dc *decoder) cellsOfRow(tab *Table, b *Block, r *Row, raw []byte, path string) {
	other := LayoutFor(otherEdition(dc.layout.Edition))
	_ = dc.eachMember(raw, path, func(key string, val []byte) {
		ci := b.ColumnIndex(key)
		if ci < 0 {
			if ob, ok := other.Block(tab.ID, b.Key); ok && ob.ColumnIndex(key) >= 0 {
				dc.wrongEdition(join(path, key), "此列")
				return
			}
			dc.add(join(path, key), "未知字段")
			return
		}
		if v, ok := dc.cell(val, path, key, b.Columns[ci].Kind); ok {
			dc.doc.cells[tab.ID][r.Offset+ci] = v
		}
	})
}

// cell reads the cell key of the row at rowPath, of the given kind; null is
// blank. The cell's path is only built for a problem: most cells have none.
func (dc *decoder) cell(raw []byte, rowPath, key string, kind Kind) (Value, bool) {
	k := kindOf(raw)
	if k == kindNumber {
		if v, err := ParseNumber(string(raw)); err == nil && cellFits(v, kind) {
			return v, true
		}
	}
	path := join(rowPath, key)
	if k == kindNull {
		return Value{}, true
	}
	if k != kindNumber {
		dc.add(path, fmt.Sprintf("应为数字，不能是%s", k.name()))
		return Value{}, false
	}
	v, err := ParseNumber(string(raw))
	switch {
	case err != nil:
		dc.add(path, fmt.Sprintf("数值超出范围：%s", raw))
	case kind.Integral() && !v.IsInteger():
		dc.add(path, fmt.Sprintf("应为整数，不能是 %s", raw))
	case kind == KindCount && v.n < 0:
		dc.add(path, fmt.Sprintf("不能为负数：%s", raw))
	case !kind.Integral() && v.f < 0:
		dc.add(path, fmt.Sprintf("金额不能为负数：%s", raw))
	default:
		return v, true
	}
	return Value{}, false
}

// cellFits reports whether a number is acceptable in a cell of kind; it is
// the negation of the refusals in cell.
func cellFits(v Value, kind Kind) bool {
	switch {
	case kind.Integral() && !v.IsInteger():
		return false
	case kind == KindCount && v.n < 0:
		return false
	case !kind.Integral() && v.f < 0:
		return false
	}
	return true
}
