package mime

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// systemTypes is the types file used when TypesConfig is not given.
const systemTypes = "/etc/mime.types"

// loadTypes reads a mime.types file: "media/type ext ext ...", '#'
// comments. Extensions are lower-cased; a later line wins.
func loadTypes(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("could not open mime types config file: %w", err)
	}
	defer f.Close()
	types := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		ct := strings.ToLower(fields[0])
		for _, ext := range fields[1:] {
			types[strings.ToLower(ext)] = ct
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return types, nil
}

// defaultTypes returns the system table, or the built-in one when the
// system has none.
func defaultTypes() map[string]string {
	if t, err := loadTypes(systemTypes); err == nil {
		return t
	}
	return builtinTypes
}

// builtinTypes is used when no types file is available: the common web
// types as Debian's /etc/mime.types names them.
var builtinTypes = map[string]string{
	"html": "text/html", "htm": "text/html", "shtml": "text/html", "xhtml": "application/xhtml+xml",
	"css": "text/css", "js": "text/javascript", "mjs": "text/javascript", "json": "application/json",
	"xml": "application/xml", "xsl": "application/xslt+xml", "txt": "text/plain", "text": "text/plain",
	"asc": "text/plain", "conf": "text/plain", "log": "text/plain", "csv": "text/csv",
	"md": "text/markdown", "markdown": "text/markdown", "ics": "text/calendar", "vcf": "text/vcard",
	"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg",
	"gif": "image/gif", "svg": "image/svg+xml", "svgz": "image/svg+xml", "ico": "image/vnd.microsoft.icon",
	"webp": "image/webp", "avif": "image/avif", "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff",
	"pdf": "application/pdf", "ps": "application/postscript", "eps": "application/postscript",
	"wasm": "application/wasm", "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
	"mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "ogv": "video/ogg", "mpeg": "video/mpeg",
	"mov": "video/quicktime", "avi": "video/x-msvideo", "mkv": "video/x-matroska",
	"mp3": "audio/mpeg", "ogg": "audio/ogg", "oga": "audio/ogg", "opus": "audio/ogg", "wav": "audio/x-wav",
	"flac": "audio/flac", "m4a": "audio/mpeg", "aac": "audio/aac",
	"zip": "application/zip", "gz": "application/gzip", "tgz": "application/gzip", "bz2": "application/x-bzip2",
	"xz": "application/x-xz", "zst": "application/zstd", "tar": "application/x-tar", "7z": "application/x-7z-compressed",
	"rar": "application/x-rar-compressed", "jar": "application/java-archive", "deb": "application/vnd.debian.binary-package",
	"rpm": "application/x-redhat-package-manager", "iso": "application/x-iso9660-image",
	"doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"ppt": "application/vnd.ms-powerpoint", "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
	"rtf": "application/rtf", "epub": "application/epub+zip", "rss": "application/x-rss+xml", "atom": "application/atom+xml",
	"bin": "application/octet-stream", "exe": "application/x-msdos-program", "dmg": "application/x-apple-diskimage",
	"sh": "application/x-sh", "pl": "text/x-perl", "py": "text/x-python", "c": "text/x-csrc", "h": "text/x-chdr",
	"java": "text/x-java", "diff": "text/x-diff", "patch": "text/x-diff", "tex": "text/x-tex",
}
