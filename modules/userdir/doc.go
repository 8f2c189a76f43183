// Package userdir is mod_userdir: it maps "/~user/..." URLs to a
// directory of that user's (UserDir). The mapping runs in translate_name
// after mod_alias's and before the core's.
//
// Nothing is mapped until a UserDir directive names the directories. Each
// of its words is tried in order: a relative name ("public_html") is
// looked up in the user's home directory from the passwd database; an
// absolute path ("/home/www") has the user name appended; a path with a
// '*' ("/home/*/www") has the user name put in place of the '*'; a URL
// ("http://example.com/users", "http://example.com/*/www") answers with a
// 302 redirect there. The first directory that exists is used; the last
// is used anyway.
//
// The URL forms follow Apache's documentation rather than Apache 2.4.71,
// which ignores a URL without '*' and drops what follows the '*'
// ("http://example.com/*/usr" redirects /~bob/x to
// http://example.com/bob/usr/x here, to http://example.com/bob/x there).
//
// "UserDir disabled" turns the mapping off for every user not named by
// "UserDir enabled user…"; "UserDir disabled user…" turns it off for
// those users. Unlike Apache, root is always disabled unless a
// "UserDir enabled root" names it, so a configuration that forgets
// "UserDir disabled root" does not publish /root.
package userdir
