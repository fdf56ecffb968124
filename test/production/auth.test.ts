/**
 * oauth2-proxy's arguments, as the prod stack runs them in front of each UI.
 * Pure: the arguments are a function of the OIDC settings and the upstream.
 */
import { describe, expect, it } from "vitest";
import { oauth2ProxyArgs, prometheusAdminApiPath } from "../../components/production/auth";

const oidc = { issuerUrl: "https://id.example.com", clientId: "watchpost", emailDomains: ["example.com"] };
const prometheus = {
  role: "prometheus",
  host: "prometheus.m.example.com",
  upstream: "http://watchpost-kps-prometheus.monitoring.svc:9090/",
  blockedPaths: [prometheusAdminApiPath],
};
const alertmanager = { role: "alertmanager", host: "alertmanager.m.example.com", upstream: "http://alertmanager-operated.monitoring.svc:9093/" };
const upstreams = (args: string[]) => args.filter((a) => a.startsWith("--upstream=")).map((a) => a.slice("--upstream=".length));

describe("oauth2-proxy in front of Prometheus", () => {
  it("never forwards the TSDB admin API: /api/v1/admin/ is routed to a file upstream that does not exist, so every method gets 404", () => {
    const routes = upstreams(oauth2ProxyArgs(oidc, "m.example.com", prometheus));
    expect(routes).toEqual(["http://watchpost-kps-prometheus.monitoring.svc:9090/", "file:///api-v1-admin-is-not-served#/api/v1/admin/"]);
  });

  it("forwards everything to UIs without blocked paths", () => {
    expect(upstreams(oauth2ProxyArgs(oidc, "m.example.com", alertmanager))).toEqual(["http://alertmanager-operated.monitoring.svc:9093/"]);
  });

  it("refuses a blocked path that would not be a path prefix (oauth2-proxy matches a path without a trailing slash exactly)", () => {
    expect(() => oauth2ProxyArgs(oidc, "m.example.com", { ...prometheus, blockedPaths: ["/api/v1/admin"] })).toThrow(/"\/api\/v1\/admin" must start and end with \//);
  });
});

describe("who may sign in", () => {
  const emailDomains = (args: string[]) => args.filter((a) => a.startsWith("--email-domain="));

  it("lets in the listed email domains only", () => {
    expect(emailDomains(oauth2ProxyArgs({ ...oidc, emailDomains: ["example.com", "example.org"] }, "m.example.com", alertmanager))).toEqual([
      "--email-domain=example.com",
      "--email-domain=example.org",
    ]);
  });

  it("refuses an empty allow-list instead of turning it into every account", () => {
    expect(() => oauth2ProxyArgs({ ...oidc, emailDomains: [] }, "m.example.com", alertmanager)).toThrow(
      /is empty, which would let every account of https:\/\/id.example.com sign in; list the allowed email domains, or set allowAnyAccountOfIssuer/,
    );
  });

  it("lets every account of the issuer in only with the explicit opt-in", () => {
    expect(emailDomains(oauth2ProxyArgs({ ...oidc, emailDomains: [], allowAnyAccountOfIssuer: true }, "m.example.com", alertmanager))).toEqual(["--email-domain=*"]);
  });
});
