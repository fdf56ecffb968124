// Package shim is copied by tools/engine/providers/random.ts into the wrapper's
// copy of github.com/terraform-providers/terraform-provider-random, as upstream/shim:
// the provider lives in upstream's internal/provider, which only a package inside
// that module may import.
package shim

import (
	pfprovider "github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// NewProvider is upstream's own constructor, the one its main.go serves.
func NewProvider() pfprovider.Provider {
	return provider.New()
}
