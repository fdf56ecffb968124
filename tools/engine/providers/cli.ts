/**
 * npm run tools:docker-provider    build pulumi-resource-docker (cached), then print its path
 */
import { ToolBuildError } from "../../build";
import { buildDockerProvider } from "./docker";

try {
  const { binary, cached } = buildDockerProvider((line) => process.stderr.write(`${line}\n`));
  if (cached) process.stderr.write("pulumi-resource-docker: cached\n");
  process.stdout.write(`${binary}\n`);
} catch (err) {
  if (!(err instanceof ToolBuildError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
