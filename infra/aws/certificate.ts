/**
 * The ACM certificate for the ingress hosts (`ingress.tls: acm`): one
 * certificate for `*.<domain>` and `<domain>`, validated through DNS in the
 * configured Route 53 zone. Renewal is automatic while the record stays.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { IngressSpec } from "../../components/production/spec";
import { type AwsResourceOptions, childOptions } from "./options";
import type { Tags } from "./plan";

export interface CertificateNames {
  domainName: string;
  subjectAlternativeNames: string[];
}

/** Names on the certificate: the wildcard covers grafana., prometheus., alertmanager. and traces.; the apex rides along. */
export function certificateNames(domain: string): CertificateNames {
  return { domainName: `*.${domain}`, subjectAlternativeNames: [domain] };
}

/** Whether the stack creates an ACM certificate: a domain with tls acm. */
export function wantsAcmCertificate(ingress: Pick<IngressSpec, "domain" | "tls">): ingress is IngressSpec & { domain: string } {
  return !!ingress.domain && ingress.tls === "acm";
}

export function createCertificate(domain: string, zoneId: string, tags: Tags, opts: AwsResourceOptions): pulumi.Output<string> {
  const certificate = new aws.acm.Certificate("certificate", { ...certificateNames(domain), validationMethod: "DNS", tags }, childOptions(opts));
  // ACM asks for the same CNAME for `*.<domain>` and `<domain>`, so one record validates both names.
  const option = certificate.domainValidationOptions.apply((options) => {
    if (!options?.length) throw new Error(`ACM returned no DNS validation record for ${domain}`);
    return options[0];
  });
  const record = new aws.route53.Record(
    "certificate-validation-record",
    { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
    childOptions(opts),
  );
  const validation = new aws.acm.CertificateValidation("certificate-validation", { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] }, childOptions(opts));
  return validation.certificateArn;
}
