/** The commented `.fwlint.yaml` that `fwlint init` writes. */
export const INIT_CONFIG = `# fwlint configuration: https://github.com/fwlint/fwlint#configuration-fwlintyaml
# Validated against schemas/fwlint-config.schema.json; an invalid file stops the scan with exit code 2.

# More rule packs (same schema as the built-in rules/), relative to this file.
# rulePacks: [./firewall-rules]

# Map firewall targets to vendor roles (see: fwlint profiles). Target ids are Terraform addresses,
# CloudFormation logical ids, netsh host names; * and ? globs are allowed.
# targets:
#   - match: ["aws_security_group.cvo"]
#     profile: netapp-cloud-manager/cvo
#     options: [ha]               # the pack's options
#     peers:                      # bind the role's symbolic peers to addresses
#       cloud-manager: ["10.0.1.0/24"]
#   - match: ["sds*"]
#     profile: dell-emc-scaleio/sds
#     phase: operate              # install | operate, for packs with phases; omit for both
#     parameters: { wmi-port: 30000 }   # the pack's port parameters (ScaleIO's WMI port, default 24158)
# An entry that matches no scanned target is reported (config/unmatched-target).

# Per-check settings: a severity, "off", or options.
# checks:
#   FW103: { maxPorts: 1024 }
#   FW104: { severity: note }

# Ports that may be open to the whole internet (FW101 is not raised for them).
# publicPorts: ["tcp/80", "tcp/443"]

# Lowest severity that fails the gate: critical | high | medium | low | note | none (default low).
# failOn: high

# Accepted findings; a reason is required, an expired entry stops suppressing and is reported.
# ignore:
#   - { check: FW101, target: "aws_security_group.lb", ports: "tcp/443", reason: "public web", expires: 2027-06-30 }
`;
