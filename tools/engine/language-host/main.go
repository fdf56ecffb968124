// Command pulumi-language-nodejs is Watchpost's Node.js language host for the
// Pulumi engine: it runs a Node.js or TypeScript Pulumi program through the
// program runner that ships in the `@pulumi/pulumi` npm package
// (`@pulumi/pulumi/cmd/run`), as upstream's host does.
//
// Upstream's host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// is not served by the Go module proxy, so this host implements the parts of the
// LanguageRuntime protocol that `pulumi preview`, `up`, `refresh` and `destroy`
// use: plugin info, the required packages (read from the program's
// package.json and node_modules) and Run; and, for `pulumi package get-schema`
// and `pulumi package add` of a TypeScript component provider (provider/),
// RunPlugin and a dependency check in place of InstallDependencies. Code
// generation, templates, installing dependencies and debugging are left to
// upstream's host.
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
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"watchpost.local/tools/pulumi/hostrpc"
)

// version is the @pulumi/pulumi release this host is built for (set with -ldflags -X).
var version = "dev"

// exitedAfterLoggingUserActionableMessage is the runner's exit code for "the error
// has already been reported to the engine" (@pulumi/pulumi/cmd/run/index.js).
const exitedAfterLoggingUserActionableMessage = 32

type host struct {
	hostrpc.Base
	tracing string
}

func main() {
	tracing := flag.String("tracing", "", "emit tracing to a Zipkin-compatible tracing endpoint")
	flag.String("root", "", "project root (unused: the engine sends it with each request)")
	flag.Bool("typescript", true, "accepted for compatibility; the runtime option `typescript` decides")
	flag.Parse()
	hostrpc.Serve("pulumi-language-nodejs", &host{Base: hostrpc.Base{EngineAddress: flag.Arg(0), Version: version}, tracing: *tracing})
}

type packageJSON struct {
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Version         string            `json:"version"`
	Pulumi          *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pkg packageJSON
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &pkg, nil
}

// projectRoot is the nearest directory at or above dir holding a package.json.
func projectRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "package.json")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no package.json at or above %s", dir)
		}
	}
}

// installedPackage finds name under the node_modules folders from dir upwards, as Node resolves it.
func installedPackage(dir, name string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules", filepath.FromSlash(name))
		if _, err := os.Stat(filepath.Join(candidate, "package.json")); err == nil {
			return candidate, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not installed at or above %s (run npm ci)", name, dir)
		}
	}
}

func programDirectory(info *pulumirpc.ProgramInfo) (string, error) {
	if info == nil || info.GetProgramDirectory() == "" {
		return "", errors.New("the engine sent no program directory")
	}
	return info.GetProgramDirectory(), nil
}

// dependency is one direct dependency of the project, as installed.
type dependency struct {
	name string
	pkg  *packageJSON
}

