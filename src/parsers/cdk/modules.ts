/**
 * Symbol names for imports from the libraries fwlint reads. Every spelling of an import resolves to one dotted name,
 * so `ec2.SecurityGroup` from `aws-cdk-lib/aws-ec2`, `aws_ec2.SecurityGroup` from `aws-cdk-lib` and
 * `@aws-cdk/aws-ec2` (CDK v1) all become `cdk.aws_ec2.SecurityGroup`.
 */
export function moduleSymbol(specifier: string): string | undefined {
  const cleaned = specifier.replace(/\/index(?:\.[cm]?js)?$/, '');
  if (cleaned === 'aws-cdk-lib' || cleaned === '@aws-cdk/core') return 'cdk';
  const cdk = /^(?:aws-cdk-lib\/|@aws-cdk\/)([a-z0-9-]+)$/.exec(cleaned);
  if (cdk) return `cdk.${cdk[1]!.replace(/-/g, '_')}`;
  if (cleaned === 'constructs') return 'constructs';
  if (cleaned === 'cdktf') return 'cdktf';
  if (cleaned === '@pulumi/pulumi') return 'pulumi';
  if (cleaned === '@pulumi/aws') return 'pulumi-aws';
  const pulumi = /^@pulumi\/aws\/([a-zA-Z0-9]+)$/.exec(cleaned);
  if (pulumi) return `pulumi-aws.${pulumi[1]}`;
  if (cleaned === '@cdktf/provider-aws') return 'cdktf-aws';
  // `@cdktf/provider-aws/lib/security-group` exports the `securityGroup` namespace's members.
  const cdktf = /^@cdktf\/provider-aws\/lib\/([a-z0-9-]+)$/.exec(cleaned);
  if (cdktf) return `cdktf-aws.${cdktf[1]!.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())}`;
  return undefined;
}

/** Classes whose instances are stacks: the root of a construct path below the app. */
const STACK_CLASSES = new Set(['cdk.Stack', 'cdk.NestedStack', 'cdktf.TerraformStack']);
/** Classes taking `(scope, id)` whose instances are constructs (children of the scope in the construct tree). */
const CONSTRUCT_CLASSES = new Set(['constructs.Construct', 'cdk.Construct', 'cdk.Resource', 'cdk.Stage', 'cdktf.Resource']);
const APP_CLASSES = new Set(['cdk.App', 'cdktf.App']);

export type ClassRole = 'app' | 'stack' | 'construct' | 'other';

/** What instantiating a library class makes, for the construct path of what is created inside it. */
export function libraryClassRole(symbol: string): ClassRole {
  if (APP_CLASSES.has(symbol)) return 'app';
  if (STACK_CLASSES.has(symbol)) return 'stack';
  if (CONSTRUCT_CLASSES.has(symbol)) return 'construct';
  // CDK and CDKTF classes generally take (scope, id, props): L1 and L2 constructs, provider resources.
  if (symbol.startsWith('cdk.') || symbol.startsWith('cdktf-aws.') || symbol.startsWith('cdktf.')) return 'construct';
  return 'other';
}
