import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IntervalSet } from '../../src/model/interval-set';
import { PortSet } from '../../src/model/port-set';
import { describeTraffic } from '../../src/engine/traffic';
import { scan } from '../../src/pipeline/scan';

/*
 * QA-8 item 03: the vendor's basic outbound rules as the NetApp seed lists them ("All TCP", "All UDP": two rules)
 * are "the vendor's basic rule", each of them, as the protocol -1 rule of the predefined group ("opens all outbound
 * traffic") is. A rule to any address on some of a basic row's ports, or to a private range, is not.
 */
function fw202(egress: Array<[protocol: string, from: number, to: number, cidr: string]>): Array<[string | undefined, string]> {
  const blocks = egress.map(([protocol, from, to, cidr]) => `  egress {\n    from_port   = ${from}\n    to_port     = ${to}\n    protocol    = "${protocol}"\n    cidr_blocks = ["${cidr}"]\n  }`);
  const text = `# fwlint:profile netapp-cloud-manager/ha-mediator\nresource "aws_security_group" "mediator" {\n${blocks.join('\n')}\n}\n`;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-basic-rule-'));
  try {
    fs.writeFileSync(path.join(directory, 'main.tf'), text);
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-25' })
      .findings.filter((finding) => finding.checkId === 'FW202')
      .map((finding) => [finding.messageId, finding.message.replace(/^.*?: /, '').replace(/;.*/, '')]);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe("FW202 recognises the vendor's basic rule", () => {
  it('in each of the basic rows written as the seed lists them', () => {
    expect(fw202([['tcp', 0, 65535, '0.0.0.0/0'], ['udp', 0, 65535, '0.0.0.0/0']])).toEqual([
      ['basicRule', "this is the vendor's basic rule (tcp/all ports to 0.0.0.0/0)"],
      ['basicRule', "this is the vendor's basic rule (udp/all ports to 0.0.0.0/0)"],
    ]);
  });

  it('in the predefined group\'s all-traffic rule', () => {
    expect(fw202([['-1', 0, 0, '0.0.0.0/0']])).toEqual([['basicRule', "this is the vendor's basic rule (all traffic to 0.0.0.0/0)"]]);
  });

  it('not in a rule to part of the addresses or part of a row\'s ports', () => {
    expect(fw202([['tcp', 0, 65535, '10.0.0.0/8'], ['udp', 1, 65535, '0.0.0.0/0']]).map(([messageId]) => messageId)).toEqual(['excess', 'excess']);
  });
});

describe('counted rest of a long list', () => {
  it('says "1 more range", not "1 more ranges"', () => {
    const ports = PortSet.parse('1, 3, 5, 7, 9, 11, 13, 15, 17');
    expect(describeTraffic(IntervalSet.range(6n, 6n), ports, undefined, 8)).toBe('tcp/1, 3, 5, 7, 9, 11, 13, 15 and 1 more range');
  });
});
