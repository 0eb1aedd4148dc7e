/**
 * Issue #11, safety: scanning never runs or `require`s scanned code, input keys never pollute prototypes, and a
 * scan never touches the network.
 */
// `import x = require()`: the module object itself, whose functions jest can replace (a namespace import's cannot).
import childProcess = require('node:child_process');
import dns = require('node:dns');
import * as fs from 'node:fs';
import http = require('node:http');
import https = require('node:https');
import net = require('node:net');
import * as path from 'node:path';
import tls = require('node:tls');
import { scan, type ScanOptions, type ScanResult } from '../../src/pipeline/scan';
import { HOSTILE_FIXTURES, makeTempDir, removeDir, REPO_ROOT, runCli } from './helpers';

/** Scans in this thread: spies and prototype checks see only this thread (worker threads have their own). */
function scanHere(paths: string[], cwd: string): ScanResult {
  const options: ScanOptions = { paths, cwd, today: '2026-11-23' };
  Object.assign(options, { workers: 1 });
  return scan(options);
}

function copyFolder(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

describe('scanned code is never executed', () => {
  const forbidden = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

  afterEach(() => jest.restoreAllMocks());

  it('does not require, import or run .js/.ts files with side effects, nor a .tf or .txt full of shell commands', async () => {
    const directory = makeTempDir();
    try {
      copyFolder(path.join(HOSTILE_FIXTURES, 'exec'), directory);
      const spies = forbidden.map((name) =>
        jest.spyOn(childProcess, name).mockImplementation((() => {
          throw new Error(`child_process.${name} called during a scan`);
        }) as never),
      );
      const result = scanHere(['.'], directory);
      const run = await runCli(['scan', '.', 'side-effect.js', 'side-effect.ts', '--format', 'json'], directory);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      // Had any file been run (by require, import(), vm, a shell), it would have left its marker next to it.
      expect(fs.readdirSync(directory).filter((name) => name.startsWith('EXECUTED'))).toEqual([]);
      expect(fs.existsSync(path.join(REPO_ROOT, 'EXECUTED-tf'))).toBe(false);
      // The shell-like .tf is a parse error, not a command; the scan still completes.
      expect(result.diagnostics.some((diagnostic) => diagnostic.file === 'shell.tf' && diagnostic.code.startsWith('parse/hcl-'))).toBe(true);
      expect(run.code).toBe(2);
      // The sources were never loaded as modules either.
      expect(Object.keys(require.cache).filter((key) => key.startsWith(directory))).toEqual([]);
    } finally {
      removeDir(directory);
    }
  });
});

describe('no prototype pollution from input keys', () => {
  const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
  const snapshot = (): string[][] => prototypes.map((prototype) => Reflect.ownKeys(prototype).map(String).sort());
  const methods = (): unknown[] => [Object.prototype.toString, Object.prototype.hasOwnProperty, Object.prototype.valueOf, Array.prototype.map];

  /** Terraform with every special key the HCL reader, the evaluator and the resource mapping meet. */
  const PROTO_TF = `variable "__proto__" {
  default = { polluted = true }
}
variable "constructor" {
  default = "10.0.0.0/8"
}
locals {
  __proto__   = { polluted = true }
  constructor = { prototype = { polluted = true } }
  prototype   = { "__proto__" = { polluted = true } }
  m           = { "__proto__" = { polluted = true }, constructor = 1, prototype = 2, toString = 3 }
  x           = local.m["__proto__"]
  y           = merge({}, { "__proto__" = { polluted = "yes" } }, local.m)
  z           = { for k, v in local.m : k => v }
  w           = lookup(local.m, "constructor", 0)
}
resource "aws_security_group" "__proto__" {
  name = "proto"
  tags = { "__proto__" = "x", constructor = "y" }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "constructor" {
  name = "c"
  ingress {
    from_port   = 23
    to_port     = 23
    protocol    = "tcp"
    cidr_blocks = [var.constructor]
  }
}
resource "aws_security_group_rule" "prototype" {
  type              = "ingress"
  security_group_id = aws_security_group.__proto__.id
  from_port         = 80
  to_port           = 80
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}
`;

  it('leaves Object.prototype and friends unchanged after scanning YAML, JSON, HCL, config and packs with __proto__/constructor/prototype keys', async () => {
    const before = snapshot();
    const beforeMethods = methods();
    const directory = makeTempDir();
    try {
      fs.copyFileSync(path.join(HOSTILE_FIXTURES, 'proto-keys.yaml'), path.join(directory, 'proto-keys.yaml'));
      fs.copyFileSync(path.join(HOSTILE_FIXTURES, 'proto-keys.json'), path.join(directory, 'proto-keys.json'));
      fs.writeFileSync(path.join(directory, 'proto.tf'), PROTO_TF);
      fs.writeFileSync(path.join(directory, 'proto.cmd'), 'REM fwlint:target __proto__\r\nnetsh advfirewall firewall add rule name="__proto__" dir=in action=allow protocol=TCP localport=22 remoteip=any\r\nnetsh advfirewall firewall add rule name=constructor dir=in action=allow protocol=TCP localport=23 remoteip=any __proto__=1 constructor=2\r\n');
      const here = scanHere(['.'], directory);
      const config = scanHere(['fixtures/hostile/proto-config'], REPO_ROOT);
      const pack = scanHere(['fixtures/hostile/proto-pack'], REPO_ROOT);
      const cli = await runCli(['scan', '.', '--format', 'json', '--profile', 'lumen-cloud/constructor'], directory);

      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.create(null).polluted).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect(snapshot()).toEqual(before);
      expect(methods()).toEqual(beforeMethods);
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);

      // The special names stayed plain names: their findings are reported under them, nothing crashed.
      for (const result of [here, config, pack]) expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('internal/'))).toEqual([]);
      const targets = here.targets.map((target) => target.id);
      expect(targets).toEqual(expect.arrayContaining(['__proto__', 'SshSG', 'aws_security_group.__proto__', 'aws_security_group.constructor']));
      expect(here.findings.some((finding) => finding.targetId === 'SshSG' && finding.checkId === 'FW101')).toBe(true);
      expect(here.findings.some((finding) => finding.targetId === 'aws_security_group.__proto__' && finding.checkId === 'FW101')).toBe(true);
      expect(config.findings.some((finding) => finding.checkId === 'FW101')).toBe(true);
      expect(pack.diagnostics.some((diagnostic) => diagnostic.code === 'packs/reserved-name')).toBe(true);
      expect(pack.findings.some((finding) => finding.checkId === 'FW101')).toBe(true);
      // `--profile lumen-cloud/constructor` is an unknown role, not Object.prototype.constructor.
      expect(cli.code).toBe(2);
      expect(JSON.parse(cli.stdout).diagnostics).toContainEqual(expect.objectContaining({ code: 'packs/unknown-role' }));
    } finally {
      removeDir(directory);
    }
  });
});

