// Command pulumi-resource-docker is the resource plugin the Pulumi engine starts
// for @pulumi/docker: terraform-provider-docker served through the bridge.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	"watchpost.local/tools/pulumi-resource-docker/provider"
)

func main() {
	tfbridge.Main("docker", provider.Version, provider.Provider(), provider.Schema)
}
