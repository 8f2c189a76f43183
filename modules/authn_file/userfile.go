package authn_file

import (
	"bufio"
	"bytes"

	"gohttpd/modules/authn_file/htpasswd"
)

// userFile is a parsed htpasswd file.
type userFile struct {
	hashes map[string]string
	// standIn is checked for users the file does not list: the most
	// expensive hash in the file.
	standIn string
}

// parseUserFile reads Apache's htpasswd format.
func parseUserFile(data []byte) (*userFile, error) {
	uf := &userFile{hashes: map[string]string{}}
	best := -1
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		user, rest, _ := bytes.Cut(line, []byte{':'})
		hash, _, _ := bytes.Cut(rest, []byte{':'})
		u, h := string(user), string(hash)
		if _, seen := uf.hashes[u]; seen {
			continue
		}
		uf.hashes[u] = h
		if c := htpasswd.Cost(h); c > best {
			best, uf.standIn = c, h
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return uf, nil
}

// check verifies user's password; found is false for an unknown user,
// whose check still costs a hash computation.
func (uf *userFile) check(user, password string) (ok, found bool) {
	h, found := uf.hashes[user]
	if !found {
		if uf.standIn != "" {
			htpasswd.Verify(uf.standIn, password)
		}
		return false, false
	}
	return htpasswd.Verify(h, password), true
}
