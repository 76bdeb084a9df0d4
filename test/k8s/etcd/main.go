// Command etcd is the etcd server built from go.etcd.io/etcd/server/v3 at the version
// kubernetes pins (see ../go.mod). It lives in its own module because etcd's dependency
// graph conflicts with kubernetes' (grpc, otel, ...).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
