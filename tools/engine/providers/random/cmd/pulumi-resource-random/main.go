// pulumi-resource-random serves the bridged random provider to the Pulumi engine,
// with the schema and bridge metadata tfgen wrote beside this file embedded.
package main

import (
	"context"
	_ "embed"

	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"watchpost.local/providers/random/info"
)

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var bridgeMetadata []byte

// version is set with -ldflags "-X main.version=…" by random.ts.
var version = "0.0.0"

func main() {
	ctx := context.Background()
	prov := info.Provider(version, bridgeMetadata)
	pftfbridge.Main(ctx, "random", prov, pftfbridge.ProviderMetadata{PackageSchema: schema})
}
