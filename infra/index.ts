/**
 * The Pulumi program: `pulumi up --stack dev|prod`. Reads `watchpost:*` config,
 * validates it before any resource is created, and composes the stack.
 */
import * as pulumi from "@pulumi/pulumi";
import { readPulumiConfig } from "./config/load";
import { deployStack, withoutTraceForConfigErrors } from "./stack";

const config = new pulumi.Config("watchpost");
const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };

export = withoutTraceForConfigErrors(() => {
  // Pulumi runs the program in the project directory: dashboards.folders[].path is relative to it.
  const raw = readPulumiConfig(pulumi.runtime.allConfig(), (key) => runtime.isConfigSecret?.(key) ?? false, process.cwd());
  return deployStack(pulumi.getStack(), raw, (key) => config.requireSecret(key));
});
