package auth

import (
	"fmt"
	"strconv"

	"gohttpd/pipeline"
)

// LogError writes an error-log line about r under module's name, with the
// client's address, as Apache's ap_log_rerror: auth failures keep Apache's
// message texts and AH numbers so log watchers (fail2ban) match them.
func LogError(r *pipeline.Request, module, format string, args ...any) {
	if r == nil || r.Server == nil || r.Server.Log == nil {
		return
	}
	client := ""
	if r.Conn != nil {
		client = r.Conn.RemoteAddr
		if r.Conn.RemotePort != 0 {
			client += ":" + strconv.Itoa(r.Conn.RemotePort)
		}
	}
	r.Server.Log.ResetNamed(module).Error(fmt.Sprintf(format, args...), "client", client)
}
