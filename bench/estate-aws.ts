/**
 * AWS side of the synthetic estate, per account: the instances of `aws ec2 describe-instances`,
 * the users and roles of `aws iam get-account-authorization-details`, and the rows of the IAM
 * credential report. Shapes follow what the AWS CLI v2 writes; every value is made up.
 */
import { cloudServerFacts, userArn, userName } from './estate-links.js';
import {
  accountId,
  countIn,
  daysBefore,
  dice,
  hexOf,
  instanceId,
  instanceName,
  ipOf,
  isServiceUser,
  macOf,
  personOf,
  placeOf,
  regionOf,
  type EstatePlan,
} from './estate-plan.js';

type Json = Record<string, unknown>;

function roleName(r: number): string {
  return `app-role-${String(r).padStart(7, '0')}`;
}

function profileArn(plan: EstatePlan, r: number): string {
  const acct = accountId(placeOf(plan, r).account);
  return `arn:aws:iam::${acct}:instance-profile/app-profile-${String(r).padStart(7, '0')}`;
}

function profileId(r: number): string {
  return `AIPA${hexOf(r, 26, 16).toUpperCase()}`;
}

/** The instance profile of role `r` as EC2 lists it on an instance. */
function instanceProfile(plan: EstatePlan, r: number): Json {
  return { Arn: profileArn(plan, r), Id: profileId(r) };
}

/** The role whose instance profile instance `i` runs with (60% of instances have one). */
export function roleOfInstance(plan: EstatePlan, i: number): number | undefined {
  const { account, local } = placeOf(plan, i);
  const roles = countIn(plan, plan.iamRoles, account);
  if (roles === 0 || local % 5 >= 3) return undefined;
  return (local % roles) * plan.accounts + account;
}

const tag = (Key: string, Value: string) => ({ Key, Value });

/** One instance as describe-instances lists it. */
export function instanceObject(plan: EstatePlan, i: number): Json {
  const { account, local } = placeOf(plan, i);
  const region = regionOf(account);
  const ip = ipOf(local, 20 + account % 200);
  const dns = `ip-${ip.replaceAll('.', '-')}.${region}.compute.internal`;
  const facts = cloudServerFacts(plan, i);
  const running = facts.running;
  const launched = daysBefore(1 + dice(i, 701) * 700);
  const vpc = `vpc-0${hexOf(account, 21, 16)}`;
  const subnet = `subnet-0${hexOf(account * 8 + (local % 8), 22, 16)}`;
  const sg = { GroupName: 'app-servers', GroupId: `sg-0${hexOf(account, 23, 16)}` };
  const role = roleOfInstance(plan, i);
  const tags = [tag('Name', instanceName(i)), tag('Environment', facts.tagEnvironment)];
  if (facts.tagOwner) tags.push(tag('Owner', facts.tagOwner));
  tags.push(tag('CostCenter', `CC-${4400 + (i % 40)}`), tag('Service', `svc-${i % 997}`));
  return {
    AmiLaunchIndex: 0,
    ImageId: `ami-0${hexOf(i % 50, 24, 16)}`,
    InstanceId: instanceId(i),
    InstanceType: ['t3.large', 'm6i.large', 'c6i.xlarge', 'r6i.large'][i % 4],
    LaunchTime: launched,
    Monitoring: { State: 'disabled' },
    Placement: {
      AvailabilityZone: `${region}${'abc'[local % 3]}`, GroupName: '', Tenancy: 'default',
    },
    PrivateDnsName: dns,
    PrivateIpAddress: ip,
    ProductCodes: [],
    PublicDnsName: '',
    State: running ? { Code: 16, Name: 'running' } : { Code: 80, Name: 'stopped' },
    StateTransitionReason: running ? '' : 'User initiated (2026-11-20 10:00:00 GMT)',
    SubnetId: subnet,
    VpcId: vpc,
    Architecture: 'x86_64',
    BlockDeviceMappings: [{
      DeviceName: '/dev/xvda',
      Ebs: { AttachTime: launched, DeleteOnTermination: true, Status: 'attached',
        VolumeId: `vol-0${hexOf(i, 25, 16)}` },
    }],
    ClientToken: '',
    EbsOptimized: true,
    EnaSupport: true,
    Hypervisor: 'xen',
    ...(role !== undefined ? { IamInstanceProfile: instanceProfile(plan, role) } : {}),
    NetworkInterfaces: [{
      Attachment: { AttachTime: launched, AttachmentId: `eni-attach-0${hexOf(i, 27, 16)}`,
        DeleteOnTermination: true, DeviceIndex: 0, Status: 'attached', NetworkCardIndex: 0 },
      Description: '', Groups: [sg], Ipv6Addresses: [], MacAddress: macOf(i, '06:0a'),
      NetworkInterfaceId: `eni-0${hexOf(i, 28, 16)}`, OwnerId: accountId(account),
      PrivateDnsName: dns, PrivateIpAddress: ip,
      PrivateIpAddresses: [{ Primary: true, PrivateDnsName: dns, PrivateIpAddress: ip }],
      SourceDestCheck: true, Status: 'in-use', SubnetId: subnet, VpcId: vpc,
      InterfaceType: 'interface',
    }],
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    SecurityGroups: [sg],
    SourceDestCheck: true,
    Tags: tags,
    VirtualizationType: 'hvm',
    CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
    MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled' },
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
  };
}

