package integration

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Slow clients trickling their request heads must not stop a normal
// client from being served: heads are read without holding a worker slot.
// Apache 2.4 (prefork and event, 256 workers) serves no one in this test.
func TestSlowClientsDoNotStarveOthers(t *testing.T) {
	requireRoot(t)
	for _, threads := range []int{1, 8} {
		t.Run(fmt.Sprintf("ThreadsPerChild=%d", threads), func(t *testing.T) {
			conf := processConfWith(fmt.Sprintf("\nThreadsPerChild = %d\nThreadLimit = %d\nMaxRequestWorkers = 16\nServerLimit = 16\n", threads, threads))
			dir, port := site(t, conf)
			s := start(t, dir, port)

			const slow = 300
			var mu sync.Mutex
			var conns []net.Conn
			defer func() {
				mu.Lock()
				for _, c := range conns {
					c.Close()
				}
				mu.Unlock()
			}()
			for i := 0; i < slow; i++ {
				c, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
				require.NoError(t, err)
				fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n")
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
			stop := make(chan struct{})
			defer close(stop)
			go func() { // one more header line a second from each slow client
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Second):
					}
					mu.Lock()
					for _, c := range conns {
						fmt.Fprintf(c, "X-Slow: 1\r\n")
					}
					mu.Unlock()
				}
			}()
			time.Sleep(500 * time.Millisecond)
			for i := 0; i < 5; i++ {
				done := make(chan int, 1)
				go func() {
					status, _ := get(t, s.addr(), "/")
					done <- status
				}()
				select {
				case status := <-done:
					assert.Equal(t, 200, status)
				case <-time.After(10 * time.Second):
					t.Fatalf("a normal client was not served while %d slow clients trickle headers", slow)
				}
			}
		})
	}
}
