import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePeer, type ParseResult, type Rule } from '../../../src/model';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';
import { scan } from '../../../src/pipeline/scan';
import { scanFixture } from '../../helpers/scan-fixture';

/**
 * Regression (QA 06): a rule naming an AWS::EC2::PrefixList of the template (`!Ref PL`, `!GetAtt PL.PrefixListId`)
 * was a symbolic peer whatever the list's Entries held, so SSH from a list holding 0.0.0.0/0 passed. The peer is the
 * union of the entries' CIDRs where they are all known; otherwise it stays the symbolic list, as before.
 * Regression (QA 3 item 1): one unknown entry hid a known 0.0.0.0/0 one. The known entries are a lower bound of the
 * list, each unknown entry an unknown peer (FW303).
 */
const FIXTURE = 'cloudformation/cases/prefix-list-entries.yaml';

function parse(relative: string): ParseResult {
  const path = `fixtures/${relative}`;
  const absolutePath = join(__dirname, '../../..', path);
  return cloudFormationParser.parse([{ path, absolutePath, text: readFileSync(absolutePath, 'utf8'), encoding: 'utf-8' }], { vars: {}, varFiles: [], params: {} });
}

/** Rule id, ports and peer: the CIDRs for a resolved list, the symbolic list otherwise. */
function peerOf(rule: Rule): string {
  const { peer } = rule;
  return `${rule.id} ${rule.ports.toString()} ${peer.kind === 'addresses' ? `${describePeer(peer)} = ${peer.addresses.toString()}` : describePeer(peer)}`;
}

