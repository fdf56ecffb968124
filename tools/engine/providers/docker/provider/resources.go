// Package provider maps terraform-provider-docker onto the tokens and property
// names of the @pulumi/docker 5.2.0 SDK, so that SDK can drive a provider we build
// from Go modules ourselves (Pulumi's own provider module is not on the proxy).
package provider

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/terraform-providers/terraform-provider-docker/shim"
)

// Version is the @pulumi/docker release this provider answers for; the build sets
// it with -ldflags "-X .../provider.Version=..." from docker.ts's one constant.
var Version = "5.2.0"

// Both files are written by the tfgen step into this folder; the build starts
// them as "{}" so that tfgen itself compiles.
var (
	//go:embed bridge-metadata.json
	bridgeMetadata []byte
	//go:embed schema.json
	Schema []byte
)

// Provider is the bridge's description of the provider, shared by tfgen and the plugin.
func Provider() tfbridge.ProviderInfo {
	prov := tfbridge.ProviderInfo{
		P:            shimv2.NewProvider(shim.SDKProvider(Version)),
		Name:         "docker",
		Version:      Version,
		Description:  "A Pulumi package for interacting with Docker in Pulumi programs",
		Keywords:     []string{"pulumi", "docker"},
		License:      "Apache-2.0",
		Homepage:     "https://pulumi.io",
		Repository:   "https://github.com/pulumi/pulumi-docker",
		MetadataInfo: tfbridge.NewProviderMetadata(bridgeMetadata),
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {
				Default: &tfbridge.DefaultInfo{Value: "unix:///var/run/docker.sock", EnvVars: []string{"DOCKER_HOST"}},
			},
			// The SDK sends one list under this singular name.
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_container": {
				Tok:                 tfbridge.MakeResource("docker", "index", "Container"),
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					// One command line, not several: the SDK keeps the name singular.
					"command":           {Name: "command"},
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			"docker_image": {
				Tok:    tfbridge.MakeResource("docker", "index", "RemoteImage"),
				Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}},
			},
			"docker_network":        {Tok: tfbridge.MakeResource("docker", "index", "Network")},
			"docker_volume":         {Tok: tfbridge.MakeResource("docker", "index", "Volume")},
			"docker_config":         {Tok: tfbridge.MakeResource("docker", "index", "ServiceConfig")},
			"docker_registry_image": {Tok: tfbridge.MakeResource("docker", "index", "RegistryImage")},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_image": {Tok: tfbridge.MakeDataSource("docker", "index", "getRemoteImage")},
		},
	}
	// The rest (secret, service, plugin, tag, buildx builder and the data sources)
	// take the standard docker:index/<camel>:<Name> tokens, which are the SDK's too.
	prov.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard("docker")))
	prov.SetAutonaming(255, "-")
	return prov
}
