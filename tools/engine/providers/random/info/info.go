// Package info maps the Terraform random provider onto the Pulumi package that
// the npm SDK @pulumi/random drives: every resource random_<name> becomes
// random:index/random<Name>:Random<Name>, the tokens pulumi-random publishes, and
// properties keep the bridge's default camelCase names (override_special →
// overrideSpecial). Terraform's sensitive attributes (result, bcrypt_hash) become
// secret outputs without a mapping of ours.
package info

import (
	pfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"

	"github.com/terraform-providers/terraform-provider-random/shim"
)

// Provider describes the bridged provider. metadata is bridge-metadata.json as
// tfgen wrote it (nil while tfgen itself runs).
func Provider(version string, metadata []byte) tfbridge.ProviderInfo {
	prov := tfbridge.ProviderInfo{
		P:            pfbridge.ShimProvider(shim.NewProvider()),
		Name:         "random",
		Version:      version,
		Description:  "A Pulumi package to safely use randomness in Pulumi programs.",
		Keywords:     []string{"pulumi", "random"},
		License:      "Apache-2.0",
		Homepage:     "https://pulumi.io",
		Repository:   "https://github.com/pulumi/pulumi-random",
		GitHubOrg:    "hashicorp",
		Publisher:    "Pulumi",
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
	}
	// An empty Terraform prefix keeps "random_" in the name: random_password → RandomPassword.
	prov.MustComputeTokens(tokens.SingleModule("", "index", tokens.MakeStandard("random")))
	return prov
}
