package report

import "strings"

// Kind says what a column holds.
type Kind int

// Column kinds.
const (
	KindCount         Kind = iota // non-negative integer
	KindChange                    // signed integer (2019 本年增/减)
	KindAmountYuan                // money in 元, decimals kept as written
	KindAmountWanYuan             // money in 万元, decimals kept as written
)

// String returns the machine name of the kind.
func (k Kind) String() string {
	switch k {
	case KindCount:
		return "count"
	case KindChange:
		return "change"
	case KindAmountYuan:
		return "amount_yuan"
	case KindAmountWanYuan:
		return "amount_wan_yuan"
	}
	return "unknown"
}

// Integral reports whether cells of this kind hold integers.
func (k Kind) Integral() bool { return k == KindCount || k == KindChange }

// TableID identifies one of the three tables.
type TableID int

// The tables of the report.
const (
	T2 TableID = iota // 主动公开政府信息情况
	T3                // 收到和处理政府信息公开申请情况
	T4                // 政府信息公开行政复议、行政诉讼情况
)

// NumTables is the number of tables in a report.
const NumTables = 3

// Column is one column of a block.
type Column struct {
	Key   string
	Label string
	Group string // header spanning several columns (表三 法人或其他组织), or ""
	Kind  Kind
}

// Row is one data row. Offset is the position of its first cell in the
// table's cell slice; its cells follow in column order.
type Row struct {
	Key     string
	Label   string
	Section string // 表三 三、本年度办理结果 for result rows, or ""
	Group   string // 表三 （三）不予公开 etc., 表四 行政诉讼, or ""
	Offset  int
}

// Block is a group of rows sharing columns. Key is "" in tables 三 and 四,
// whose rows sit directly under the table.
type Block struct {
	Key     string
	Label   string
	Columns []Column
	Rows    []Row
}

// Table is one table of an edition.
type Table struct {
	ID     TableID
	Key    string // t2, t3, t4
	Title  string
	Blocks []Block
	Size   int // number of cells
}

// CellRef locates one cell of the layout.
type CellRef struct {
	Path   string
	Table  TableID
	Index  int // position in the table's cell slice
	Block  int
	Row    int
	Column int
	Kind   Kind
}

// Layout is the ordered description of an edition's tables.
type Layout struct {
	Edition Edition
	Tables  [NumTables]Table
	Cells   []CellRef // every cell, in document order
	index   map[string]int
}

// Lookup returns the cell at path.
func (l *Layout) Lookup(path string) (CellRef, bool) {
	i, ok := l.index[path]
	if !ok {
		return CellRef{}, false
	}
	return l.Cells[i], true
}

// Block returns the block of table t with the given key.
func (l *Layout) Block(t TableID, key string) (*Block, bool) {
	for i := range l.Tables[t].Blocks {
		if l.Tables[t].Blocks[i].Key == key {
			return &l.Tables[t].Blocks[i], true
		}
	}
	return nil, false
}

// Row returns the row key of block blockKey in table t.
func (l *Layout) Row(t TableID, blockKey, key string) (*Block, *Row, bool) {
	b, ok := l.Block(t, blockKey)
	if !ok {
		return nil, nil, false
	}
	for i := range b.Rows {
		if b.Rows[i].Key == key {
			return b, &b.Rows[i], true
		}
	}
	return nil, nil, false
}

// ColumnIndex returns the position of column key in b, or -1.
func (b *Block) ColumnIndex(key string) int {
	for i, c := range b.Columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// CellPath builds the path of a cell from its parts; blockKey may be "".
func CellPath(table, blockKey, rowKey, colKey string) string {
	parts := []string{table}
	if blockKey != "" {
		parts = append(parts, blockKey)
	}
	return strings.Join(append(parts, rowKey, colKey), ".")
}

// LayoutFor returns the layout of edition ed, or nil for an unknown edition.
// The result is shared and must not be modified.
func LayoutFor(ed Edition) *Layout {
	switch ed {
	case Edition2019:
		return layout2019
	case Edition2021:
		return layout2021
	}
	return nil
}

var (
	layout2019 = buildLayout(Edition2019, table2For2019(), table3Rows(Edition2019))
	layout2021 = buildLayout(Edition2021, table2For2021(), table3Rows(Edition2021))
)

func buildLayout(ed Edition, t2 []Block, t3 []Row) *Layout {
	l := &Layout{Edition: ed, index: map[string]int{}}
	l.Tables[T2] = Table{ID: T2, Key: "t2", Title: "主动公开政府信息情况", Blocks: t2}
	l.Tables[T3] = Table{ID: T3, Key: "t3", Title: "收到和处理政府信息公开申请情况",
		Blocks: []Block{{Columns: table3Columns(), Rows: t3}}}
	l.Tables[T4] = Table{ID: T4, Key: "t4", Title: "政府信息公开行政复议、行政诉讼情况",
		Blocks: []Block{{Columns: table4Columns(), Rows: table4Rows()}}}
	for t := range l.Tables {
		l.indexTable(&l.Tables[t])
	}
	return l
}

func (l *Layout) indexTable(t *Table) {
	n := 0
	for bi := range t.Blocks {
		b := &t.Blocks[bi]
		for ri := range b.Rows {
			b.Rows[ri].Offset = n
			for ci, c := range b.Columns {
				ref := CellRef{Path: CellPath(t.Key, b.Key, b.Rows[ri].Key, c.Key),
					Table: t.ID, Index: n, Block: bi, Row: ri, Column: ci, Kind: c.Kind}
				l.index[ref.Path] = len(l.Cells)
				l.Cells = append(l.Cells, ref)
				n++
			}
		}
	}
	t.Size = n
}
