/**
 * What the drill sees: every notification the sinks received, read back into
 * (when, which channel, which alert group, firing or resolved), and a watcher
 * that records when each alert first reached Alertmanager and whether
 * Alertmanager held it back as inhibited.
 */
import type { HttpSink, SmtpSink } from "./sinks";

export interface Notification {
  at: number;
  /** `pagerduty`, `slack:#channel`, `email:address`, `webhook` or `heartbeat`. */
  channel: string;
  alertname: string;
  service?: string;
  status: "firing" | "resolved";
  /** The Alertmanager that sent it, where the payload says (webhook and heartbeat only). */
  sender?: string;
}

/** "[FIRING:2] HighErrorRate api (dev)" → parts; the title template of components/alerting/templates. */
export function parseTitle(title: string): { status: "firing" | "resolved"; alertname: string; service?: string } | undefined {
  const m = /^\[(FIRING|RESOLVED)(?::\d+)?\] (\S+)(?: (\S+))? \(/.exec(title);
  if (!m) return undefined;
  return { status: m[1] === "FIRING" ? "firing" : "resolved", alertname: m[2], service: m[3] };
}

/** Every notification received so far, oldest first. */
export function notificationsOf(http: HttpSink, smtp: SmtpSink): Notification[] {
  const out: Notification[] = [];
  for (const d of http.at("/slack")) {
    const t = parseTitle(d.body?.attachments?.[0]?.title ?? "");
    if (t) out.push({ at: d.at, channel: `slack:${d.body.channel}`, ...t });
  }
  // PagerDuty resolve events carry no payload: the dedup key ties them to their trigger.
  const triggers = new Map<string, { alertname: string; service?: string }>();
  for (const d of http.at("/pagerduty")) {
    if (d.body?.event_action === "trigger") {
      const t = parseTitle(d.body.payload?.summary ?? "");
      if (!t) continue;
      triggers.set(d.body.dedup_key, t);
      out.push({ at: d.at, channel: "pagerduty", ...t });
    } else if (d.body?.event_action === "resolve") {
      const t = triggers.get(d.body.dedup_key);
      if (t) out.push({ at: d.at, channel: "pagerduty", ...t, status: "resolved" });
    }
  }
  for (const path of ["/webhook", "/heartbeat"]) {
    for (const d of http.at(path)) {
      const labels = d.body?.groupLabels ?? {};
      out.push({
        at: d.at,
        channel: path.slice(1),
        alertname: labels.alertname ?? d.body?.commonLabels?.alertname ?? "?",
        service: labels.service,
        status: d.body?.status === "resolved" ? "resolved" : "firing",
        sender: d.body?.externalURL,
      });
    }
  }
  for (const mail of smtp.mails) {
    const subject = /^Subject: (.*)$/m.exec(mail.text)?.[1] ?? "";
    const t = parseTitle(subject);
    if (t) for (const to of mail.to) out.push({ at: mail.at, channel: `email:${to}`, ...t });
  }
  return out.sort((a, b) => a.at - b.at);
}

export interface AlertSighting {
  alertname: string;
  labels: Record<string, string>;
  /** When the drill first saw this episode of the alert in Alertmanager's API. */
  firstSeen: number;
  lastSeen: number;
  /** When Alertmanager first reported it suppressed by an inhibition, if ever. */
  firstInhibited?: number;
}

/**
 * Polls Alertmanager's v2 API (any replica that answers; resolved alerts are
 * not listed) and keeps every episode of every alert: from the poll that
 * first lists its label set to the last one that does.
 */
export class AlertmanagerWatcher {
  private readonly open = new Map<string, AlertSighting>();
  private readonly closed: AlertSighting[] = [];
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly urls: () => string[],
    private readonly everyMs = 200,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Episodes of one alert name that began at or after `since`. */
  seen(alertname: string, since: number): AlertSighting[] {
    return [...this.closed, ...this.open.values()].filter((s) => s.alertname === alertname && s.firstSeen >= since);
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const url of this.urls()) {
        try {
          const res = await fetch(`${url}/api/v2/alerts`, { signal: AbortSignal.timeout(1000) });
          const alerts = (await res.json()) as Array<{ labels: Record<string, string>; status: { inhibitedBy: string[] } }>;
          this.record(alerts, Date.now());
          return;
        } catch {
          // That replica may be the one a scenario killed; ask the next.
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private record(alerts: Array<{ labels: Record<string, string>; status: { inhibitedBy: string[] } }>, now: number): void {
    const listed = new Set<string>();
    for (const a of alerts) {
      const key = JSON.stringify(Object.entries(a.labels).sort());
      listed.add(key);
      const sighting = this.open.get(key) ?? { alertname: a.labels.alertname, labels: a.labels, firstSeen: now, lastSeen: now };
      sighting.lastSeen = now;
      if (sighting.firstInhibited === undefined && a.status.inhibitedBy.length > 0) sighting.firstInhibited = now;
      this.open.set(key, sighting);
    }
    for (const [key, sighting] of this.open) {
      if (listed.has(key)) continue;
      this.open.delete(key);
      this.closed.push(sighting);
    }
  }
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
  activeAt: string;
}

/** The alerts Prometheus holds right now (pending and firing). */
export async function prometheusAlerts(url: string): Promise<PrometheusAlert[]> {
  const res = await fetch(`${url}/api/v1/alerts`, { signal: AbortSignal.timeout(2000) });
  return ((await res.json()) as { data: { alerts: PrometheusAlert[] } }).data.alerts;
}

/** When the rule group holding `alertname` last evaluated, or undefined before its first evaluation. */
export async function lastEvaluationOf(url: string, alertname: string): Promise<number | undefined> {
  const res = await fetch(`${url}/api/v1/rules?type=alert`, { signal: AbortSignal.timeout(2000) });
  const groups = ((await res.json()) as { data: { groups: Array<{ lastEvaluation: string; rules: Array<{ name: string }> }> } }).data.groups;
  const group = groups.find((g) => g.rules.some((r) => r.name === alertname));
  const at = group ? Date.parse(group.lastEvaluation) : NaN;
  return Number.isFinite(at) && at > 0 ? at : undefined;
}
