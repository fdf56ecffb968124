/**
 * A hand-made AWS wiring for prod tests that name exact buckets and roles,
 * in place of what the mocked AWS side creates.
 */
import type { AwsWiring } from "../../components/production/wiring";

export const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;

export const handWiring: AwsWiring = {
  region: "eu-west-1",
  clusterName: "watchpost-prod",
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.30.0.0/16",
  loadBalancerCidrs: ["10.30.0.0/20", "10.30.16.0/20"],
  certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
  loadBalancerControllerRoleArn: role("lbc"),
  loki: { bucket: "wp-loki", region: "eu-west-1", roleArn: role("loki") },
  tempo: { bucket: "wp-tempo", region: "eu-west-1", roleArn: role("tempo") },
  backups: { bucket: "wp-backups", region: "eu-west-1", roleArn: role("backup") },
  remoteWrite: { url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: "eu-west-1", roleArn: role("prometheus") },
};
