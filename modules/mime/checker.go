package mime

import (
	"strings"

	"gohttpd/pipeline"
)

// dirMagicType is the content type of a directory (Apache's
// DIR_MAGIC_TYPE); mod_autoindex handles it.
const dirMagicType = "httpd/unix-directory"

// typeChecker sets the response's type, charset, encoding, languages and
// handler from the extensions of the file name (Apache's find_ct). Every
// extension after the first dot counts, left to right: a later type
// replaces an earlier one, encodings accumulate, languages accumulate;
// unknown extensions are skipped. A directory gets dirMagicType.
func typeChecker(r *pipeline.Request) pipeline.Result {
	if r.Finfo != nil && r.Finfo.IsDir() {
		r.ContentType = dirMagicType
		return pipeline.OK
	}
	if r.Filename == "" {
		return pipeline.Declined
	}
	d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
	sc := pipeline.ModuleConfig[*ServerConfig](r.Server.Config, Module)
	name := r.Filename[strings.LastIndexByte(r.Filename, '/')+1:]
	dot := strings.IndexByte(name, '.')
	if dot < 0 {
		return setLanguage(r, d, "")
	}
	var typ, charset, langs string
	for rest := name[dot+1:]; ; {
		ext, more, found := strings.Cut(rest, ".")
		if ext != "" {
			key := lower(ext)
			var info *extInfo
			if d != nil {
				info = d.Ext[key]
			}
			if info != nil && info.Type != "" {
				typ = info.Type
			} else if sc != nil {
				if t, ok := sc.types[key]; ok {
					typ = t
				}
			}
			if info != nil {
				if info.Language != "" {
					if langs != "" {
						langs += ", "
					}
					langs += info.Language
				}
				if info.Charset != "" {
					charset = info.Charset
				}
				if info.Encoding != "" {
					if r.ContentEncoding == "" {
						r.ContentEncoding = info.Encoding
					} else {
						r.ContentEncoding += ", " + info.Encoding
					}
				}
				if info.Handler != "" {
					r.Handler = info.Handler
				}
			}
		}
		if !found {
			break
		}
		rest = more
	}
	if typ != "" {
		if charset != "" && !strings.Contains(typ, "charset=") {
			typ += "; charset=" + charset
		}
		r.ContentType = typ
	}
	if r.ContentEncoding != "" {
		r.HeadersOut.Set("Content-Encoding", r.ContentEncoding)
	}
	return setLanguage(r, d, langs)
}

// setLanguage sets Content-Language from the extensions' languages or
// DefaultLanguage.
func setLanguage(r *pipeline.Request, d *DirConfig, langs string) pipeline.Result {
	if langs == "" && d != nil {
		langs = d.DefaultLanguage
	}
	if langs != "" {
		r.HeadersOut.Set("Content-Language", langs)
	}
	return pipeline.OK
}

// lower lower-cases an ASCII extension without allocating when it is
// lower-case already.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}