/** The instances of one account, in reservations of one to three. */
export function reservationsOf(plan: EstatePlan, account: number): Json[] {
  const out: Json[] = [];
  let batch: Json[] = [];
  const n = countIn(plan, plan.instances, account);
  for (let local = 0; local < n; local++) {
    const i = local * plan.accounts + account;
    batch.push(instanceObject(plan, i));
    if (batch.length >= 1 + Math.floor(dice(i, 702) * 3) || local === n - 1) {
      out.push({ Groups: [], Instances: batch, OwnerId: accountId(account),
        ReservationId: `r-0${hexOf(i, 29, 16)}` });
      batch = [];
    }
  }
  return out;
}

/** An IAM user as get-account-authorization-details lists it. */
export function userObject(plan: EstatePlan, u: number): Json {
  const { account } = placeOf(plan, u);
  const service = isServiceUser(u);
  const tags = service ? [tag('Type', 'service')] : [];
  const instances = countIn(plan, plan.instances, account);
  if (service && dice(u, 801) < 0.3 && instances > 0) {
    const i = Math.floor(dice(u, 802) * instances) * plan.accounts + account;
    tags.push(tag('RunsOn', instanceId(i)));
  }
  const policy = service ? `app-policy-${u % 5}` : undefined;
  return {
    Path: '/',
    UserName: userName(plan, u),
    UserId: `AIDA${hexOf(u, 31, 16).toUpperCase()}`,
    Arn: userArn(plan, u),
    CreateDate: userCreated(u),
    UserPolicyList: [],
    GroupList: service ? [] : ['developers'],
    AttachedManagedPolicies: policy
      ? [{ PolicyName: policy, PolicyArn: `arn:aws:iam::${accountId(account)}:policy/${policy}` }]
      : [],
    ...(tags.length > 0 ? { Tags: tags } : {}),
  };
}

export function userCreated(u: number): string {
  return daysBefore(60 + dice(u, 803) * 1500);
}

const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' },
    Action: 'sts:AssumeRole' }],
};

/** An IAM role with the instance profile that instances run with. */
export function roleObject(plan: EstatePlan, r: number): Json {
  const { account } = placeOf(plan, r);
  const acct = accountId(account);
  const created = daysBefore(30 + dice(r, 901) * 900);
  const role = { Path: '/', RoleName: roleName(r), RoleId: `AROA${hexOf(r, 32, 16).toUpperCase()}`,
    Arn: `arn:aws:iam::${acct}:role/${roleName(r)}`, CreateDate: created };
  const owner = dice(r, 902) < 0.5 ? [tag('Owner', personOf(plan, r, 903).email)] : [];
  return {
    ...role,
    AssumeRolePolicyDocument: EC2_TRUST,
    InstanceProfileList: [{
      Path: '/', InstanceProfileName: `app-profile-${String(r).padStart(7, '0')}`,
      InstanceProfileId: profileId(r), Arn: profileArn(plan, r),
      CreateDate: created, Roles: [{ ...role, AssumeRolePolicyDocument: EC2_TRUST }],
    }],
    RolePolicyList: [],
    AttachedManagedPolicies: [{ PolicyName: `app-policy-${r % 5}`,
      PolicyArn: `arn:aws:iam::${acct}:policy/app-policy-${r % 5}` }],
    ...(owner.length > 0 ? { Tags: owner } : {}),
    RoleLastUsed: { LastUsedDate: daysBefore(dice(r, 904) * 20), Region: regionOf(account) },
  };
}

/** The groups and managed policies around the users and roles of one account. */
export function accountExtras(account: number): Json {
  const acct = accountId(account);
  const policies = [0, 1, 2, 3, 4].map((p) => ({
    PolicyName: `app-policy-${p}`, PolicyId: `ANPA${hexOf(account * 5 + p, 33, 16).toUpperCase()}`,
    Arn: `arn:aws:iam::${acct}:policy/app-policy-${p}`, Path: '/', DefaultVersionId: 'v1',
    AttachmentCount: 1, IsAttachable: true, CreateDate: daysBefore(1000),
    PolicyVersionList: [{ Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow',
      Action: ['s3:GetObject'], Resource: `arn:aws:s3:::bucket-${p}/*` }] },
    VersionId: 'v1', IsDefaultVersion: true, CreateDate: daysBefore(1000) }],
  }));
  const groupId = `AGPA${hexOf(account, 34, 16).toUpperCase()}`;
  const group = { Path: '/', GroupName: 'developers', GroupId: groupId,
    Arn: `arn:aws:iam::${acct}:group/developers`, CreateDate: daysBefore(1200),
    GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess',
      PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] };
  return { GroupDetailList: [group], Policies: policies };
}

export function* usersOf(plan: EstatePlan, account: number): Generator<number> {
  for (let u = account; u < plan.iamUsers; u += plan.accounts) yield u;
}

export function* rolesOf(plan: EstatePlan, account: number): Generator<number> {
  for (let r = account; r < plan.iamRoles; r += plan.accounts) yield r;
}
