package core

import (
	"path"
	"strings"

	"gohttpd/pipeline"
)

// builtinTypes maps file extensions to media types (as Debian's
// /etc/mime.types names them) until the mime module takes over.
var builtinTypes = map[string]string{
	"html": "text/html", "htm": "text/html", "shtml": "text/html",
	"css": "text/css", "js": "text/javascript", "mjs": "text/javascript",
	"json": "application/json", "xml": "application/xml", "txt": "text/plain",
	"csv": "text/csv", "md": "text/markdown",
	"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
	"svg": "image/svg+xml", "ico": "image/vnd.microsoft.icon", "webp": "image/webp",
	"avif": "image/avif", "pdf": "application/pdf", "wasm": "application/wasm",
	"woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
	"mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg", "ogg": "audio/ogg",
	"zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar",
}

// DirMagicType is the content type of a directory, which names the
// handler that lists it (Apache's DIR_MAGIC_TYPE).
const DirMagicType = "httpd/unix-directory"

// typeChecker gives a file its media type from its extension when the
// mime module is not loaded (a reduced built-in table), and a directory
// DirMagicType. Like mod_mime it never fails: a file of unknown type is
// served without Content-Type.
func typeChecker(r *pipeline.Request) pipeline.Result {
	if r.ContentType == "" && r.Finfo != nil && r.Finfo.IsDir() {
		r.ContentType = DirMagicType
		return pipeline.OK
	}
	if r.ContentType == "" && r.Finfo != nil {
		ext := strings.TrimPrefix(path.Ext(r.Filename), ".")
		if t, ok := builtinTypes[strings.ToLower(ext)]; ok {
			r.ContentType = t
		}
	}
	return pipeline.OK
}

// overrideType applies ForceType and SetHandler (Apache's
// core_override_type, a REALLY_FIRST fixup), and refuses path info under
// AcceptPathInfo Off.
func overrideType(r *pipeline.Request) pipeline.Result {
	d := DirConfigOf(r.PerDir)
	if d == nil {
		return pipeline.Declined
	}
	if d.pathInfo == PathInfoOff && r.PathInfo != "" {
		logRequest(r, "File does not exist (AcceptPathInfo Off)", r.Filename+r.PathInfo)
		return 404
	}
	if d.ForceType != "" {
		r.ContentType = d.ForceType
	}
	if d.Handler != "" {
		r.Handler = d.Handler
	}
	return pipeline.Declined
}

// withDefaultCharset adds AddDefaultCharset's charset to a text/plain or
// text/html type that has none.
func withDefaultCharset(r *pipeline.Request, ct string) string {
	d := DirConfigOf(r.PerDir)
	if d == nil || d.DefaultCharset == "" || strings.Contains(ct, ";") {
		return ct
	}
	if ct == "text/plain" || ct == "text/html" {
		return ct + "; charset=" + d.DefaultCharset
	}
	return ct
}
