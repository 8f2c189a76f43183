package pipeline

import "strings"

// Table is an ordered, case-insensitive multi-map of strings (Apache's
// apr_table_t), used for request and response headers, the subprocess
// environment and notes. The zero value is an empty table.
type Table struct {
	fields []Field
}

// Field is one name/value pair of a Table.
type Field struct {
	Name  string
	Value string
}

// Len returns the number of fields.
func (t *Table) Len() int { return len(t.fields) }

// Fields returns the fields in insertion order; the slice must not be
// modified.
func (t *Table) Fields() []Field { return t.fields }

// Get returns the first value for name, or "".
func (t *Table) Get(name string) string {
	for i := range t.fields {
		if strings.EqualFold(t.fields[i].Name, name) {
			return t.fields[i].Value
		}
	}
	return ""
}

// Lookup returns the first value for name and whether there was one.
func (t *Table) Lookup(name string) (string, bool) {
	for i := range t.fields {
		if strings.EqualFold(t.fields[i].Name, name) {
			return t.fields[i].Value, true
		}
	}
	return "", false
}

// Values returns every value for name in order.
func (t *Table) Values(name string) []string {
	var out []string
	for i := range t.fields {
		if strings.EqualFold(t.fields[i].Name, name) {
			out = append(out, t.fields[i].Value)
		}
	}
	return out
}

// Add appends a field, keeping existing ones (apr_table_add).
func (t *Table) Add(name, value string) {
	t.fields = append(t.fields, Field{Name: name, Value: value})
}

// Set replaces every field called name with one (apr_table_set).
func (t *Table) Set(name, value string) {
	for i := range t.fields {
		if strings.EqualFold(t.fields[i].Name, name) {
			t.fields[i].Value = value
			t.removeFrom(i+1, name)
			return
		}
	}
	t.Add(name, value)
}

// Merge appends value to the first field called name with ", " between,
// or adds the field (apr_table_merge).
func (t *Table) Merge(name, value string) {
	for i := range t.fields {
		if strings.EqualFold(t.fields[i].Name, name) {
			t.fields[i].Value += ", " + value
			return
		}
	}
	t.Add(name, value)
}

// Del removes every field called name (apr_table_unset).
func (t *Table) Del(name string) { t.removeFrom(0, name) }

func (t *Table) removeFrom(start int, name string) {
	out := t.fields[:start]
	for _, f := range t.fields[start:] {
		if !strings.EqualFold(f.Name, name) {
			out = append(out, f)
		}
	}
	clear(t.fields[len(out):])
	t.fields = out
}

// Reset empties the table, keeping its storage for reuse.
func (t *Table) Reset() {
	clear(t.fields)
	t.fields = t.fields[:0]
}

// Clone returns an independent copy.
func (t *Table) Clone() Table {
	return Table{fields: append([]Field(nil), t.fields...)}
}
