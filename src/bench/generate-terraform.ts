import { CorpusWriter, pad, type Corpus } from './corpus';
import { Prng, seedOf } from './prng';

export interface TerraformCorpusOptions {
  files: number;
  /** Files per folder: each folder is one Terraform root module (one parse unit). */
  filesPerFolder?: number;
}

/** The reference corpus of issue #10: 2,000 files of about 10 KB (≈ 19.5 MiB, ≈ 113k blocks). */
export const TERRAFORM_FILES_AT_SCALE_1 = 2000;

const PROTOCOLS = ['tcp', 'tcp', 'tcp', 'udp'] as const;
const SERVICES = [
  { name: 'https', port: 443 },
  { name: 'http', port: 80 },
  { name: 'ssh', port: 22 },
  { name: 'postgres', port: 5432 },
  { name: 'mysql', port: 3306 },
  { name: 'redis', port: 6379 },
  { name: 'app', port: 8080 },
  { name: 'metrics', port: 9100 },
  { name: 'dns', port: 53 },
  { name: 'ldap', port: 389 },
] as const;

/**
 * Writes Terraform like a real estate of root modules: per file, variables, locals with for-expressions, 5–7
 * `aws_security_group`s with 3–6 ingress blocks, egress and tags, one dynamic block, a standalone
 * `aws_security_group_rule` with `count` and a heredoc description, and outputs (≈ 10 KB, ≈ 56 blocks per file).
 * A few rules are world-open or duplicated so that the checks have findings to report.
 */
export function generateTerraform(root: string, options: TerraformCorpusOptions): Corpus {
  const writer = new CorpusWriter(root);
  const perFolder = options.filesPerFolder ?? 20;
  for (let index = 0; index < options.files; index++) {
    const folder = `stack-${pad(Math.floor(index / perFolder))}`;
    writer.write(`${folder}/network-${pad(index, 5)}.tf`, terraformFile(index));
  }
  return writer.corpus('terraform', `${perFolder} files per folder (one module each)`);
}

/** One generated `.tf` file; names carry the file index so files of one folder never collide. */
export function terraformFile(index: number): string {
  const random = new Prng(seedOf('terraform', index));
  const n = index;
  const octet = n % 250;
  const out: string[] = [];
  out.push(`# fwlint bench ${n}

variable "env_${n}" {
  type    = string
  default = "${random.pick(['prod', 'staging', 'dev'])}"
}

variable "vpc_id_${n}" {
  type    = string
  default = "vpc-${(0x10000000 + n * 7919).toString(16)}"
}

variable "office_cidrs_${n}" {
  type    = list(string)
  default = ["198.51.100.0/24", "203.0.113.0/24", "192.0.2.${(n % 8) * 32}/27"]
}

variable "app_port_${n}" {
  type    = number
  default = ${8000 + (n % 1000)}
}

locals {
  admin_cidrs_${n}  = [for cidr in var.office_cidrs_${n} : cidr if cidr != "0.0.0.0/0"]
  service_ports_${n} = { http = 80, https = 443, app = var.app_port_${n} }
  port_list_${n}    = [for name, port in local.service_ports_${n} : port]
  subnet_cidrs_${n} = [for i in range(3) : cidrsubnet("10.${octet}.0.0/16", 8, i)]
  common_tags_${n}  = {
    Environment = var.env_${n}
    Owner       = "team-${n % 17}"
    CostCenter  = "cc-${1000 + (n % 97)}"
    ManagedBy   = "terraform"
  }
}
`);
  const groups = random.int(5, 7);
  const dynamicGroup = random.int(0, groups - 1);
  for (let g = 0; g < groups; g++) out.push(securityGroup(random, n, g, octet, g === dynamicGroup));
  const ruleGroup = random.int(0, groups - 1);
  out.push(`
resource "aws_security_group_rule" "monitoring_${n}" {
  count             = ${random.int(2, 3)}
  type              = "ingress"
  security_group_id = aws_security_group.sg_${n}_${ruleGroup}.id
  from_port         = ${9100} + count.index
  to_port           = ${9100} + count.index
  protocol          = "tcp"
  cidr_blocks       = local.subnet_cidrs_${n}
  description       = <<-EOT
    Prometheus exporters of stack ${n}, one port per exporter.
    Scraped from the monitoring subnets only.
  EOT
}

resource "aws_security_group_rule" "egress_https_${n}" {
  type              = "egress"
  security_group_id = aws_security_group.sg_${n}_${ruleGroup}.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
`);
  for (let g = 0; g < groups; g++) {
    out.push(`
output "sg_${n}_${g}_id" {
  value = aws_security_group.sg_${n}_${g}.id
}
`);
  }
  return out.join('');
}

function securityGroup(random: Prng, n: number, g: number, octet: number, withDynamic: boolean): string {
  const lines: string[] = [];
  lines.push(`
resource "aws_security_group" "sg_${n}_${g}" {
  name        = "sg-${n}-${g}"
  description = "SG ${g} (\${var.env_${n}})"
  vpc_id      = var.vpc_id_${n}
`);
  const ingressCount = random.int(3, 6);
  for (let i = 0; i < ingressCount; i++) {
    const service = random.pick(SERVICES);
    const protocol = service.name === 'dns' ? 'udp' : random.pick(PROTOCOLS);
    const wide = random.chance(0.08);
    const from = service.port;
    const to = wide ? from + random.int(100, 2000) : from;
    const peers = random.chance(0.04)
      ? `["0.0.0.0/0"]`
      : random.chance(0.3)
        ? `local.admin_cidrs_${n}`
        : `["10.${octet}.${random.int(0, 255)}.0/24", "10.${octet}.${random.int(0, 255)}.0/24", "172.${16 + (g % 16)}.${random.int(0, 255)}.0/24"]`;
    lines.push(`
  ingress {
    description = "${service.name} from ${random.pick(['app', 'web', 'batch', 'admin', 'partner'])}"
    from_port   = ${from}
    to_port     = ${to}
    protocol    = "${protocol}"
    cidr_blocks = ${peers}
  }
`);
  }
  if (random.chance(0.5)) {
    lines.push(`
  ingress {
    description     = "from the load balancer"
    from_port       = var.app_port_${n}
    to_port         = var.app_port_${n}
    protocol        = "tcp"
    security_groups = [aws_security_group.sg_${n}_${(g + 1) % 5}.id]
  }
`);
  }
  if (withDynamic) {
    lines.push(`
  dynamic "ingress" {
    for_each = local.port_list_${n}
    content {
      description = "service port \${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.${octet}.0.0/16"]
    }
  }
`);
  }
  lines.push(`
  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  tags = merge(local.common_tags_${n}, {
    Name = "sg-${n}-${g}"
    Tier = "${random.pick(['web', 'app', 'data', 'ops'])}"
  })
}
`);
  return lines.join('');
}
