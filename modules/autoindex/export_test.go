package autoindex

// Strfsize exposes strfsize to the tests of package autoindex_test.
func Strfsize(n int64) string { return strfsize(n) }
