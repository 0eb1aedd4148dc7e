import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@typescript-eslint/typescript-estree';
import { PARSERS } from '../../../src/parsers';
import { cdkParser } from '../../../src/parsers/cdk';
import { MAX_DETECT_CHARS } from '../../../src/parsers/cdk/detect';
import { scanFixture } from '../../helpers/scan-fixture';
import { REPO_ROOT } from './read-fixture';

// Counts parser runs, to show detection never parses.
jest.mock('@typescript-eslint/typescript-estree', () => {
  const actual = jest.requireActual('@typescript-eslint/typescript-estree');
  return { ...actual, parse: jest.fn(actual.parse) };
});

const head = (relative: string): string => readFileSync(join(REPO_ROOT, relative), 'utf8').slice(0, 4096);

describe('cdkParser.detect', () => {
  it.each([
    'fixtures/cdk/l2-security-group.ts',
    'fixtures/cdk/aliases-named-imports.ts',
    'fixtures/cdk/aliases-namespace-member.ts',
    'fixtures/cdk/aliases-require.js',
    'fixtures/cdk/aliases-cdk-v1.ts',
    'fixtures/cdk/pulumi.ts',
    'fixtures/cdk/cdktf.ts',
    'fixtures/cdk/never-executed.ts',
    'fixtures/checks/FW101/cdk/bad-ssh-any-ipv4.ts',
  ])('claims %s by its imports', (relative) => {
    expect(cdkParser.detect(relative, head(relative))).toBe(true);
  });

  it.each([
    ['stack.mts', "import { aws_ec2 } from 'aws-cdk-lib';"],
    ['stack.cts', 'import ec2 = require("aws-cdk-lib/aws-ec2");'],
    ['stack.mjs', "import * as aws from '@pulumi/aws';"],
    ['stack.cjs', "const ec2 = require( '@aws-cdk/aws-ec2' );"],
    ['main.ts', "import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';"],
    ['index.ts', "import { ec2 } from '@pulumi/aws/ec2';"],
    ['lazy.js', "const cdk = await import('aws-cdk-lib');"],
  ])('claims %s', (path, text) => {
    expect(cdkParser.detect(path, text)).toBe(true);
  });

  it.each([
    ['src/util.ts', "import { readFileSync } from 'node:fs';\nexport const x = 1;\n"],
    ['types/cdk.d.ts', "import * as ec2 from 'aws-cdk-lib/aws-ec2';\nexport declare const sg: ec2.SecurityGroup;\n"],
    ['web/App.tsx', "import * as ec2 from 'aws-cdk-lib/aws-ec2';\n"],
    ['stack.py', 'import aws_cdk.aws_ec2 as ec2\n'],
    ['bucket.ts', "import * as s3 from 'aws-cdk-lib/aws-s3';\n"],
    ['notes.ts', '// see the aws-cdk-lib docs\nconst text = "aws-cdk-lib";\n'],
    ['other.ts', "import { x } from 'aws-cdk-lib-extras';\n"],
    ['broken.ts', 'import { from ;;; const = ((('],
  ])('skips %s without parsing it', (path, text) => {
    expect(cdkParser.detect(path, text)).toBe(false);
  });

  it('decides from text alone: no file is parsed to detect it', () => {
    const parseCalls = (parse as jest.Mock).mock.calls.length;
    for (const relative of ['fixtures/cdk/l2-security-group.ts', 'fixtures/cdk/pulumi.ts', 'fixtures/cdk/errors/syntax-error.ts']) {
      cdkParser.detect(relative, head(relative));
    }
    cdkParser.detect('src/util.ts', 'export const x = 1;');
    expect((parse as jest.Mock).mock.calls.length).toBe(parseCalls);
  });

  it('reads only the first 4 KiB of the head, and up to 256 KiB of the whole text when it is given', () => {
    const late = `${'// padding\n'.repeat(400)}import * as ec2 from 'aws-cdk-lib/aws-ec2';\n`;
    expect(late.indexOf('aws-cdk-lib')).toBeGreaterThan(4096);
    expect(cdkParser.detect('late.ts', late)).toBe(false);
    expect(cdkParser.detect('late.ts', late.slice(0, 4096), late)).toBe(true);
    const tooLate = `${' '.repeat(MAX_DETECT_CHARS)}import * as ec2 from 'aws-cdk-lib/aws-ec2';\n`;
    expect(cdkParser.detect('late.ts', tooLate.slice(0, 4096), tooLate)).toBe(false);
    expect(cdkParser.detect('late.md', late.slice(0, 4096), late)).toBe(false);
  });

  it('finds the imports after a licence header longer than 4 KiB in a scan (issue 9, audit gap 5)', () => {
    const relative = 'fixtures/cdk/long-licence-header.ts';
    const text = readFileSync(join(REPO_ROOT, relative), 'utf8');
    expect(text.indexOf('aws-cdk-lib')).toBeGreaterThan(4096);
    const result = scanFixture('cdk/long-licence-header.ts');
    expect(result.stats.parsedFiles).toBe(1);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId}`)).toEqual(['FW101 Licensed/Sg']);
  });

  it('never throws', () => {
    expect(cdkParser.detect(undefined as unknown as string, 'x')).toBe(false);
    expect(cdkParser.detect('a.ts', null as unknown as string)).toBe(false);
  });

  it('comes after the other parsers in the registry', () => {
    // The registry wraps the parser so typescript-estree loads only when needed: same kind, same detector.
    expect(PARSERS[PARSERS.length - 1]!.kind).toBe(cdkParser.kind);
    expect(PARSERS.filter((parser) => parser.kind === 'cdk')).toHaveLength(1);
  });

  it('is the only parser claiming TypeScript sources', () => {
    const text = head('fixtures/cdk/l2-security-group.ts');
    expect(PARSERS.filter((parser) => parser.detect('fixtures/cdk/l2-security-group.ts', text)).map((parser) => parser.kind)).toEqual(['cdk']);
  });
});
