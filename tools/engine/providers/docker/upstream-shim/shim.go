// Package shim is written by tools/engine/providers/docker.ts into its copy of
// terraform-provider-docker: the provider lives in internal/provider, which only
// a package inside that module may import, so this one-function package inside
// the copy hands it to the bridge.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// SDKProvider is upstream's SDKv2 provider, the part that holds docker_container,
// docker_image, docker_network and docker_volume (the plugin-framework part, with
// docker_compose and the actions, is not bridged).
func SDKProvider(version string) *schema.Provider { return provider.New(version)() }
