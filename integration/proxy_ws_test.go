package integration

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	be "encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// wsEchoServer is a minimal WebSocket server: it completes the handshake
// and echoes every frame (unmasked) until a close frame, which it echoes
// before closing.
func wsEchoServer(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				br := bufio.NewReader(c)
				key, upgrade := "", false
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					if line == "\r\n" {
						break
					}
					if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Sec-WebSocket-Key") {
						key = strings.TrimSpace(v)
					}
					if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Upgrade") && strings.EqualFold(strings.TrimSpace(v), "websocket") {
						upgrade = true
					}
				}
				if key == "" || !upgrade {
					io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
					return
				}
				fmt.Fprintf(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", wsAccept(key))
				for {
					op, payload, err := wsReadFrame(br)
					if err != nil {
						return
					}
					if _, err := c.Write(wsFrame(op, payload, false)); err != nil || op == 8 {
						return
					}
				}
			}(c)
		}
	}()
	return l.Addr().String()
}

// wsFrame builds a final frame; client frames are masked.
func wsFrame(op byte, payload []byte, masked bool) []byte {
	b := []byte{0x80 | op}
	mbit := byte(0)
	if masked {
		mbit = 0x80
	}
	switch n := len(payload); {
	case n < 126:
		b = append(b, mbit|byte(n))
	case n <= 0xffff:
		b = append(b, mbit|126, byte(n>>8), byte(n))
	default:
		b = append(b, mbit|127)
		b = be.BigEndian.AppendUint64(b, uint64(n))
	}
	if !masked {
		return append(b, payload...)
	}
	mask := [4]byte{0x12, 0x34, 0x56, 0x78}
	b = append(b, mask[:]...)
	for i, c := range payload {
		b = append(b, c^mask[i%4])
	}
	return b
}

func wsReadFrame(br *bufio.Reader) (op byte, payload []byte, err error) {
	var h [2]byte
	if _, err = io.ReadFull(br, h[:]); err != nil {
		return 0, nil, err
	}
	op = h[0] & 0x0f
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var e [2]byte
		if _, err = io.ReadFull(br, e[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(be.BigEndian.Uint16(e[:]))
	case 127:
		var e [8]byte
		if _, err = io.ReadFull(br, e[:]); err != nil {
			return 0, nil, err
		}
		n = be.BigEndian.Uint64(e[:])
	}
	var mask [4]byte
	masked := h[1]&0x80 != 0
	if masked {
		if _, err = io.ReadFull(br, mask[:]); err != nil {
			return 0, nil, err
		}
	}
	if n > 1<<24 {
		return 0, nil, fmt.Errorf("frame of %d bytes", n)
	}
	payload = make([]byte, n)
	if _, err = io.ReadFull(br, payload); err != nil {
		return 0, nil, err
	}
	if masked {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return op, payload, nil
}

func TestProxyWebSocketEcho(t *testing.T) {
	ws := wsEchoServer(t)
	s := proxySite(t, `ProxyPass = ["/ws/ ws://{WS}/", "/wsh/ http://{WS}/ upgrade=websocket", "/plain/ http://{WS}/plain/"]`+"\n",
		map[string]string{"{WS}": ws})

	for _, path := range []string{"/ws/chat", "/wsh/chat"} {
		t.Run(path, func(t *testing.T) {
			c, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
			require.NoError(t, err)
			defer c.Close()
			c.SetDeadline(time.Now().Add(15 * time.Second))
			key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))
			fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", path, key)
			br := bufio.NewReader(c)
			line, err := br.ReadString('\n')
			require.NoError(t, err)
			require.Equal(t, "HTTP/1.1 101 Switching Protocols\r\n", line)
			hdr := map[string]string{}
			for {
				l, err := br.ReadString('\n')
				require.NoError(t, err)
				if l == "\r\n" {
					break
				}
				k, v, _ := strings.Cut(l, ":")
				hdr[strings.ToLower(k)] = strings.TrimSpace(v)
			}
			assert.Equal(t, wsAccept(key), hdr["sec-websocket-accept"])
			assert.True(t, strings.EqualFold(hdr["upgrade"], "websocket"))
			assert.True(t, strings.EqualFold(hdr["connection"], "upgrade"))

			big := strings.Repeat("0123456789", 7000)
			for _, msg := range []string{"hello proxy", "second", big} {
				_, err := c.Write(wsFrame(1, []byte(msg), true))
				require.NoError(t, err)
				op, payload, err := wsReadFrame(br)
				require.NoError(t, err)
				assert.Equal(t, byte(1), op)
				assert.Equal(t, msg, string(payload))
			}
			_, err = c.Write(wsFrame(8, []byte{0x03, 0xe8}, true))
			require.NoError(t, err)
			op, _, err := wsReadFrame(br)
			require.NoError(t, err)
			assert.Equal(t, byte(8), op, "the close frame comes back")
			_, err = br.ReadByte()
			assert.ErrorIs(t, err, io.EOF, "the tunnel closes after the backend does")
		})
	}

	t.Run("frame sent with the request head", func(t *testing.T) {
		// A client that does not wait for 101: the frame arrives in the
		// same segment as the head and is read ahead by the http module;
		// the tunnel must still forward it.
		c, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
		require.NoError(t, err)
		defer c.Close()
		c.SetDeadline(time.Now().Add(15 * time.Second))
		key := base64.StdEncoding.EncodeToString([]byte("fedcba9876543210"))
		head := fmt.Sprintf("GET /ws/chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", key)
		_, err = c.Write(append([]byte(head), wsFrame(1, []byte("eager"), true)...))
		require.NoError(t, err)
		br := bufio.NewReader(c)
		for {
			l, err := br.ReadString('\n')
			require.NoError(t, err)
			if l == "\r\n" {
				break
			}
		}
		op, payload, err := wsReadFrame(br)
		require.NoError(t, err)
		assert.Equal(t, byte(1), op)
		assert.Equal(t, "eager", string(payload))
	})

	t.Run("upgrade not allowed on a plain http worker", func(t *testing.T) {
		c, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
		require.NoError(t, err)
		defer c.Close()
		c.SetDeadline(time.Now().Add(15 * time.Second))
		fmt.Fprintf(c, "GET /plain/chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: eA==\r\nSec-WebSocket-Version: 13\r\n\r\n")
		status, _ := readResponse(t, bufio.NewReader(c))
		assert.Equal(t, 400, status, "without upgrade= the Upgrade header is not forwarded, so the backend refuses")
	})
}
