package autoindex

// Opt is a set of IndexOptions flags.
type Opt uint32

// The IndexOptions flags.
const (
	OptFancy            Opt = 1 << iota // FancyIndexing: preformatted columns
	OptTable                            // HTMLTable: a table instead of <pre>
	OptFoldersFirst                     // directories before files
	OptIgnoreCase                       // names sort case-insensitively
	OptSuppressColSort                  // headings are not sort links
	OptSuppressLastMod                  // no Last modified column
	OptSuppressSize                     // no Size column
	OptSuppressDesc                     // no Description column
	OptSuppressRules                    // no <hr> rules
	OptSuppressIcon                     // no icon column
	OptSuppressPreamble                 // an HTML HeaderName file replaces the preamble
	OptIgnoreClient                     // the query string is ignored
	OptVersionSort                      // digits in names sort as numbers
	OptIconsAreLinks                    // icons link to the entry as the name does
	OptScanHTMLTitles                   // descriptions from HTML files' <title>
	OptTrackModified                    // Last-Modified and ETag from the directory
	OptXHTML                            // XHTML 1.0 instead of HTML
	OptShowForbidden                    // entries answering 401/403 are listed
	OptAddAltClass                      // table rows' class names carry the alt text
)

var optNames = map[string]Opt{
	"fancyindexing": OptFancy, "htmltable": OptTable, "foldersfirst": OptFoldersFirst,
	"ignorecase": OptIgnoreCase, "suppresscolumnsorting": OptSuppressColSort,
	"suppresslastmodified": OptSuppressLastMod, "suppresssize": OptSuppressSize,
	"suppressdescription": OptSuppressDesc, "suppressrules": OptSuppressRules,
	"suppressicon": OptSuppressIcon, "suppresshtmlpreamble": OptSuppressPreamble,
	"ignoreclient": OptIgnoreClient, "versionsort": OptVersionSort,
	"iconsarelinks": OptIconsAreLinks, "scanhtmltitles": OptScanHTMLTitles,
	"trackmodified": OptTrackModified, "xhtml": OptXHTML, "showforbidden": OptShowForbidden,
	"addaltclass": OptAddAltClass,
}

// Apache's default column widths and the dimensions of its icons.
const (
	defaultNameWidth  = 23
	defaultDescWidth  = 23
	defaultIconWidth  = 20
	defaultIconHeight = 22
)

// widthMode says how NameWidth or DescriptionWidth was set.
type widthMode uint8

const (
	widthUnset  widthMode = iota // inherited, or Apache's default
	widthFixed                   // NameWidth=n, -NameWidth
	widthAdjust                  // NameWidth=*: as wide as the longest
)

// Config is mod_autoindex's per-directory record.
type Config struct {
	// Opts are the IndexOptions flags in force after merging.
	Opts Opt
	// optsSet is set when a plain (not +/-) keyword was given here: the
	// section's options then replace the inherited ones; otherwise its
	// optAdd and optRemove adjust them.
	optsSet           bool
	none              bool // IndexOptions None
	optAdd, optRemove Opt

	NameWidth, DescWidth int // column widths (23 unless set)
	nameMode, descMode   widthMode
	// IconWidth and IconHeight are the img attributes; 0 leaves them out.
	IconWidth, IconHeight int
	// Type and Charset make the Content-Type (IndexOptions Type= and
	// Charset=; text/html and ISO-8859-1 when unset). CharsetSet tells an
	// empty Charset= (no charset parameter) from none.
	Type       string
	Charset    string
	CharsetSet bool
	// OldDateFormat is IndexOptions UseOldDateFormat (02-Jan-2006 15:04).
	OldDateFormat bool

	// DefaultIcon, HeaderName, ReadmeName, IndexStyleSheet and
	// IndexHeadInsert, "" when unset.
	DefaultIcon, Header, Readme, StyleSheet, HeadInsert string

	// Icons and Alts are AddIcon*/AddAlt* rules, this section's first.
	Icons, Alts []item
	// Ignore holds IndexIgnore rules, this section's first; IgnoreReset
	// (IndexIgnoreReset On) stops the inherited ones.
	Ignore      []item
	IgnoreReset bool
	// Descriptions are AddDescription rules, this section's first.
	Descriptions []description
	// DefaultKey and DefaultDir are IndexOrderDefault ('N', 'A' when
	// unset).
	DefaultKey, DefaultDir byte
}

func newConfig(string) any {
	return &Config{NameWidth: defaultNameWidth, DescWidth: defaultDescWidth}
}

// merge combines a parent section's record with a child's as Apache's
// merge_autoindex_configs: scalars of the child win, rule lists are the
// child's followed by the parent's, and IndexOptions replace or adjust
// the inherited flags.
func merge(base, add any) any {
	b, a := base.(*Config), add.(*Config)
	out := *b
	str := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	str(&out.DefaultIcon, a.DefaultIcon)
	str(&out.Header, a.Header)
	str(&out.Readme, a.Readme)
	str(&out.StyleSheet, a.StyleSheet)
	str(&out.HeadInsert, a.HeadInsert)
	str(&out.Type, a.Type)
	if a.CharsetSet {
		out.Charset, out.CharsetSet = a.Charset, true
	}
	out.OldDateFormat = b.OldDateFormat || a.OldDateFormat
	if a.IconWidth != 0 {
		out.IconWidth = a.IconWidth
	}
	if a.IconHeight != 0 {
		out.IconHeight = a.IconHeight
	}
	out.Icons = concat(a.Icons, b.Icons)
	out.Alts = concat(a.Alts, b.Alts)
	out.Descriptions = concat(a.Descriptions, b.Descriptions)
	if a.IgnoreReset {
		out.Ignore = a.Ignore
	} else {
		out.Ignore = concat(a.Ignore, b.Ignore)
	}
	out.IgnoreReset = false

	switch {
	case a.none:
		// None here also stops inherited adjustments.
		out.Opts, out.optAdd, out.optRemove = 0, 0, 0
	case a.optsSet:
		// Plain flags here replace everything inherited, adjustments
		// included (Apache drops the section's own '+' and '-' ones too).
		out.Opts, out.optAdd, out.optRemove = a.Opts, 0, 0
	default:
		out.optAdd = (b.optAdd | a.optAdd) &^ a.optRemove
		out.optRemove = b.optRemove | a.optRemove
		out.Opts = (b.Opts | out.optAdd) &^ out.optRemove
	}
	out.optsSet, out.none = false, false

	if a.nameMode != widthUnset {
		out.NameWidth, out.nameMode = a.NameWidth, a.nameMode
	}
	if a.descMode != widthUnset {
		out.DescWidth, out.descMode = a.DescWidth, a.descMode
	}
	if a.DefaultKey != 0 {
		out.DefaultKey, out.DefaultDir = a.DefaultKey, a.DefaultDir
	}
	return &out
}

func concat[T any](first, then []T) []T {
	if len(then) == 0 {
		return first
	}
	if len(first) == 0 {
		return then
	}
	return append(append(make([]T, 0, len(first)+len(then)), first...), then...)
}
