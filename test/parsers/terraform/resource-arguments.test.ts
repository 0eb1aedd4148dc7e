import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import { scan } from '../../../src/pipeline/scan';

function scanTf(files: Record<string, string>): ReturnType<typeof scan> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-tf-arguments-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
      fs.writeFileSync(path.join(directory, name), content);
    }
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-25', parse: { vars: {} } });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function peersOf(result: ReturnType<typeof scan>, targetId: string): string[] {
  return result.targets.find((target) => target.id === targetId)!.rules.map((rule) => describePeer(rule.peer));
}

function ingress(port: number, cidr: string): string {
  return `
  ingress {
    from_port   = ${port}
    to_port     = ${port}
    protocol    = "tcp"
    cidr_blocks = [${cidr}]
  }`;
}

// Regression (QA 18 item 05): `cidr_blocks = [aws_vpc.main.cidr_block]`, the everyday VPC-internal rule, was an
// unresolved peer (FW303, FW201 "cannot be confirmed") though the VPC writes its `cidr_block` literally.
describe('Terraform: an address argument a resource of the module writes is read where a rule names it', () => {
  it('reads a VPC, a subnet computed from it, a counted and a for_each instance', () => {
    const result = scanTf({
      'main.tf': `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
}
resource "aws_subnet" "counted" {
  count      = 2
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, 10 + count.index)
}
resource "aws_subnet" "named" {
  for_each   = { a = "10.0.20.0/24", b = "10.0.21.0/24" }
  cidr_block = each.value
}
resource "aws_security_group" "vm" {
${ingress(22, 'aws_vpc.main.cidr_block')}
${ingress(8080, 'aws_subnet.app.cidr_block')}
${ingress(8081, 'aws_subnet.counted[1].cidr_block')}
${ingress(8082, 'aws_subnet.named["b"].cidr_block')}
}
`,
    });
    expect(peersOf(result, 'aws_security_group.vm')).toEqual(['10.0.0.0/16', '10.0.1.0/24', '10.0.11.0/24', '10.0.21.0/24']);
    expect(result.findings.filter((finding) => finding.checkId === 'FW303')).toEqual([]);
  });

  it('leaves computed attributes, missing instances, arguments not written and values not known statically unresolved', () => {
    const result = scanTf({
      'main.tf': `
variable "cidr" {
  type = string
}
resource "aws_vpc" "main" {
  cidr_block = var.cidr
}
resource "aws_vpc" "ipam" {
  ipv4_ipam_pool_id = "ipam-pool-1"
}
resource "aws_subnet" "counted" {
  count      = 1
  cidr_block = "10.0.1.0/24"
}
resource "aws_instance" "bastion" {
  private_ip = "10.0.0.5"
}
resource "aws_security_group" "vm" {
${ingress(22, 'aws_vpc.main.cidr_block')}
${ingress(23, 'aws_vpc.ipam.cidr_block')}
${ingress(24, 'aws_subnet.counted[1].cidr_block')}
${ingress(25, '"${aws_instance.bastion.private_ip}/32"')}
}
`,
    });
    expect(peersOf(result, 'aws_security_group.vm')).toEqual([
      'unresolved aws_vpc.main.cidr_block',
      'unresolved aws_vpc.ipam.cidr_block',
      'unresolved aws_subnet.counted[1].cidr_block',
      'unresolved aws_instance.bastion.private_ip',
    ]);
  });
});
