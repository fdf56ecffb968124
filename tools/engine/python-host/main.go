// Command pulumi-language-python is Watchpost's Python language host for the
// Pulumi engine: the part `pulumi package add` uses (generating a Python SDK
// from a package schema with Pulumi's own Python code generator, from the pkg
// module; linking it into the project's requirements.txt; installing the
// requirements into the project's virtualenv) and Run, which runs a program in
// that virtualenv through a small executor of ours (executor below), since the
// one upstream's host uses ships with that host, not with the `pulumi` wheel.
//
// Upstream's host (module github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3)
// is not served by the Go module proxy. Toolchains other than pip in a
// virtualenv, plugins written in Python, program dependencies and debugging
// are left to it.
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

	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"watchpost.local/tools/pulumi/hostrpc"
)

// version is the Pulumi release this host is built for (set with -ldflags -X).
var version = "dev"

type host struct {
	hostrpc.Base
}

func main() {
	flag.String("tracing", "", "accepted for compatibility; unused")
	flag.String("root", "", "project root (unused: the engine sends it with each request)")
	flag.Parse()
	hostrpc.Serve("pulumi-language-python", &host{Base: hostrpc.Base{EngineAddress: flag.Arg(0), Version: version}})
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
	venv, err := virtualenv(info)
	if err != nil {
		return err
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

// executor runs the program the way the engine asks (python -c executor <flags> <program>):
// it configures the Pulumi runtime with the engine's addresses and the stack's config,
// then runs the program's __main__.py inside the root stack resource.
const executor = `
import argparse, asyncio, json, os, runpy, signal, sys, traceback
import pulumi
import pulumi.runtime

parser = argparse.ArgumentParser()
for flag in ("monitor", "engine", "project", "stack", "organization", "root-directory"):
    parser.add_argument("--" + flag)
parser.add_argument("--parallel", type=int)
parser.add_argument("--dry-run", action="store_true")
parser.add_argument("program")
args = parser.parse_args()

pulumi.runtime.configure(pulumi.runtime.Settings(
    project=args.project, stack=args.stack, monitor=args.monitor, engine=args.engine,
    parallel=args.parallel, dry_run=args.dry_run, organization=args.organization,
    root_directory=args.root_directory))
pulumi.runtime.set_all_config(json.loads(os.environ.get("PULUMI_CONFIG", "{}")),
                              json.loads(os.environ.get("PULUMI_CONFIG_SECRET_KEYS", "[]")))

program = os.path.abspath(args.program)
sys.path.insert(0, program if os.path.isdir(program) else os.path.dirname(program))
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
try:
    loop.run_until_complete(pulumi.runtime.run_in_stack(lambda: runpy.run_path(program, run_name="__main__")))
except SystemExit:
    raise
except BaseException as error:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # After the engine has reported an error (a component's bad inputs) it shuts the
    # resource monitor down, and the program's pending calls fail with this message,
    # or interrupts the program: the cause is already on screen.
    if not isinstance(error, KeyboardInterrupt) and str(error) != "resource monitor shut down":
        message = str(error) if isinstance(error, pulumi.RunError) else "Program failed with an unhandled exception:\n" + traceback.format_exc()
        pulumi.log.error(message)
    sys.stdout.flush()
    sys.stderr.flush()
    # Exit without tearing down the event loop, whose pending calls would only add noise.
    os._exit(32)
loop.close()
`

// exitedAfterLoggingUserActionableMessage is the executor's exit code for "the error
// has already been reported to the engine".
const exitedAfterLoggingUserActionableMessage = 32

// virtualenv is the project's virtualenv folder (runtime option `virtualenv`), absolute.
func virtualenv(info *pulumirpc.ProgramInfo) (string, error) {
	venv := ""
	if info.GetOptions() != nil {
		venv, _ = info.GetOptions().AsMap()["virtualenv"].(string)
	}
	if venv == "" {
		return "", fmt.Errorf("%s: Pulumi.yaml sets no runtime option virtualenv; this host uses a virtualenv only: add `options: {virtualenv: venv}` under runtime", info.GetRootDirectory())
	}
	if !filepath.IsAbs(venv) {
		venv = filepath.Join(info.GetRootDirectory(), venv)
	}
	return venv, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	venv, err := virtualenv(req.GetInfo())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	python := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(python); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("%s does not exist; run: pulumi install", python)}, nil
	}
	values := req.GetConfig()
	if values == nil {
		values = map[string]string{}
	}
	config, err := json.Marshal(values)
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

	args := []string{"-u", "-c", executor, "--monitor", req.GetMonitorAddress()}
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("engine", h.EngineAddress)
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("organization", req.GetOrganization())
	add("root-directory", req.GetInfo().GetRootDirectory())
	if req.GetParallel() > 0 {
		add("parallel", fmt.Sprint(req.GetParallel()))
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, filepath.Join(req.GetInfo().GetProgramDirectory(), entry))

	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), "VIRTUAL_ENV="+venv, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secrets))
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == exitedAfterLoggingUserActionableMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run %s: %v", python, err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
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