describe('CloudFormation prefix lists of the template', () => {
  const result = parse(FIXTURE);

  it('resolves a list whose entries are known, and keeps the others symbolic', () => {
    expect(result.targets.flatMap((target) => target.rules).map(peerOf)).toEqual([
      // A list created under IsProd is known where the rule names it under IsProd.
      'AppSG.SecurityGroupIngress[0]?IsProd=false 22 prefix list pl-0123abcd',
      'AppSG.SecurityGroupIngress[0]?IsProd=true 22 prefix list ProdList = 0.0.0.0/0',
      // An imported CIDR: an unknown peer (FW303). No Entries (filled elsewhere) and an invalid CIDR: the list as named.
      'AppSG.SecurityGroupIngress[1] 80 unresolved !ImportValue shared-cidr',
      'AppSG.SecurityGroupIngress[2] 81 prefix list FilledElsewhere',
      // An entry under a condition only the list uses: the rule is read under each side of it (QA 3 item 1).
      'AppSG.SecurityGroupIngress[3]?IsEu=false 82 prefix list RegionalList = 10.0.0.0/8',
      'AppSG.SecurityGroupIngress[3]?IsEu=true 82 prefix list RegionalList = 0.0.0.0/0',
      'AppSG.SecurityGroupIngress[4] 83 prefix list HostBitsList',
      // A known world-open entry beside an unknown one (QA 3 item 1: it was hidden).
      'AppSG.SecurityGroupIngress[5] 84 prefix list MixedList = 0.0.0.0/0',
      'AppSG.SecurityGroupIngress[5]#1 84 unresolved !ImportValue office-cidr',
      'AppSG.SecurityGroupEgress[0]?IsProd=false 443 prefix list ProdList',
      'AppSG.SecurityGroupEgress[0]?IsProd=true 443 prefix list ProdList = 0.0.0.0/0',
    ]);
  });

  it('reports an invalid entry CIDR at the entry, once', () => {
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}:${d.range?.startColumn} ${d.message}`)).toEqual([
      'error parse/cfn-bad-cidr 48:25 HostBitsList.Entries[0].Cidr: "10.0.0.1/8" has host bits set (network address is 10.0.0.0/8)',
    ]);
  });

  it('reports the known world-open entries (FW101) and each unknown entry (FW303)', () => {
    const findings = scanFixture(FIXTURE).findings;
    expect(findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine} ${finding.message}`)).toEqual([
      'FW303 26 AppSG: ImportedList.Entries[0].Cidr of rule AppSG.SecurityGroupIngress[1] could not be resolved statically (!ImportValue shared-cidr); the rule was checked only as far as it is known',
      'FW101 54 AppSG allows ingress from 0.0.0.0/0 on tcp/22 (when IsProd=true)',
      'FW101 57 AppSG allows ingress from 0.0.0.0/0 on tcp/82 (when IsEu=true)',
      'FW101 59 AppSG allows ingress from 0.0.0.0/0 on tcp/84',
      'FW303 70 AppSG: MixedList.Entries[1].Cidr of rule AppSG.SecurityGroupIngress[5] (inbound tcp/84) could not be resolved statically (!ImportValue office-cidr); the rule was checked only as far as it is known',
    ]);
    const mixed = scanFixture(FIXTURE).targets[0]!.rules.find((rule) => rule.id === 'AppSG.SecurityGroupIngress[5]')!;
    expect(mixed.peer.kind === 'addresses' && mixed.peer.isLowerBound).toBe(true);
  });

  it('gives findings the prefix list as a related location, with its name for SARIF', () => {
    const result = scanFixture('checks/FW101/cloudformation/bad-ssh-from-world-prefix-list.yaml');
    const [ssh] = result.findings;
    expect(ssh!.relatedLocations.map((location) => `${location.file}:${location.range.startLine}`)).toEqual([
      'fixtures/checks/FW101/cloudformation/bad-ssh-from-world-prefix-list.yaml:17',
      'fixtures/checks/FW101/cloudformation/bad-ssh-from-world-prefix-list.yaml:8',
    ]);
    expect(ssh!.peerDefinitions).toEqual([{ location: ssh!.relatedLocations[1], name: 'prefix list AdminList' }]);
  });

  // Regression (QA-13 04): the parameters of a list's entries were not read per value, as those of the rule's own
  // properties are: an entry `Cidr: !Ref AdminCidr` with AllowedValues [10.0.0.0/8, 0.0.0.0/0] was only an FW303 note.
  it('reads an entry from a parameter with few values once per value, with the rule\'s own per-value parameters', () => {
    const template = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  AdminCidr: {Type: String, AllowedValues: [10.0.0.0/8, 0.0.0.0/0]}',
      '  Env: {Type: String, AllowedValues: [prod, dev]}',
      'Mappings:',
      '  Ports:',
      '    prod: {Admin: 22}',
      '    dev: {Admin: 3389}',
      'Resources:',
      '  Pl:',
      '    Type: AWS::EC2::PrefixList',
      '    Properties: {PrefixListName: admins, AddressFamily: IPv4, MaxEntries: 2, Entries: [{Cidr: !Ref AdminCidr}]}',
      '  SG:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: t',
      '      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]',
      '      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 80, ToPort: 80, SourcePrefixListId: !Ref Pl}]',
      '  Rule:',
      '    Type: AWS::EC2::SecurityGroupIngress',
      '    Properties:',
      '      GroupId: !Ref SG',
      '      IpProtocol: tcp',
      '      FromPort: !FindInMap [Ports, !Ref Env, Admin]',
      '      ToPort: !FindInMap [Ports, !Ref Env, Admin]',
      '      SourcePrefixListId: !GetAtt Pl.PrefixListId',
      '',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-prefix-list-'));
    writeFileSync(join(dir, 'stack.yaml'), template);
    const scanned = scan({ paths: ['stack.yaml'], cwd: dir, today: '2026-11-25' });
    expect(scanned.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine} ${finding.message} @${finding.relatedLocations.map((location) => location.range.startLine).join(',')}`)).toEqual([
      'FW101 18 SG allows ingress from 0.0.0.0/0 on tcp/80 (when AdminCidr=0.0.0.0/0) @13,10',
      'FW101 26 SG allows ingress from 0.0.0.0/0 on tcp/22 (when Env=prod, AdminCidr=0.0.0.0/0) @13,10',
      'FW101 26 SG allows ingress from 0.0.0.0/0 on tcp/3389 (when Env=dev, AdminCidr=0.0.0.0/0) @13,10',
    ]);
  });
});
