import { linkConstructPaths } from '../../../src/parsers/cdk/link';
import type { ConstructLinks } from '../../../src/model/source-file';
import { scanFixture } from '../../helpers/scan-fixture';

/**
 * Issue 9, audit gap 4: in the `cdk init` layout (bin/app.ts instantiates the stacks of lib/), targets are named by
 * the instantiating path, one per instance; a class no scanned file instantiates keeps its stand-in name.
 */
describe('CDK construct paths across the files of one scan', () => {
  const findings = (result: ReturnType<typeof scanFixture>): string[] =>
    result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.location.file}:${finding.location.range.startLine}`);

  it('names the groups of a stack by each place it is instantiated, through constructs of a third file', () => {
    const result = scanFixture('cdk/cross-file');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual([
      'AdminStack/AdminSg',
      'WebStack-dev/LbSg',
      'WebStack-dev/Web/Sg',
      'WebStack-dev/WebSg',
      'WebStack-prod/LbSg',
      'WebStack-prod/Web/Sg',
      'WebStack-prod/WebSg',
    ]);
    expect(findings(result)).toContain('FW101 WebStack-prod/WebSg fixtures/cdk/cross-file/lib/web-stack.ts:11');
    expect(findings(result)).toContain('FW101 WebStack-dev/Web/Sg fixtures/cdk/cross-file/lib/web-tier.ts:9');
    expect(findings(result).filter((finding) => finding.includes('WebStack/') || finding.includes('${WebTier}'))).toEqual([]);
  });

  it('renames the rules and the group references of each copy, and keeps the copies apart', () => {
    const result = scanFixture('cdk/cross-file');
    const prod = result.targets.find((target) => target.id === 'WebStack-prod/WebSg')!;
    const dev = result.targets.find((target) => target.id === 'WebStack-dev/WebSg')!;
    expect(prod.rules.map((rule) => [rule.id, rule.resourceAddress, rule.peer.kind === 'sg-ref' ? rule.peer.id : rule.peer.kind])).toEqual([
      ['WebStack-prod/WebSg.addIngressRule[0]#0', 'WebStack-prod/WebSg.addIngressRule[0]', 'addresses'],
      ['WebStack-prod/WebSg.connections.allowFrom[0]#0', 'WebStack-prod/WebSg.connections.allowFrom[0]', 'WebStack-prod/LbSg'],
    ]);
    expect(dev.rules.map((rule) => rule.id)).toEqual(['WebStack-dev/WebSg.addIngressRule[0]#0', 'WebStack-dev/WebSg.connections.allowFrom[0]#0']);
    expect(prod.rules[0]).not.toBe(dev.rules[0]);
    expect(prod.location).toEqual(dev.location);
  });

  it('keeps the class-name fallback when the instantiating file is not scanned', () => {
    const result = scanFixture('cdk/cross-file/lib');
    expect(result.targets.map((target) => target.id)).toEqual(['AdminStack/AdminSg', 'WebStack/LbSg', 'WebStack/Web/Sg', 'WebStack/WebSg']);
    const tierOnly = scanFixture('cdk/cross-file/lib/web-tier.ts');
    expect(tierOnly.targets.map((target) => target.id)).toEqual(['${WebTier}/Sg']);
  });

  it('gives the same result whatever the file order and the worker split', () => {
    const forward = scanFixture(['cdk/cross-file/bin', 'cdk/cross-file/lib'], { workers: 1 });
    const reversed = scanFixture(['cdk/cross-file/lib/web-tier.ts', 'cdk/cross-file/lib/web-stack.ts', 'cdk/cross-file/bin', 'cdk/cross-file/lib/admin-stack.ts'], { workers: 1 });
    const threaded = scanFixture(['cdk/cross-file'], { workers: 3 });
    expect(findings(reversed)).toEqual(findings(forward));
    expect(findings(threaded)).toEqual(findings(forward));
    expect(threaded.targets.map((target) => target.id)).toEqual(forward.targets.map((target) => target.id));
  });

  it('links through the module named by the import, and does not depend on the order of the links', () => {
    const target = (file: string, id: string) => ({ id, kind: 'cdk' as const, platform: 'aws-sg' as const, resourceType: 'AWS::EC2::SecurityGroup', location: { file, range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } }, rules: [] });
    const links: ConstructLinks = {
      classes: [
        { file: 'a/stack.ts', name: 'Web', role: 'stack', root: 'Web' },
        { file: 'b/stack.ts', name: 'Web', role: 'stack', root: 'Web' },
      ],
      instances: [
        { file: 'app.ts', module: 'b/stack', name: 'Web', scope: '', scopeText: 'app', id: 'B-2' },
        { file: 'app.ts', module: 'a/stack', name: 'Web', scope: '', scopeText: 'app', id: 'A' },
        { file: 'app.ts', module: 'b/stack', name: 'Web', scope: '', scopeText: 'app', id: 'B-1' },
      ],
    };
    const targets = [target('a/stack.ts', 'Web/Sg'), target('b/stack.ts', 'Web/Sg'), target('c/other.ts', 'Web/Sg')];
    const ids = (links: ConstructLinks) => linkConstructPaths(targets, links).map((linked) => `${linked.location.file} ${linked.id}`);
    expect(ids(links)).toEqual(['a/stack.ts A/Sg', 'b/stack.ts B-1/Sg', 'b/stack.ts B-2/Sg', 'c/other.ts Web/Sg']);
    expect(ids({ classes: [...links.classes].reverse(), instances: [...links.instances].reverse() })).toEqual(ids(links));
  });

  it('links the instances of a class exported under several names, through whichever name they import', () => {
    // Regression: `export class WebStack` with `export default WebStack`, instantiated through the default import,
    // kept the stand-in `WebStack/Sg`: the instances went to the link of a name the file's targets were not tied to.
    const target = { id: 'WebStack/Sg', kind: 'cdk' as const, platform: 'aws-sg' as const, resourceType: 'AWS::EC2::SecurityGroup', location: { file: 'lib/web.ts', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } }, rules: [] };
    const links: ConstructLinks = {
      classes: [
        { file: 'lib/web.ts', name: 'WebStack', role: 'stack', root: 'WebStack' },
        { file: 'lib/web.ts', name: 'default', role: 'stack', root: 'WebStack' },
      ],
      instances: [
        { file: 'bin/app.ts', module: 'lib/web', name: 'WebStack', scope: '', scopeText: 'app', id: 'Named' },
        { file: 'bin/app.ts', module: 'lib/web', name: 'default', scope: '', scopeText: 'app', id: 'Default' },
      ],
    };
    expect(linkConstructPaths([target], links).map((linked) => linked.id)).toEqual(['Default/Sg', 'Named/Sg']);
  });
});
