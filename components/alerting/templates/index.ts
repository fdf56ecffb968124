/**
 * The notification template files, by name relative to the Alertmanager
 * config dir. All are written whatever channels are enabled, so enabling a
 * channel changes only alertmanager.yml.
 */
import { type TemplateLinks, commonTemplate } from "./common";
import { type CustomMessages, customMessagesTemplate } from "./custom";
import { emailTemplate } from "./email";
import { msteamsTemplate } from "./msteams";
import { opsgenieTemplate } from "./opsgenie";
import { pagerdutyTemplate } from "./pagerduty";
import { slackTemplate } from "./slack";
import { snsTemplate } from "./sns";

export type { TemplateLinks } from "./common";
export { type CustomMessages, customTemplateRef } from "./custom";

/** Template names referenced from alertmanager.yml, so a typo fails the type check, not a notification. */
export const templateRefs = {
  slackTitle: '{{ template "watchpost.slack.title" . }}',
  slackText: '{{ template "watchpost.slack.text" . }}',
  slackColor: '{{ template "watchpost.slack.color" . }}',
  emailSubject: '{{ template "watchpost.email.subject" . }}',
  emailHtml: '{{ template "watchpost.email.html" . }}',
  emailText: '{{ template "watchpost.email.text" . }}',
  pagerdutyDescription: '{{ template "watchpost.pagerduty.description" . }}',
  pagerdutySeverity: '{{ template "watchpost.pagerduty.severity" . }}',
  pagerdutyAlerts: '{{ template "watchpost.pagerduty.alerts" . }}',
  msteamsTitle: '{{ template "watchpost.msteams.title" . }}',
  msteamsText: '{{ template "watchpost.msteams.text" . }}',
  opsgenieMessage: '{{ template "watchpost.opsgenie.message" . }}',
  opsgenieDescription: '{{ template "watchpost.opsgenie.description" . }}',
  opsgeniePriority: '{{ template "watchpost.opsgenie.priority" . }}',
  snsSubject: '{{ template "watchpost.sns.subject" . }}',
  snsMessage: '{{ template "watchpost.sns.message" . }}',
  silenceUrl: '{{ template "watchpost.silenceUrl" . }}',
} as const;

export function renderTemplateFiles(links: TemplateLinks, custom: readonly CustomMessages[] = []): Record<string, string> {
  const own = customMessagesTemplate(custom);
  return {
    "templates/common.tmpl": commonTemplate(links),
    "templates/slack.tmpl": slackTemplate,
    "templates/email.tmpl": emailTemplate,
    "templates/pagerduty.tmpl": pagerdutyTemplate,
    "templates/msteams.tmpl": msteamsTemplate,
    "templates/opsgenie.tmpl": opsgenieTemplate,
    "templates/sns.tmpl": snsTemplate(links.environment),
    ...(own === undefined ? {} : { "templates/custom.tmpl": own }),
  };
}
