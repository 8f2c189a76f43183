package configs

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
)

// kp builds a keyPath from keys and indexes.
func kp(segs ...any) keyPath {
	var p keyPath
	for _, s := range segs {
		switch s := s.(type) {
		case string:
			p = p.key(s)
		case int:
			p = p.index(s)
		}
	}
	return p
}

func TestLocate(t *testing.T) {
	text := `a = 1 # c
"b.c" = 'x'
d.e . f = """
[x]
g = 1
"""
'lit' = """with \" and "" quotes"""""
arr = [ # comment ]
  1, # ,
  { in = 1, "q" = [ "]" ] },
  {
    ml = 2,
  },
]
[t]
k = 2023-01-02 03:04:05Z
[[aot]]
v = 1
[aot.sub]
w = 1
[[aot]]
[[aot.n]]
[[aot.n]]
z = "\u00e9"
"\u00e9" = 1
[t.deep.er]
`
	l := locate([]byte(text))
	want := map[keyPath]int{
		kp("a"):                   1,
		kp("b.c"):                 2,
		kp("d"):                   3,
		kp("d", "e", "f"):         3,
		kp("lit"):                 7,
		kp("arr"):                 8,
		kp("arr", 1, "in"):        10,
		kp("arr", 1, "q"):         10,
		kp("arr", 2):              11,
		kp("arr", 2, "ml"):        12,
		kp("t"):                   15,
		kp("t", "k"):              16,
		kp("aot"):                 17,
		kp("aot", 0):              17,
		kp("aot", 0, "v"):         18,
		kp("aot", 0, "sub"):       19,
		kp("aot", 0, "sub", "w"):  20,
		kp("aot", 1):              21,
		kp("aot", 1, "n", 0):      22,
		kp("aot", 1, "n", 1):      23,
		kp("aot", 1, "n", 1, "z"): 24,
		kp("aot", 1, "n", 1, "é"): 25,
		kp("t", "deep"):           26,
		kp("t", "deep", "er"):     26,
	}
	for p, line := range want {
		assert.Equal(t, line, l[p], "%q", p)
	}
	assert.NotContains(t, l, kp("x"))
	assert.NotContains(t, l, kp("g"))
	// Unknown paths fall back to their nearest known ancestor.
	assert.Equal(t, 22, l.line(kp("aot", 1, "n", 0, "nothing")))
	assert.Equal(t, 1, l.line(kp("nothing")))

	// The text is valid TOML.
	var m map[string]any
	_, err := toml.Decode(text, &m)
	assert.NoError(t, err)
}

func TestLocateCRLF(t *testing.T) {
	l := locate([]byte("a = 1\r\n\r\n[[s]]\r\nb = 2\r\n"))
	assert.Equal(t, 1, l[kp("a")])
	assert.Equal(t, 3, l[kp("s", 0)])
	assert.Equal(t, 4, l[kp("s", 0, "b")])
}

// FuzzRead checks that the locator and Read never panic or hang on
// arbitrary input.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"positions.toml", "include/main.toml", "syntax/bad.toml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(ifDefineText))
	f.Add(defaultConfig)
	for _, s := range []string{"", "[", "[[", "a = [", "a = {", `a = "`, `a = """`, "a = '''", `"\`, `a."b\u`, "[a.]]\n]", "= = =", "a = [{b = [{", "x = \"\\U0011ffff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := locate(data)
		var m map[string]any
		if _, err := toml.Decode(string(data), &m); err == nil {
			requireLocated(t, lines, "", m)
		}
		opts := ReadOptions{ServerRoot: "/fuzz", Defines: []string{"A"}, Source: snapshotSource{&Snapshot{}}}
		cfg, err := ReadBytes("/fuzz/main.toml", data, opts)
		if err == nil && cfg.Root == nil {
			t.Fatal("no root")
		}
	})
}

// requireLocated fails unless the locator found every key and array
// element of the decoded value v at path p.
func requireLocated(t *testing.T, lines keyLines, p keyPath, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			kp := p.key(k)
			if _, ok := lines[kp]; !ok {
				t.Fatalf("key %q not located", kp)
			}
			requireLocated(t, lines, kp, e)
		}
	case []map[string]any:
		for i, e := range v {
			requireLocated(t, lines, p.index(i), e)
		}
	case []any:
		for i, e := range v {
			if _, ok := lines[p.index(i)]; !ok {
				t.Fatalf("element %q not located", p.index(i))
			}
			requireLocated(t, lines, p.index(i), e)
		}
	}
}
