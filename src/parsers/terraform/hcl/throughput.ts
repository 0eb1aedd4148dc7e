import { parseHcl } from './parser';

/**
 * Generates typical Terraform of about `approxChars` characters: security groups with inline ingress/egress
 * blocks, lists of CIDR strings, tags, standalone rules, locals and variables. Deterministic for a given size.
 */
export function syntheticTerraform(approxChars: number): string {
  const chunks: string[] = [];
  let size = 0;
  let n = 0;
  while (size < approxChars) {
    const port = 1000 + (n % 60000);
    const chunk = `# fwlint:profile demo/role-${n % 7}
resource "aws_security_group" "sg_${n}" {
  name        = "sg-${n}"
  description = "Security group ${n} for \${var.env}"
  vpc_id      = var.vpc_id

  ingress {
    description = "app port"
    from_port   = ${port}
    to_port     = ${port + 10}
    protocol    = "tcp"
    cidr_blocks = ["10.${n % 256}.0.0/16", "192.168.${n % 256}.0/24", "172.16.${n % 16}.0/20"]
  }

  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }

  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  tags = {
    Name        = "sg-${n}"
    Environment = var.env
    Owner       = "team-${n % 13}"
  }
}

resource "aws_security_group_rule" "extra_${n}" {
  type              = "ingress"
  security_group_id = aws_security_group.sg_${n}.id
  from_port         = ${port}
  to_port           = ${port}
  protocol          = "udp"
  cidr_blocks       = [for cidr in local.cidrs_${n % 5} : cidr if cidr != "0.0.0.0/0"]
}

locals {
  cidrs_${n} = concat(var.base_cidrs, ["10.${n % 256}.1.0/24"])
  enabled_${n} = var.env == "prod" ? true : length(var.base_cidrs) > ${n % 9}
}

`;
    chunks.push(chunk);
    size += chunk.length;
    n++;
  }
  return chunks.join('');
}

/**
 * Parses `text` `runs` times after one warm-up and returns the best rate in MB/s (UTF-16 length / 1e6).
 * Uses process CPU time (including GC threads), so a busy machine does not distort the figure the way wall time does.
 */
export function measureParseThroughput(text: string, runs = 5): number {
  parseHcl(text, 'bench.tf');
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    parseHcl(text, 'bench.tf');
    const used = process.cpuUsage(before);
    const seconds = (used.user + used.system) / 1e6;
    if (seconds < best) best = seconds;
  }
  return text.length / 1e6 / best;
}
