import type * as pulumi from "@pulumi/pulumi";
import type { PermittedFolder } from "./plan";

export interface GrafanaAccessArgs {
  /** Where `pulumi up` reaches Grafana's API, such as http://localhost:3000. Required. */
  url: pulumi.Input<string>;
  /** Grafana's admin user, who may manage teams and folder permissions. Required. */
  adminUser: pulumi.Input<string>;
  /** Its password; made a secret here if it is not one. Required. */
  adminPassword: pulumi.Input<string>;
  /** The provisioned team folders that have permissions. Required. */
  folders: PermittedFolder[];
  /** What must be up first: the Grafana that provisions the folders. @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}
