import { CorpusWriter, pad, type Corpus } from './corpus';
import { Prng, seedOf } from './prng';

export interface CdkCorpusOptions {
  files: number;
}

export const CDK_FILES_AT_SCALE_1 = 250;

/**
 * Writes AWS CDK (v2) stacks in TypeScript: `ec2.SecurityGroup`s with `addIngressRule`/`addEgressRule` over
 * `ec2.Peer.ipv4(…)`, `ec2.Peer.anyIpv4()`, other groups and `ec2.Port.tcp/tcpRange/udp(…)`.
 */
export function generateCdk(root: string, options: CdkCorpusOptions): Corpus {
  const writer = new CorpusWriter(root);
  for (let index = 0; index < options.files; index++) {
    writer.write(`lib/stacks-${pad(Math.floor(index / 50), 3)}/network-stack-${pad(index, 5)}.ts`, cdkStack(index));
  }
  return writer.corpus('cdk');
}

export function cdkStack(index: number): string {
  const random = new Prng(seedOf('cdk', index));
  const octet = index % 250;
  const lines: string[] = [
    `import { Stack, StackProps } from 'aws-cdk-lib';`,
    `import * as ec2 from 'aws-cdk-lib/aws-ec2';`,
    `import { Construct } from 'constructs';`,
    ``,
    `const ADMIN_CIDR = '198.51.100.${(index % 8) * 32}/27';`,
    ``,
    `export class NetworkStack${index} extends Stack {`,
    `  constructor(scope: Construct, id: string, props?: StackProps) {`,
    `    super(scope, id, props);`,
    `    const vpc = ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: 'vpc-${(0x30000000 + index).toString(16)}' });`,
  ];
  const groups = random.int(5, 8);
  for (let g = 0; g < groups; g++) {
    const allowAllOutbound = random.chance(0.5);
    lines.push(``, `    const group${g} = new ec2.SecurityGroup(this, 'Group${g}', { vpc, description: 'group ${g}', allowAllOutbound: ${allowAllOutbound} });`);
    for (let i = random.int(3, 6); i > 0; i--) {
      const port = random.pick([22, 80, 443, 5432, 6379, 8080]);
      const peer = random.chance(0.05)
        ? 'ec2.Peer.anyIpv4()'
        : random.chance(0.3)
          ? 'ec2.Peer.ipv4(ADMIN_CIDR)'
          : `ec2.Peer.ipv4('10.${octet}.${random.int(0, 255)}.0/24')`;
      const portExpr = random.chance(0.1) ? `ec2.Port.tcpRange(${port}, ${port + random.int(10, 1000)})` : random.chance(0.15) ? `ec2.Port.udp(${port})` : `ec2.Port.tcp(${port})`;
      lines.push(`    group${g}.addIngressRule(${peer}, ${portExpr}, 'port ${port}');`);
    }
    if (g > 0) lines.push(`    group${g}.addIngressRule(group${g - 1}, ec2.Port.tcp(8443), 'from the previous tier');`);
    // CDK ignores egress rules of a group that allows all outbound traffic (and fwlint says so).
    if (!allowAllOutbound) lines.push(`    group${g}.addEgressRule(ec2.Peer.ipv4('10.${octet}.0.0/16'), ec2.Port.tcp(443));`);
  }
  lines.push(`  }`, `}`, ``);
  return lines.join('\n');
}
