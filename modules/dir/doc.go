// Package dir is gohttpd's mod_dir: requests for a directory are
// redirected to the slash form (DirectorySlash), answered by the first
// DirectoryIndex file that a sub-request finds servable, or left to
// mod_autoindex; requests for nothing at all can go to a
// FallbackResource. It works in the fixups hook, as Apache's does, and
// serves the index through a fast internal redirect: the request takes
// over the sub-request's mapping and the handler serves it.
package dir
