/**
 * NGINX, from nginx-prometheus-exporter reading stub_status. stub_status has
 * no response codes, so the error signal here is connections NGINX accepted
 * but could not handle; 5xx ratios of services behind it come from the
 * service pack.
 */
import { jobs } from "../../model/conventions";
import { instanceText, num } from "../promql";
import type { RulePack } from "../types";

const nginx = `job="${jobs.nginx}"`;

export const nginxPack: RulePack = {
  id: "nginx",
  file: "nginx.rules.yml",
  dashboard: "infrastructure",
  enabledByDefault: (ctx) => ctx.exporters.nginx,
  groups: (ctx, t) => {
    const who = instanceText(ctx, "nginx");
    return [
      {
        name: "nginx-alerts",
        rules: [
          {
            alert: "NginxDown",
            expr: `nginx_up{${nginx}} == 0`,
            for: "1m",
            severity: "critical",
            summary: `NGINX ${who} is down`,
            description: `nginx-prometheus-exporter cannot read stub_status from ${who} for over a minute; NGINX is down or its status endpoint is unreachable.`,
          },
          {
            alert: "NginxDroppedConnections",
            expr:
              `(rate(nginx_connections_accepted{${nginx}}[5m]) - rate(nginx_connections_handled{${nginx}}[5m]))\n` +
              `/ (rate(nginx_connections_accepted{${nginx}}[5m]) > 0)\n> ${num(t.nginxErrorRatio)}`,
            for: "5m",
            severity: "critical",
            summary: `NGINX ${who} drops {{ $value | humanizePercentage }} of connections`,
            description: `${who} accepted connections it could not handle: {{ $value | humanizePercentage }} over 5 minutes (threshold ${num(t.nginxErrorRatio * 100)}%). It has hit worker_connections or a file-descriptor limit.`,
          },
        ],
      },
    ];
  },
};
