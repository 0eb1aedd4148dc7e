import { scanFixture } from '../../helpers/scan-fixture';

/** `line:column advice` of the FW202 findings of a fixture: the text after "advanced rule set; ". */
function advice(fixture: string): string[] {
  return scanFixture(fixture).findings.filter((finding) => finding.checkId === 'FW202')
    .map((finding) => `${finding.location.range.startLine}:${finding.location.range.startColumn} ${finding.message.replace(/^.*advanced rule set; /, '')}`);
}

// Open item 2 of session 13: FW202's advice for rules stamped out by Fn::ForEach loops.
describe('FW202 advice for resources of Fn::ForEach loops', () => {
  it('nested loops: names the inner loop\'s value whose every resource is excess, and the loop it is inside', () => {
    // It read "remove the rule": the loop's body, which makes the required In…22 and In…3000 as well.
    expect(advice('cloudformation/fw202-foreach-nested')).toEqual([
      '19:11 the role needs none of it: remove "8080" from the collection of Fn::ForEach::In inside Fn::ForEach::Nets (generated resources In100008x8080, In172160012x8080)',
    ]);
  });

  it('nested loops: values of several loops, when no one loop\'s values make exactly the excess resources', () => {
    expect(advice('cloudformation/fw202-foreach-nested-items')).toEqual([
      '19:11 the role needs none of it: remove "udp" from the collection of Fn::ForEach::Protos inside Fn::ForEach::Ports and "8080" from the collection of Fn::ForEach::Ports (generated resources Intcp8080, Inudp22, Inudp8080)',
    ]);
  });

  it('every item excess: the loop goes, not each value of its collection', () => {
    // It read: remove "8080", "9090" from the collection of Fn::ForEach::In, which leaves an empty collection.
    expect(advice('cloudformation/fw202-foreach-all-items')).toEqual([
      '16:7 the role needs none of it: remove the loop Fn::ForEach::In (generated resources In8080, In9090, all it generates)',
    ]);
  });
});
