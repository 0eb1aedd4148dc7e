/** TypeScript and JavaScript sources, not declaration files. JSX variants are not read (`jsx: false`). */
const SOURCE_EXTENSION = /\.[cm]?[jt]s$/i;
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

/**
 * An import of a library whose constructs fwlint reads, in any module syntax: `from '…'`, `require('…')`,
 * `import('…')`, or `import x = require('…')`. Other `aws-cdk-lib/*` submodules alone do not make a file an input.
 */
const LIBRARY_IMPORT =
  /(?:\bfrom|\brequire\s*\(|\bimport\s*\(|\bimport)\s*(['"])(?:aws-cdk-lib|aws-cdk-lib\/aws-ec2|@aws-cdk\/aws-ec2|@cdktf\/provider-aws(?:\/[^'"\r\n]*)?|@pulumi\/aws(?:\/[^'"\r\n]*)?)\1/;

/**
 * True when the file is TypeScript or JavaScript and its first 4 KiB import AWS CDK (v2 `aws-cdk-lib`, v1
 * `@aws-cdk/aws-ec2`), the CDK for Terraform AWS provider or Pulumi's AWS provider. A string test only: other
 * TypeScript files are skipped without being parsed, and nothing is ever executed.
 */
export function isInfrastructureSource(path: string, head: string): boolean {
  if (typeof path !== 'string' || typeof head !== 'string') return false;
  if (!SOURCE_EXTENSION.test(path) || DECLARATION_FILE.test(path)) return false;
  return LIBRARY_IMPORT.test(head.length > 4096 ? head.slice(0, 4096) : head);
}
