import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../src/checks';
import { loadConfig } from '../../src/config/config';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schemas/fwlint-config.schema.json'), 'utf8')) as {
  properties: { checks: { properties: Record<string, { oneOf: Array<{ properties?: Record<string, unknown> }> }>; additionalProperties: { oneOf: Array<{ properties?: Record<string, unknown> }> } } };
};

/** Problems `loadConfig` reports for a config text: [message, line]. */
function problems(text: string): Array<[string, number | undefined]> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-config-'));
  try {
    const file = path.join(directory, '.fwlint.yaml');
    fs.writeFileSync(file, text);
    return loadConfig(file, directory).diagnostics.map((diagnostic) => [diagnostic.message, diagnostic.range?.startLine]);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('checks: options in .fwlint.yaml', () => {
  it('the config schema accepts exactly the options each check declares (its optionsSchema)', () => {
    const checks = SCHEMA.properties.checks;
    for (const check of CHECKS) {
      const setting = checks.properties[check.id] ?? checks.additionalProperties;
      const objectForm = setting.oneOf.find((branch) => branch.properties !== undefined)!;
      const { severity, ...options } = objectForm.properties!;
      expect(severity).toBeDefined();
      expect([check.id, options]).toEqual([check.id, (check.optionsSchema?.properties as Record<string, unknown> | undefined) ?? {}]);
    }
  });

  it('rejects a misspelled or invalid option at its line instead of ignoring it', () => {
    expect(problems('checks:\n  FW103: { maxPort: 20000 }\n')).toEqual([['/checks/FW103: unknown key "maxPort" (did you mean "maxPorts"?)', 2]]);
    // Regression (QA 14 item 05): a case slip got no hint, though the key meant is plain.
    expect(problems('failon: high\nignore:\n  - { check: FW101, Reason: x }\n')).toEqual([
      ['/: unknown key "failon" (did you mean "failOn"? keys are case-sensitive)', 1],
      ['/ignore/0: must have required property \'reason\'', 3],
      ['/ignore/0: unknown key "Reason" (did you mean "reason"? keys are case-sensitive)', 3],
    ]);
    expect(problems('checks:\n  FW103: { maxPorts: -1 }\n')).toEqual([['/checks/FW103/maxPorts: must be >= 1', 2]]);
    expect(problems('checks:\n  FW103: { maxPorts: 1.5 }\n')).toEqual([['/checks/FW103/maxPorts: must be integer', 2]]);
    expect(problems('checks:\n  FW104: { severty: note }\n')).toEqual([['/checks/FW104: unknown key "severty" (did you mean "severity"?)', 2]]);
  });

  it('says one thing per mistake: the list of names for a name, the object form for an object', () => {
    expect(problems('checks:\n  FW104: sever\n')).toEqual([['/checks/FW104: must be one of off, critical, high, medium, low, note', 2]]);
    expect(problems('checks:\n  FW103: { severity: lo, maxPorts: 0 }\n')).toEqual([
      ['/checks/FW103/severity: must be one of critical, high, medium, low, note, off', 2],
      ['/checks/FW103/maxPorts: must be >= 1', 2],
    ]);
  });

  it('accepts every valid form', () => {
    expect(problems('checks:\n  FW101: off\n  FW102: low\n  FW103: { severity: high, maxPorts: 2048 }\n  FW104: { severity: off }\n')).toEqual([]);
  });
});

// Regressions (QA): a reversed or out-of-range port in publicPorts or ignore[].ports crashed the scan ("internal
// error", no report written); an unknown key was reported at the line of the object holding it.
describe('.fwlint.yaml: port lists and unknown keys', () => {
  it('reports invalid ports at their line instead of crashing', () => {
    expect(problems('publicPorts: ["tcp/443", "tcp/8443-8080"]\n')).toEqual([['/publicPorts/1: "tcp/8443-8080": reversed port range "8443-8080"', 1]]);
    expect(problems('failOn: high\nignore:\n  - check: FW101\n    ports: "tcp/70000"\n    reason: test\n')).toEqual([['/ignore/0/ports: "tcp/70000": port 70000 is out of range 0-65535', 4]]);
    expect(problems('ignore:\n  - { check: FW101, ports: "tcp/,", reason: test }\n')).toEqual([['/ignore/0/ports: "tcp/,": invalid port ""', 2]]);
    expect(problems('publicPorts: ["tcp/443", "udp/53"]\nignore:\n  - { check: FW101, ports: "all", reason: test }\n')).toEqual([]);
  });

  it('points at an unknown key where it is written', () => {
    expect(problems('failOn: high\npublicPorts: ["tcp/443"]\nchecks:\n  FW103: { maxPorts: 2048 }\nfaillOn: low\n')).toEqual([['/: unknown key "faillOn" (did you mean "failOn"?)', 5]]);
    expect(problems('targets:\n  - match: ["x"]\n    profile: lumen-cloud/linux\n    peerz: {}\n')).toEqual([['/targets/0: unknown key "peerz" (did you mean "peers"?)', 4]]);
  });
});

// Regression (QA 14 item 05): problems came in rounds. A schema problem (a port list, an unknown key) returned an
// empty config at once, so an invalid `expires` date or an unknown role elsewhere showed only once it was fixed.
describe('.fwlint.yaml: every problem in one run', () => {
  const loaded = (text: string): ReturnType<typeof loadConfig> => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-config-'));
    try {
      fs.writeFileSync(path.join(directory, '.fwlint.yaml'), text);
      return loadConfig(path.join(directory, '.fwlint.yaml'), directory);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  };
  const QA = [
    'ignore:',
    '  - { check: FW101, target: "a", reason: "x", expires: 2099-13-01 }',
    '  - { check: FW101, target: "b", reason: "x", ports: "tcp/9-1" }',
    '  - { check: FW102, target: "c", reason: "kept" }',
    'publicPorts: ["tcp/70000", "tcp/443"]',
    'failon: high',
    'targets:',
    '  - match: ["x"]',
    '    peer: { admin: ["10.0.0.0/8"] }',
    '  - match: ["y"]',
    '    profile: lumen-cloud/linux',
    '',
  ].join('\n');

  it('reports the schema, port and date problems of every entry together, each at its line', () => {
    expect(loaded(QA).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine, diagnostic.range?.startColumn, diagnostic.message])).toEqual([
      ['config/schema', 6, 1, '/: unknown key "failon" (did you mean "failOn"? keys are case-sensitive)'],
      ['config/schema', 9, 5, '/targets/0: unknown key "peer" (did you mean "peers"?)'],
      ['config/schema', 5, 15, '/publicPorts/0: "tcp/70000": port 70000 is out of range 0-65535'],
      ['config/schema', 3, 54, '/ignore/1/ports: "tcp/9-1": reversed port range "9-1"'],
      // At the date, not at the start of the entry.
      ['config/ignore', 2, 56, 'ignore entry for FW101: expires: 2099-13-01 is not a calendar date'],
    ]);
  });

  it('leaves out only the parts in error: the other entries keep their place and index', () => {
    const { value } = loaded(QA);
    expect([...(value.leftOut ?? [])].sort()).toEqual(['/ignore/0', '/ignore/1', '/targets/0']);
    expect(value.config.publicPorts).toEqual(['tcp/443']);
    expect(value.config.failOn).toBeUndefined();
    expect(value.config.targets?.[1]).toEqual({ match: ['y'], profile: 'lumen-cloud/linux' });
    expect(value.config.ignore?.[2]).toEqual({ check: 'FW102', target: 'c', reason: 'kept' });
    // An entry left out stands as one that matches nothing.
    expect(value.config.targets?.[0]).toEqual({ match: [] });
  });

  it('a file that is no mapping at all applies nothing', () => {
    const { value, diagnostics } = loaded('- targets\n');
    expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual(['/: must be object']);
    expect(value.config).toEqual({});
  });
});
