/**
 * pulumi-resource-random is ours: built by tools/engine/providers/random.ts from
 * the upstream Terraform provider through the Terraform bridge (Pulumi's own
 * pulumi-random modules and release binaries are out of reach). Its schema must
 * give the npm SDK @pulumi/random exactly the token and property names it sends,
 * and keep the password a secret. Outside CI a missing build skips; under
 * CI=true it fails.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { randomProviderDir, randomProviderVersions, readRandomProviderStamp } from "../../tools/engine/providers/random";
import { inCI } from "../support/tools";

interface Property {
  type?: string;
  secret?: boolean;
}
interface ResourceSpec {
  inputProperties: Record<string, Property>;
  properties: Record<string, Property>;
  requiredInputs?: string[];
}

const built = readRandomProviderStamp() !== undefined;
if (!built && inCI) {
  throw new Error(`pulumi-resource-random ${randomProviderVersions.release} is not built in ${randomProviderDir()}; run: npm run tools (.ci/run does)`);
}

const token = "random:index/randomPassword:RandomPassword";
const sdk = JSON.parse(readFileSync(join(__dirname, "../../node_modules/@pulumi/random/package.json"), "utf8")) as { version: string };

describe.skipIf(!built)(
  `pulumi-resource-random ${randomProviderVersions.release}, built from ${randomProviderVersions.upstream.module} through the Terraform bridge (not Pulumi's release binary)`,
  () => {
    const schemaFile = join(randomProviderDir(), "bin", "schema.json");
    const schema = built ? (JSON.parse(readFileSync(schemaFile, "utf8")) as { name: string; version: string; resources: Record<string, ResourceSpec> }) : undefined;

    it("serves the package and release of the installed @pulumi/random SDK", () => {
      expect(existsSync(join(randomProviderDir(), "bin", "pulumi-resource-random"))).toBe(true);
      expect(schema?.name).toBe("random");
      expect(schema?.version).toBe(sdk.version);
    });

    it(`maps random_password to the SDK's token ${token}`, () => {
      expect(Object.keys(schema?.resources ?? {})).toContain(token);
    });

    it("takes the inputs Watchpost gives RandomPassword, under the SDK's names", () => {
      const password = schema?.resources[token];
      expect(password?.requiredInputs).toEqual(["length"]);
      expect(password?.inputProperties.length?.type).toBe("integer");
      expect(password?.inputProperties.special?.type).toBe("boolean");
      for (const name of ["overrideSpecial", "minLower", "minUpper", "minNumeric", "minSpecial", "upper", "lower", "numeric", "keepers"]) {
        expect(password?.inputProperties, name).toHaveProperty(name);
      }
    });

    it("returns the password (result) and its bcryptHash as secret outputs", () => {
      const password = schema?.resources[token];
      expect(password?.properties.result).toMatchObject({ type: "string", secret: true });
      expect(password?.properties.bcryptHash).toMatchObject({ type: "string", secret: true });
    });
  },
);
