import { evaluate, parseHcl, stringValue, type Value } from '../../../src/parsers/terraform/hcl';
import { scanFiles, scanFixture } from '../../helpers/scan-fixture';

const unknownVars = new Map<string, Value>();

/** Evaluates `expression` with `var.extra` and `var.one` unresolved (no value), `var.admin` = "10.0.0.0/8". */
function evalText(expression: string): Value {
  const text = `x = ${expression}\n`;
  const parsed = parseHcl(text, 'eval.tf');
  expect(parsed.diagnostics).toEqual([]);
  return evaluate(parsed.body!.attributes[0]!.expr, { text, vars: new Map([...unknownVars, ['admin', stringValue('10.0.0.0/8')]]) });
}

/** `known=[…] rest=<text>` for a list of unknown length, `unknown <text>` for a plain unknown. */
function shape(value: Value): string {
  if (value.kind !== 'unknown') return `known ${JSON.stringify(value)}`;
  if (value.knownItems === undefined) return `unknown ${value.text}`;
  return `known=${JSON.stringify(value.knownItems.map((item) => (item.kind === 'string' ? item.value : item.kind === 'unknown' ? `?${item.text}` : item.kind)))} rest=${value.text}`;
}

describe('lists of unknown length with known elements', () => {
  it.each([
    ['concat(var.extra, ["0.0.0.0/0"])', 'known=["0.0.0.0/0"] rest=var.extra'],
    ['concat(["a"], var.extra, [var.admin], var.other)', 'known=["a","10.0.0.0/8"] rest=var.extra'],
    ['flatten([var.extra, "0.0.0.0/0", ["b"]])', 'known=["0.0.0.0/0","b"] rest=var.extra'],
    ['flatten([concat(var.extra, ["c"]), "d"])', 'known=["c","d"] rest=var.extra'],
    ['distinct(concat(var.extra, ["a", "a", "b"]))', 'known=["a","b"] rest=var.extra'],
    // compact drops "" and null only; an unknown element may be "" so it joins the unknown rest.
    ['compact(["0.0.0.0/0", var.one, "", null])', 'known=["0.0.0.0/0"] rest=var.one'],
    ['toset(concat(var.extra, ["b", "a", "b"]))', 'known=["b","a"] rest=var.extra'],
    ['tolist(concat(var.extra, ["a"]))', 'known=["a"] rest=var.extra'],
    ['setunion(var.extra, ["b"], ["a", "b"])', 'known=["b","a"] rest=var.extra'],
    ['sort(concat(var.extra, ["b", "a"]))', 'known=["a","b"] rest=var.extra'],
    ['sort(["b", var.one, "a"])', 'known=["a","b"] rest=var.one'],
    ['reverse(concat(var.extra, ["a", "b"]))', 'known=["b","a"] rest=var.extra'],
    ['coalescelist(concat(var.extra, ["a"]), ["z"])', 'known=["a"] rest=var.extra'],
    ['var.admin == "" ? ["z"] : concat(var.extra, ["a"])', 'known=["a"] rest=var.extra'],
    ['(concat(var.extra, ["a"]))', 'known=["a"] rest=var.extra'],
    // A for over such a list maps its known elements; one whose `if` is unresolved joins the rest.
    ['[for c in concat(var.extra, ["a", "b"]) : upper(c)]', 'known=["A","B"] rest=var.extra'],
    ['[for c in concat(var.extra, ["a", "b", var.one]) : c if c != "b"]', 'known=["a"] rest=var.extra'],
  ])('%s', (expression, expected) => {
    expect(shape(evalText(expression))).toBe(expected);
  });

  it.each([
    // Whatever reads the list for something else than its elements sees a plain unknown.
    ['length(concat(var.extra, ["a"]))', 'unknown var.extra'],
    ['element(concat(var.extra, ["a"]), 0)', 'unknown var.extra'],
    ['concat(var.extra, ["a"])[0]', 'unknown concat(var.extra, ["a"])[0]'],
    ['"${concat(var.extra, ["a"])}"', 'unknown var.extra'],
    ['slice(concat(var.extra, ["a"]), 0, 1)', 'unknown var.extra'],
    ['setintersection(concat(var.extra, ["a"]), ["a"])', 'unknown var.extra'],
    ['setsubtract(concat(var.extra, ["a"]), ["b"])', 'unknown var.extra'],
    ['coalescelist(var.extra, ["z"])', 'unknown var.extra'],

    ['try(concat(var.extra, ["a"]), [])', 'known=["a"] rest=var.extra'],
    ['can(concat(var.extra, ["a"]))', 'unknown var.extra'],
  ])('%s', (expression, expected) => {
    expect(shape(evalText(expression))).toBe(expected);
  });

  it.each([
    // merge: a later argument wins, so only the entries after the last map of unknown keys are known.
    ['merge(var.extra, { ssh = 22 })', 'entries={"ssh":22} rest=var.extra'],
    ['merge(var.extra, { ssh = 22 }, { rdp = 3389 })', 'entries={"rdp":3389,"ssh":22} rest=var.extra'],
    ['merge({ a = 1 }, var.extra)', 'unknown var.extra'],
    ['merge({ a = 1 }, var.extra, { b = 2 }, var.other, { c = 3 })', 'entries={"c":3} rest=var.extra'],
    ['merge(merge(var.extra, { a = 1 }), { b = 2 })', 'entries={"a":1,"b":2} rest=var.extra'],
    ['keys(merge(var.extra, { a = 1 }))', 'unknown var.extra'],
    // An object for over a list of unknown length: the known elements' entries (a key made twice is an error).
    ['{ for c in concat(var.extra, ["a"]) : c => 1 }', 'entries={"a":1} rest=var.extra'],
    ['{ for c in concat(var.extra, ["a", var.one]) : c => 1 if c != "b" }', 'entries={"a":1} rest=var.extra'],
    ['{ for c in concat(var.extra, ["a"]) : c => 1... }', 'unknown var.extra'],
  ])('%s', (expression, expected) => {
    const value = evalText(expression);
    const entries = value.kind === 'unknown' && value.knownEntries ? Object.fromEntries([...value.knownEntries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, item]) => [key, item.kind === 'number' ? item.value : item.kind])) : undefined;
    expect(entries ? `entries=${JSON.stringify(entries)} rest=${(value as { text: string }).text}` : shape(value)).toBe(expected);
  });

  it('keeps a set of unknown size a set (toset, setunion), and tolist makes it a list', () => {
    const isSet = (expression: string): boolean | undefined => {
      const value = evalText(expression);
      return value.kind === 'unknown' ? value.knownItemsFormSet === true : undefined;
    };
    expect(isSet('toset(concat(var.extra, ["a"]))')).toBe(true);
    expect(isSet('setunion(var.extra, ["a"])')).toBe(true);
    expect(isSet('concat(var.extra, ["a"])')).toBe(false);
    expect(isSet('tolist(toset(concat(var.extra, ["a"])))')).toBe(false);
    expect(isSet('[for c in toset(concat(var.extra, ["a"])) : c]')).toBe(false);
  });

  it('computes set operations on known lists as Terraform does', () => {
    expect(evalText('setintersection(["a", "b", "c"], ["c", "b", "x"])')).toMatchObject({ kind: 'list', isSet: true, items: [stringValue('b'), stringValue('c')] });
    expect(evalText('setsubtract(["c", "a", "b"], ["b"])')).toMatchObject({ kind: 'list', isSet: true, items: [stringValue('a'), stringValue('c')] });
    expect(evalText('setunion(["b"], ["a", "b"])')).toMatchObject({ kind: 'list', isSet: true, items: [stringValue('a'), stringValue('b')] });
  });
});

