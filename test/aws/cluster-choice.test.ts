import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { eksCluster } from "../../infra/aws/index";
import { requireRegion } from "../../infra/aws/plan";
import { prodConfig } from "./harness";

describe("choosing the cluster", () => {
  it("refuses a kubeconfig without cluster.name at config time, naming the key and why", () => {
    expect(() => prodConfig((v) => (v.cluster = { region: "eu-west-1" }), ["kubeconfig"])).toThrow(
      /watchpost:cluster\.name: is required even with a kubeconfig secret: .*OIDC provider, which is looked up by cluster name/,
    );
  });

  it("refuses it again when handed a config that skipped validation, before any resource exists", () => {
    const valid = prodConfig(() => {}, ["kubeconfig"]);
    const cfg = { ...valid, cluster: { ...valid.cluster, name: undefined } };
    expect(() => eksCluster(cfg, pulumi.secret("apiVersion: v1"))).toThrow(
      /watchpost:cluster\.name is required with the secret watchpost:kubeconfig.*set watchpost:cluster\.name to the EKS cluster's name/,
    );
  });

  it("names cluster.region when it is missing", () => {
    const cfg = prodConfig();
    expect(() => requireRegion({ cluster: { ...cfg.cluster, region: undefined } })).toThrow(/watchpost:cluster\.region is required on kubernetes/);
  });
});
