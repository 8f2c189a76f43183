package auth_basic

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"

	"gohttpd/pipeline"
)

func TestDecodeLenientAsAPR(t *testing.T) {
	enc := base64.StdEncoding.EncodeToString
	for in, want := range map[string]string{
		enc([]byte("alice:pw")):                "alice:pw",
		enc([]byte("alice:pw")) + "!garbage":   "alice:pw",
		"YWxpY2U6YWxpY2UtcHc":                  "alice:alice-pw",
		"!!!!":                                 "",
		"":                                     "",
		"YWxpY2U6cHc=trailing":                 "alice:pw",
		"YWxpY2U6cH":                           "alice:p",
		"YWxpY2U6cHcx" + "Y":                   "alice:pw1",
		enc([]byte("a:b\x00c")):                "a:b\x00c",
		enc([]byte{0xff, 0xfe, ':', 'p', 'w'}): "\xff\xfe:pw",
	} {
		assert.Equal(t, want, decodeLenient(in), in)
	}
}

func TestCredentials(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct {
		header, user, pw string
		st               pipeline.Result
	}{
		{"Basic " + enc("alice:pw"), "alice", "pw", pipeline.OK},
		{"basic \t " + enc("alice:pw"), "alice", "pw", pipeline.OK},
		{"Basic " + enc("alice"), "alice", "", pipeline.OK},
		{"Basic " + enc("alice:pw:with:colons"), "alice", "pw:with:colons", pipeline.OK},
		{"Basic " + enc("alice:pw\x00junk"), "alice", "pw", pipeline.OK},
		{"Basic", "", "", pipeline.OK},
		{"Bearer abc", "", "", 401},
		{"", "", "", 401},
	} {
		r := &pipeline.Request{}
		if c.header != "" {
			r.HeadersIn.Set("Authorization", c.header)
		}
		u, p, st := credentials(r)
		assert.Equal(t, c.st, st, c.header)
		assert.Equal(t, c.user, u, c.header)
		assert.Equal(t, c.pw, p, c.header)
	}
}