describe('no network', () => {
  afterEach(() => jest.restoreAllMocks());

  it('scans every fixture without opening a socket, resolving a name or making a request', async () => {
    const refuse = (what: string) => () => {
      throw new Error(`${what} called during a scan`);
    };
    const spies = [
      jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(refuse('net.Socket#connect') as never),
      jest.spyOn(net, 'connect').mockImplementation(refuse('net.connect') as never),
      jest.spyOn(net, 'createConnection').mockImplementation(refuse('net.createConnection') as never),
      jest.spyOn(tls, 'connect').mockImplementation(refuse('tls.connect') as never),
      jest.spyOn(http, 'request').mockImplementation(refuse('http.request') as never),
      jest.spyOn(http, 'get').mockImplementation(refuse('http.get') as never),
      jest.spyOn(https, 'request').mockImplementation(refuse('https.request') as never),
      jest.spyOn(https, 'get').mockImplementation(refuse('https.get') as never),
      jest.spyOn(dns, 'lookup').mockImplementation(refuse('dns.lookup') as never),
      jest.spyOn(dns, 'resolve').mockImplementation(refuse('dns.resolve') as never),
      jest.spyOn(dns.promises, 'lookup').mockImplementation(refuse('dns.promises.lookup') as never),
      jest.spyOn(globalThis, 'fetch').mockImplementation(refuse('fetch') as never),
    ];
    const folders = fs.readdirSync(path.join(REPO_ROOT, 'fixtures')).sort().map((name) => `fixtures/${name}`);
    const result = scanHere(folders, REPO_ROOT);
    const run = await runCli(['scan', 'fixtures', '--format', 'sarif'], REPO_ROOT);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(result.stats.parsedFiles).toBeGreaterThan(50);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('internal/'))).toEqual([]);
    expect(JSON.parse(run.stdout).runs[0].results.length).toBeGreaterThan(10);
  });
});
