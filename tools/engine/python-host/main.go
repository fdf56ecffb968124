// Command pulumi-language-python is Watchpost's Python language host for the
// Pulumi engine, so far only the part `pulumi package add` uses: generating a
// Python SDK from a package schema (Pulumi's own Python code generator, from
// the pkg module), linking it into the project's requirements.txt and
// installing the requirements into the project's virtualenv.
//
// Upstream's host (module github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3)
// is not served by the Go module proxy. Running Python programs (Run) needs the
// program executor that ships with upstream's host, not with the `pulumi` wheel,
// and is not implemented: `pulumi preview` of a Python program fails here with
// Unimplemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is the Pulumi release this host is built for (set with -ldflags -X).
var version = "dev"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
}

func main() {
	flag.String("tracing", "", "accepted for compatibility; unused")
	flag.String("root", "", "project root (unused: the engine sends it with each request)")
	flag.Parse()

	cancel := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{})
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: could not start the language host: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GeneratePackage writes the Python SDK of a package schema into the request's directory.
func (h *host) GeneratePackage(_ context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("the package schema is not valid JSON: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, schema.NewCachedLoader(loader), schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, err := python.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), schema.NewCachedLoader(loader))
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		out := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(out, data, 0o600); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// Link adds each generated SDK's folder (relative to the project) to the project's
// requirements.txt, once, so that installing the requirements installs it.
func (h *host) Link(_ context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		return nil, errors.New("the engine sent no program directory")
	}
	file := filepath.Join(dir, "requirements.txt")
	data, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(data) == 0 {
		lines = nil
	}
	var imports []string
	for _, dep := range req.GetPackages() {
		line := filepath.ToSlash(dep.GetPath())
		if !strings.HasPrefix(line, ".") && !filepath.IsAbs(line) {
			line = "./" + line
		}
		if !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
		name := dep.GetPackage().GetName()
		imports = append(imports, fmt.Sprintf("import pulumi_%s as %s", strings.ReplaceAll(name, "-", "_"), strings.ReplaceAll(name, "-", "_")))
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{ImportInstructions: "You can then import the SDK in your Python code with:\n\n  " + strings.Join(imports, "\n  ") + "\n"}, nil
}

// InstallDependencies creates the project's virtualenv (runtime option `virtualenv`)
// when missing and installs requirements.txt into it with pip.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	venv := ""
	if info.GetOptions() != nil {
		venv, _ = info.GetOptions().AsMap()["virtualenv"].(string)
	}
	if venv == "" {
		return fmt.Errorf("%s: Pulumi.yaml sets no runtime option virtualenv; this host installs into a virtualenv only: add `options: {virtualenv: venv}` under runtime", dir)
	}
	if !filepath.IsAbs(venv) {
		venv = filepath.Join(dir, venv)
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	run := func(name string, args ...string) error {
		fmt.Fprintf(stdout, "$ %s %s\n", name, strings.Join(args, " "))
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Stdout = struct{ io.Writer }{stdout}
		cmd.Stderr = struct{ io.Writer }{stderr}
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
		}
		return nil
	}
	python := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(python); err != nil {
		if err := run("python3", "-m", "venv", venv); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "requirements.txt")); err == nil {
		if err := run(python, "-m", "pip", "install", "--disable-pip-version-check", "-r", "requirements.txt"); err != nil {
			return err
		}
	}
	return closer.Close()
}

func (h *host) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	// The packages a Python project uses are recorded in Pulumi.yaml by `pulumi package add`.
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}
