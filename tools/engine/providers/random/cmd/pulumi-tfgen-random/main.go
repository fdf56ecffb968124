// pulumi-tfgen-random writes the Pulumi schema and bridge-metadata.json of the
// bridged random provider: `pulumi-tfgen-random schema --skip-docs --out <dir>`.
package main

import (
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"watchpost.local/providers/random/info"
)

// version is set with -ldflags "-X main.version=…" by random.ts.
var version = "0.0.0"

func main() {
	pftfgen.Main("random", info.Provider(version, nil))
}
