/**
 * IAM policy of the AWS Load Balancer Controller, as typed data.
 *
 * Follows the controller's documented policy (docs/install/iam_policy.json
 * in kubernetes-sigs/aws-load-balancer-controller): every mutating call on a
 * load balancer, target group or security group is allowed only on resources
 * tagged `elbv2.k8s.aws/cluster`, which the controller sets on what it
 * creates. Narrower than upstream where Watchpost does not use a feature:
 * no Cognito (sign-in is oauth2-proxy), no IAM server certificates (ACM
 * only), no WAF or Shield — the chart must turn those integrations off, see
 * `loadBalancerControllerFeatureValues`.
 */
import { type PolicyDocument, policy, type Statement } from "./policies";

/** Tag the controller puts on every load balancer, target group and security group it creates. */
export const clusterTagKey = "elbv2.k8s.aws/cluster";

/**
 * Chart values the policy below depends on: the controller otherwise calls
 * the WAF and Shield APIs for every ALB it reconciles.
 */
export const loadBalancerControllerFeatureValues = { enableShield: false, enableWaf: false, enableWafv2: false } as const;

const taggedByController = { Null: { [`aws:ResourceTag/${clusterTagKey}`]: "false" } };
const requestTagsController = { Null: { [`aws:RequestTag/${clusterTagKey}`]: "false" } };
/** Changing tags of a controller-owned resource, but never adding or removing the ownership tag itself. */
const keepsOwnershipTag = { Null: { [`aws:RequestTag/${clusterTagKey}`]: "true", [`aws:ResourceTag/${clusterTagKey}`]: "false" } };

const elb = (...actions: string[]) => actions.map((a) => `elasticloadbalancing:${a}`);
const ec2 = (...actions: string[]) => actions.map((a) => `ec2:${a}`);

const securityGroupArn = "arn:aws:ec2:*:*:security-group/*";
const loadBalancerArns = [
  "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
  "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*",
  "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*",
];
const listenerArns = [
  "arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*",
  "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
  "arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*",
  "arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
];

const statements: Statement[] = [
  {
    Sid: "ElbServiceLinkedRole",
    Effect: "Allow",
    Action: "iam:CreateServiceLinkedRole",
    Resource: "*",
    Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
  },
  {
    Sid: "Discover",
    Effect: "Allow",
    Action: [
      ...ec2(
        "DescribeAccountAttributes",
        "DescribeAddresses",
        "DescribeAvailabilityZones",
        "DescribeInternetGateways",
        "DescribeVpcs",
        "DescribeVpcPeeringConnections",
        "DescribeSubnets",
        "DescribeSecurityGroups",
        "DescribeInstances",
        "DescribeNetworkInterfaces",
        "DescribeTags",
        "DescribeRouteTables",
        "GetCoipPoolUsage",
        "DescribeCoipPools",
        "GetSecurityGroupsForVpc",
      ),
      ...elb(
        "DescribeLoadBalancers",
        "DescribeLoadBalancerAttributes",
        "DescribeListeners",
        "DescribeListenerCertificates",
        "DescribeListenerAttributes",
        "DescribeSSLPolicies",
        "DescribeRules",
        "DescribeTargetGroups",
        "DescribeTargetGroupAttributes",
        "DescribeTargetHealth",
        "DescribeTags",
        "DescribeTrustStores",
        "DescribeCapacityReservation",
      ),
    ],
    Resource: "*",
  },
  { Sid: "DiscoverCertificates", Effect: "Allow", Action: ["acm:ListCertificates", "acm:DescribeCertificate"], Resource: "*" },
  { Sid: "OpenNodeSecurityGroups", Effect: "Allow", Action: ec2("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress"), Resource: "*" },
  { Sid: "CreateSecurityGroup", Effect: "Allow", Action: ec2("CreateSecurityGroup"), Resource: "*" },
  {
    Sid: "TagNewSecurityGroup",
    Effect: "Allow",
    Action: ec2("CreateTags"),
    Resource: securityGroupArn,
    Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...requestTagsController },
  },
  { Sid: "RetagOwnSecurityGroups", Effect: "Allow", Action: ec2("CreateTags", "DeleteTags"), Resource: securityGroupArn, Condition: keepsOwnershipTag },
  {
    Sid: "ManageOwnSecurityGroups",
    Effect: "Allow",
    Action: ec2("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "DeleteSecurityGroup"),
    Resource: "*",
    Condition: taggedByController,
  },
  { Sid: "CreateTaggedLoadBalancers", Effect: "Allow", Action: elb("CreateLoadBalancer", "CreateTargetGroup"), Resource: "*", Condition: requestTagsController },
  { Sid: "ManageListenersAndRules", Effect: "Allow", Action: elb("CreateListener", "DeleteListener", "CreateRule", "DeleteRule"), Resource: "*" },
  { Sid: "RetagOwnLoadBalancers", Effect: "Allow", Action: elb("AddTags", "RemoveTags"), Resource: loadBalancerArns, Condition: keepsOwnershipTag },
  { Sid: "TagListenersAndRules", Effect: "Allow", Action: elb("AddTags", "RemoveTags"), Resource: listenerArns },
  {
    Sid: "ManageOwnLoadBalancers",
    Effect: "Allow",
    Action: elb(
      "ModifyLoadBalancerAttributes",
      "SetIpAddressType",
      "SetSecurityGroups",
      "SetSubnets",
      "DeleteLoadBalancer",
      "ModifyTargetGroup",
      "ModifyTargetGroupAttributes",
      "DeleteTargetGroup",
      "ModifyListenerAttributes",
      "ModifyCapacityReservation",
      "ModifyIpPools",
    ),
    Resource: "*",
    Condition: taggedByController,
  },
  {
    Sid: "TagOnCreate",
    Effect: "Allow",
    Action: elb("AddTags"),
    Resource: loadBalancerArns,
    Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, ...requestTagsController },
  },
  { Sid: "RegisterTargets", Effect: "Allow", Action: elb("RegisterTargets", "DeregisterTargets"), Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*" },
  {
    Sid: "ManageListenerCertificates",
    Effect: "Allow",
    Action: elb("ModifyListener", "AddListenerCertificates", "RemoveListenerCertificates", "ModifyRule"),
    Resource: "*",
  },
];

export function loadBalancerControllerPolicy(): PolicyDocument {
  return policy(...statements);
}
