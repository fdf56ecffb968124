/**
 * The VPC of a created cluster: 2 zones, a public and a private subnet in
 * each, one NAT gateway. Subnets carry the tags the AWS Load Balancer
 * Controller discovers them by (`kubernetes.io/role/elb` for internet-facing
 * load balancers, `kubernetes.io/role/internal-elb` for internal ones).
 *
 * One NAT gateway (not one per zone) keeps the cost down (≈ $33/month plus
 * data); if its zone fails, nodes in the other zone lose egress until it
 * returns. Watchpost's own traffic stays in the VPC; egress is for image
 * pulls, AWS APIs and notifications.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type AwsResourceOptions, childOptions, invokeOptions } from "./options";
import { subnetCidrs, type Tags } from "./plan";

export const zoneCount = 2;

export interface ClusterNetwork {
  vpc: aws.ec2.Vpc;
  vpcId: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string>[];
  privateSubnetIds: pulumi.Output<string>[];
  /** CIDRs of the public subnets, where internet-facing load balancers live. */
  publicSubnetCidrs: string[];
  /** Resources that must exist before nodes can reach the internet. */
  egressReady: pulumi.Resource[];
}

export function subnetTags(kind: "public" | "private", tags: Tags, name: string): Tags {
  return { ...tags, Name: name, [kind === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1" };
}

export function createClusterNetwork(vpcCidr: string, tags: Tags, opts: AwsResourceOptions): ClusterNetwork {
  const cidrs = subnetCidrs(vpcCidr, zoneCount);
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, invokeOptions(opts));
  const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { ...tags, Name: "watchpost" } }, childOptions(opts));
  const igw = new aws.ec2.InternetGateway("internet-gateway", { vpcId: vpc.id, tags }, childOptions(opts));

  const subnet = (kind: "public" | "private", i: number) =>
    new aws.ec2.Subnet(
      `${kind}-subnet-${i}`,
      {
        vpcId: vpc.id,
        cidrBlock: cidrs[kind][i],
        availabilityZone: zones.names.apply((names) => names[i]),
        mapPublicIpOnLaunch: false,
        tags: subnetTags(kind, tags, `watchpost-${kind}-${i}`),
      },
      childOptions(opts),
    );
  const publicSubnets = cidrs.public.map((_, i) => subnet("public", i));
  const privateSubnets = cidrs.private.map((_, i) => subnet("private", i));

  const publicRoutes = new aws.ec2.RouteTable("public-routes", { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags }, childOptions(opts));
  publicSubnets.forEach((s, i) => {
    new aws.ec2.RouteTableAssociation(`public-subnet-${i}-routes`, { subnetId: s.id, routeTableId: publicRoutes.id }, childOptions(opts));
  });

  const natIp = new aws.ec2.Eip("nat-ip", { domain: "vpc", tags }, childOptions(opts));
  const nat = new aws.ec2.NatGateway("nat-gateway", { allocationId: natIp.id, subnetId: publicSubnets[0].id, tags }, childOptions(opts, { dependsOn: [igw] }));
  const privateRoutes = new aws.ec2.RouteTable("private-routes", { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags }, childOptions(opts));
  const privateAssociations = privateSubnets.map(
    (s, i) => new aws.ec2.RouteTableAssociation(`private-subnet-${i}-routes`, { subnetId: s.id, routeTableId: privateRoutes.id }, childOptions(opts)),
  );
  return {
    vpc,
    vpcId: vpc.id,
    publicSubnetIds: publicSubnets.map((s) => s.id),
    privateSubnetIds: privateSubnets.map((s) => s.id),
    publicSubnetCidrs: cidrs.public,
    egressReady: [nat, privateRoutes, ...privateAssociations],
  };
}
