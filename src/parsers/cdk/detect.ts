/** TypeScript and JavaScript sources, not declaration files. JSX variants are not read (`jsx: false`). */
const SOURCE_EXTENSION = /\.[cm]?[jt]s$/i;
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

/**
 * An import of a library whose constructs fwlint reads, in any module syntax: `from '…'`, `require('…')`,
 * `import('…')`, or `import x = require('…')`. Other `aws-cdk-lib/*` submodules alone do not make a file an input.
 */
const LIBRARY_IMPORT =
  /(?:\bfrom|\brequire\s*\(|\bimport\s*\(|\bimport)\s*(['"])(?:aws-cdk-lib|aws-cdk-lib\/aws-ec2|@aws-cdk\/aws-ec2|@cdktf\/provider-aws(?:\/[^'"\r\n]*)?|@pulumi\/aws(?:\/[^'"\r\n]*)?)\1/;

/** How far into a file the import is looked for: past a long licence header or a long list of other imports. */
export const MAX_DETECT_CHARS = 256 * 1024;

/**
 * True when the file is TypeScript or JavaScript and imports AWS CDK (v2 `aws-cdk-lib`, v1 `@aws-cdk/aws-ec2`), the
 * CDK for Terraform AWS provider or Pulumi's AWS provider in its first 4 KiB (`head`) or, when the whole `text` is
 * given, in its first 256 KiB: imports may follow a licence header longer than 4 KiB. A string test only: other
 * TypeScript files are skipped without being parsed, and nothing is ever executed.
 */
export function isInfrastructureSource(path: string, head: string, text?: string): boolean {
  if (typeof path !== 'string' || typeof head !== 'string') return false;
  if (!SOURCE_EXTENSION.test(path) || DECLARATION_FILE.test(path)) return false;
  if (LIBRARY_IMPORT.test(head.length > 4096 ? head.slice(0, 4096) : head)) return true;
  if (typeof text !== 'string' || text.length <= 4096) return false;
  return LIBRARY_IMPORT.test(text.length > MAX_DETECT_CHARS ? text.slice(0, MAX_DETECT_CHARS) : text);
}
