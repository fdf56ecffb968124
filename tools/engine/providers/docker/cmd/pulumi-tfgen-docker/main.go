// Command pulumi-tfgen-docker writes the provider's Pulumi schema and bridge
// metadata (run as: pulumi-tfgen-docker schema --out <provider dir> --skip-docs --skip-examples).
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"

	"watchpost.local/tools/pulumi-resource-docker/provider"
)

func main() {
	tfgen.Main("docker", provider.Version, provider.Provider())
}
