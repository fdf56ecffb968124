/**
 * The subset of Alertmanager's configuration file that Watchpost writes, typed
 * so the renderer cannot misspell a field. Field names follow alertmanager.yml
 * (snake_case) because these objects are serialised as they are.
 */

export interface AmSlackConfig {
  api_url_file: string;
  channel: string;
  send_resolved: boolean;
  title: string;
  text: string;
  color: string;
}

export interface AmEmailConfig {
  to: string;
  from: string;
  smarthost: string;
  require_tls: boolean;
  auth_username?: string;
  auth_password_file?: string;
  send_resolved: boolean;
  headers: Record<string, string>;
  html: string;
  text: string;
}

export interface AmPagerdutyConfig {
  routing_key_file: string;
  url?: string;
  send_resolved: boolean;
  description: string;
  severity: string;
  client: string;
  client_url: string;
  details: Record<string, string>;
}

export interface AmMsteamsV2Config {
  webhook_url_file: string;
  send_resolved: boolean;
  title: string;
  text: string;
}

export interface AmOpsgenieConfig {
  api_key_file: string;
  api_url?: string;
  send_resolved: boolean;
  message: string;
  description: string;
  priority: string;
  source: string;
  details: Record<string, string>;
}

export type AmWebhookConfig = ({ url_file: string } | { url: string }) & {
  send_resolved: boolean;
  /** 0: every alert of the group (Alertmanager's default). */
  max_alerts?: number;
};

export interface AmSnsConfig {
  topic_arn: string;
  api_url?: string;
  /** No access_key/secret_key here: those would put the credential in the file; `profile` names a mounted credentials file's. */
  sigv4: { region: string; profile?: string };
  send_resolved: boolean;
  subject: string;
  message: string;
}

export interface AmReceiver {
  name: string;
  slack_configs?: AmSlackConfig[];
  email_configs?: AmEmailConfig[];
  pagerduty_configs?: AmPagerdutyConfig[];
  opsgenie_configs?: AmOpsgenieConfig[];
  msteamsv2_configs?: AmMsteamsV2Config[];
  webhook_configs?: AmWebhookConfig[];
  sns_configs?: AmSnsConfig[];
}

export interface AmRoute {
  receiver?: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  mute_time_intervals?: string[];
  routes?: AmRoute[];
}

export interface AmInhibitRule {
  source_matchers: string[];
  target_matchers: string[];
  equal: string[];
}

export interface AmTimeRange {
  weekdays?: string[];
  times?: Array<{ start_time: string; end_time: string }>;
  days_of_month?: string[];
  months?: string[];
  years?: string[];
  location?: string;
}

export interface AmTimeInterval {
  name: string;
  time_intervals: AmTimeRange[];
}

export interface AmConfig {
  route: AmRoute;
  inhibit_rules: AmInhibitRule[];
  receivers: AmReceiver[];
  time_intervals?: AmTimeInterval[];
  templates: string[];
}

/** `name="value"` in Alertmanager's matcher syntax; JSON string escaping is what its parser expects. */
export function matchEq(label: string, value: string): string {
  return `${label}=${JSON.stringify(value)}`;
}

export function matchNotEq(label: string, value: string): string {
  return `${label}!=${JSON.stringify(value)}`;
}

export function matchRegex(label: string, pattern: string): string {
  return `${label}=~${JSON.stringify(pattern)}`;
}