// dependencies reads the project's package.json (the nearest at or above the program
// directory) and the installed manifest of each direct dependency, sorted by name;
// devDependencies too when withDev is set.
func dependencies(info *pulumirpc.ProgramInfo, withDev bool) ([]dependency, error) {
	dir, err := programDirectory(info)
	if err != nil {
		return nil, err
	}
	root, err := projectRoot(dir)
	if err != nil {
		return nil, err
	}
	project, err := readPackageJSON(filepath.Join(root, "package.json"))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(project.Dependencies)+len(project.DevDependencies))
	for name := range project.Dependencies {
		names = append(names, name)
	}
	if withDev {
		for name := range project.DevDependencies {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	deps := make([]dependency, 0, len(names))
	for _, name := range names {
		installed, err := installedPackage(root, name)
		if err != nil {
			return nil, err
		}
		pkg, err := readPackageJSON(filepath.Join(installed, "package.json"))
		if err != nil {
			return nil, err
		}
		deps = append(deps, dependency{name: name, pkg: pkg})
	}
	return deps, nil
}

// GetRequiredPackages lists the resource packages among the project's direct
// dependencies, with the plugin name and version each npm package declares.
func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	deps, err := dependencies(req.GetInfo(), true)
	if err != nil {
		return nil, err
	}
	var packages []*pulumirpc.PackageDependency
	for _, dep := range deps {
		pkg := dep.pkg
		if pkg.Pulumi == nil || !pkg.Pulumi.Resource {
			continue
		}
		pluginName := pkg.Pulumi.Name
		if pluginName == "" {
			pluginName = strings.TrimPrefix(dep.name, "@pulumi/")
		}
		pluginVersion := pkg.Pulumi.Version
		if pluginVersion == "" {
			pluginVersion = pkg.Version
		}
		if pluginVersion != "" && !strings.HasPrefix(pluginVersion, "v") {
			pluginVersion = "v" + pluginVersion
		}
		packages = append(packages, &pulumirpc.PackageDependency{
			Kind:    "resource",
			Name:    pluginName,
			Version: pluginVersion,
			Server:  pkg.Pulumi.Server,
		})
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

func (h *host) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	resp, err := h.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{Info: req.GetInfo()})
	if err != nil {
		return nil, err
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(resp.GetPackages()))
	for _, p := range resp.GetPackages() {
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: p.GetName(), Kind: p.GetKind(), Version: p.GetVersion(), Server: p.GetServer()})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// runtimeEnv turns the project's runtime options into the variables the runner reads.
func runtimeEnv(info *pulumirpc.ProgramInfo) []string {
	options := map[string]any{}
	if info.GetOptions() != nil {
		options = info.GetOptions().AsMap()
	}
	typescript := true
	if v, ok := options["typescript"].(bool); ok {
		typescript = v
	}
	env := []string{"PULUMI_NODEJS_TYPESCRIPT=" + strconv.FormatBool(typescript)}
	if v, ok := options["tsconfig"].(string); ok && v != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}
	if v, ok := options["nodeargs"].(string); ok && v != "" {
		env = append(env, "NODE_OPTIONS="+strings.TrimSpace(os.Getenv("NODE_OPTIONS")+" "+v))
	}
	return env
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	dir, err := programDirectory(req.GetInfo())
	if err != nil {
		return nil, err
	}
	pulumiPackage, err := installedPackage(dir, "@pulumi/pulumi")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runner := filepath.Join(pulumiPackage, "cmd", "run")

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	args := []string{runner, "--monitor", req.GetMonitorAddress()}
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("engine", h.EngineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	add("root-directory", req.GetInfo().GetRootDirectory())
	add("tracing", h.tracing)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		add("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = dir
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), runtimeEnv(req.GetInfo())...)
	cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secrets))

	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == exitedAfterLoggingUserActionableMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node (%v); install Node.js", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("could not run node --version: %w", err)
	}
	node, _ := exec.LookPath("node")
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	deps, err := dependencies(req.GetInfo(), false)
	if err != nil {
		return nil, err
	}
	infos := make([]*pulumirpc.DependencyInfo, 0, len(deps))
	for _, dep := range deps {
		infos = append(infos, &pulumirpc.DependencyInfo{Name: dep.name, Version: dep.pkg.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: infos}, nil
}

func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// RunPlugin starts a Node.js or TypeScript plugin (a component provider: a folder
// with PulumiPlugin.yaml) through the plugin runner in `@pulumi/pulumi`
// (`@pulumi/pulumi/cmd/run-plugin`), streaming its output to the engine, which
// reads the provider's port from its first line of stdout.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	dir, err := programDirectory(req.GetInfo())
	if err != nil {
		return err
	}
	pulumiPackage, err := installedPackage(dir, "@pulumi/pulumi")
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	args := []string{filepath.Join(pulumiPackage, "cmd", "run-plugin"), dir}
	args = append(args, req.GetArgs()...)
	cmd := exec.CommandContext(server.Context(), "node", args...)
	// The runner reads tsconfig.json from its working directory: the plugin's own, wherever the CLI runs.
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, req.GetEnv()...), runtimeEnv(req.GetInfo())...)
	// The node process's output goes through writers (not file descriptors) so
	// that Node.js switching them to non-blocking mode cannot affect this process.
	cmd.Stdout = struct{ io.Writer }{stdout}
	cmd.Stderr = struct{ io.Writer }{stderr}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("plugin %s exited with non-zero exit code: %d", dir, exit.ExitCode())
		}
		return fmt.Errorf("could not run node for plugin %s (%v); install Node.js", dir, err)
	}
	return closer.Close()
}

// InstallDependencies installs nothing: a plugin or program in this repository
// uses the packages `npm ci` installed. It checks that `@pulumi/pulumi` and each
// dependency its package.json lists are installed, naming the first missing one
// and the fix.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	info := req.GetInfo()
	if info == nil {
		info = &pulumirpc.ProgramInfo{ProgramDirectory: req.GetDirectory()}
	}
	dir, err := programDirectory(info)
	if err != nil {
		return err
	}
	if _, err := installedPackage(dir, "@pulumi/pulumi"); err != nil {
		return err
	}
	deps, err := dependencies(info, false)
	if err != nil {
		return err
	}
	names := []string{"@pulumi/pulumi"}
	for _, dep := range deps {
		names = append(names, dep.name+"@"+dep.pkg.Version)
	}
	message := fmt.Sprintf("nothing to install: %s uses the packages npm ci installed (%s)\n", dir, strings.Join(names, ", "))
	return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte(message)})
}