describe('a CIDR list of unknown length with a constant 0.0.0.0/0', () => {
  const result = scanFixture('checks/FW101/terraform/bad-ssh-from-world-added-to-unknown-list.tf');

  it('is world-open (FW101) and FW303 names the unknown part', () => {
    expect(result.diagnostics).toEqual([]);
    const lines = result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.location.range.startLine} ${finding.checkId === 'FW303' ? finding.message.replace(/.*\((.*)\).*/, '$1') : (finding.properties as { traffic?: string }).traffic}`);
    expect(lines).toEqual([
      'FW101 critical 27 tcp/22',
      'FW303 note 27 var.extra_cidrs',
      'FW101 critical 34 tcp/3389',
      'FW303 note 34 data.aws_ip_ranges.cf.cidr_blocks',
      'FW101 critical 41 tcp/5985',
      'FW303 note 41 var.extra_cidrs',
      'FW101 critical 48 tcp/1433',
      'FW303 note 48 var.one_cidr',
      'FW101 critical 55 tcp/5432',
      'FW303 note 55 var.extra_cidrs',
      'FW303 note 63 var.extra_cidrs',
    ]);
  });
});

describe('a for_each map of unknown keys with a fixed entry merged in', () => {
  const result = scanFixture('checks/FW101/terraform/bad-ssh-from-world-merged-into-unknown-map.tf');

  it('has that instance, judged on its values (FW101), beside the unknown rest (FW303)', () => {
    expect(result.diagnostics).toEqual([]);
    const rules = result.targets.flatMap((target) => target.rules).map((rule) => `${rule.resourceAddress} ${rule.peer.kind === 'addresses' ? rule.peer.text : rule.peer.kind} ${rule.ports.toString()}`);
    expect(rules).toEqual([
      // The instances it surely has come first, then the unknown rest, as a resource's instances do.
      'aws_security_group.merged.ingress["ssh"] 0.0.0.0/0 22',
      'aws_security_group.merged.ingress[*] unknown ',
      'aws_security_group_rule.r["rdp"] 0.0.0.0/0 3389',
      'aws_security_group_rule.r[*] unknown ',
      'aws_security_group_rule.overridden[*] unknown ',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => (finding.properties as { traffic?: string }).traffic)).toEqual(['tcp/22', 'tcp/3389']);
  });
});

describe('rules from the known elements of a collection of unknown length', () => {
  const result = scanFixture('checks/FW101/terraform/bad-ssh-from-world-in-rule-list-of-unknown-length.tf');

  it('has each known element as a rule, named by its key where Terraform knows it and [?] where its index is unknown', () => {
    expect(result.diagnostics).toEqual([]);
    const rules = result.targets.flatMap((target) => target.rules).map((rule) => `${rule.resourceAddress} ${rule.peer.kind === 'addresses' ? rule.peer.text : rule.peer.kind} ${rule.ports.toString()}`);
    expect(rules).toEqual([
      // dynamic over concat(var.partial_rules, [{…}]): a list, its key (the index) unknown.
      'aws_security_group.partial.ingress[?] 0.0.0.0/0 22',
      'aws_security_group.partial.ingress[*] unknown ',
      // setunion: a set, its key is the element.
      'aws_security_group.partial.ingress["0.0.0.0/0"] 0.0.0.0/0 3389',
      'aws_security_group.partial.ingress[*2] unknown 3389',
      // flatten and a list for: lists.
      'aws_security_group.partial.ingress[?2] 0.0.0.0/0 5900',
      'aws_security_group.partial.ingress[*3] unknown 5900',
      'aws_security_group.partial.ingress[?3] 0.0.0.0/0 23',
      'aws_security_group.partial.ingress[*4] unknown 23',
      // A map for over the list: the known element's key is known.
      'aws_security_group_rule.partial_named["mssql"] 0.0.0.0/0 1433',
      'aws_security_group_rule.partial_named[*] unknown ',
      'aws_security_group_rule.partial_ports["5432"] 0.0.0.0/0 5432',
      'aws_security_group_rule.partial_ports[*] 0.0.0.0/0 ',
      // count = length(…) of such a list stays unknown.
      'aws_security_group_rule.partial_counted[*] 0.0.0.0/0 3306',
      // ingress = [for r in concat(…) : {…}]: the attribute form's known element.
      'aws_security_group.partial_attribute.ingress[?] 0.0.0.0/0 5985',
      'aws_security_group.partial_attribute.ingress[*] unknown ',
    ]);
    const critical = result.findings.filter((finding) => finding.checkId === 'FW101' && finding.severity === 'critical');
    expect(critical.map((finding) => `${finding.location.range.startLine} ${(finding.properties as { traffic?: string }).traffic}`)).toEqual([
      '30 tcp/22',
      '41 tcp/3389',
      '51 tcp/5900',
      '61 tcp/23',
      '72 tcp/5985',
      '88 tcp/1433',
      '98 tcp/5432',
      '109 tcp/3306',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW303' && / could not be resolved statically \((var\.[a-z_]+)\)/.test(finding.message)).length).toBe(8);
  });

  it('gives a dynamic block the key Terraform gives it: a set element is its own key, a list element\'s index is unknown', () => {
    const ports = (forEach: string): string[] => {
      const scanned = scanFiles({
        'main.tf': `variable "more_ports" {
  type = list(number)
}
resource "aws_security_group" "keyed" {
  name = "keyed"
  dynamic "ingress" {
    for_each = ${forEach}
    content {
      from_port   = ingress.key
      to_port     = ingress.key
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
`,
      });
      expect(scanned.diagnostics).toEqual([]);
      return scanned.targets.flatMap((target) => target.rules).map((rule) => `${rule.resourceAddress.replace('aws_security_group.keyed.', '')} ${rule.ports.toString() || 'unresolved'}`);
    };
    expect(ports('toset(concat(var.more_ports, [22]))')).toEqual(['ingress[?] 22', 'ingress[*] unresolved']);
    expect(ports('concat(var.more_ports, [22])')).toEqual(['ingress[?] unresolved', 'ingress[*] unresolved']);
    // tolist of such a set is a list again: the index is unknown.
    expect(ports('tolist(toset(concat(var.more_ports, [22])))')).toEqual(['ingress[?] unresolved', 'ingress[*] unresolved']);
    // A conditional inside is still read per side, each side a whole list: its keys are the indexes.
    expect(ports('concat([22], var.more_ports == [] ? [] : [80])')).toEqual(['ingress[0] 0', 'ingress[1] 1']);
  });
});
