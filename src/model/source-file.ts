import type { Diagnostic } from './diagnostic';
import type { SourceKind, SourceRange } from './location';
import type { Target } from './target';

/** A discovered input: `path` is relative to cwd with `/` separators; `text` is decoded. */
export interface SourceFile {
  path: string;
  absolutePath: string;
  text: string;
  /**
   * How the bytes were decoded; `cp437` (OEM) or `cp1252` (ANSI, a `.ps1`) means they were not valid UTF-8 (only netsh
   * inputs accept that).
   */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'cp437' | 'cp1252';
  /** For `cp437`/`cp1252` text: where the first byte that is not UTF-8 is (an offset into `text`, one character per byte). */
  invalidUtf8At?: number;
  /**
   * Handed to a parser only for what the other files of its unit import from it (a CDK stack's `import { SSH } from
   * './net'`): it is not an input of that call, and gives no targets, annotations or diagnostics there.
   */
  moduleOnly?: true;
}

/** An in-source `fwlint:` comment, attached to the target or rule below it by the suppress stage. */
export interface Annotation {
  /** `misspelled`: a comment that looks meant as one (`FWLINT:IGNORE`), reported by the pipeline, applied nowhere. */
  directive: 'profile' | 'ignore' | 'target' | 'misspelled';
  /** Everything after the directive word; for `misspelled`, the near miss as written. */
  argument: string;
  file: string;
  range: SourceRange;
  /**
   * Set by a parser that knows which rules the comment applies to where their position does not say it: a netsh
   * script comment applies to the rules of the command below it, and a `set rule` there changes rules written
   * elsewhere in the file. The ids of those rules in the file's host; empty when the comment applies to no rule that
   * remains (a comment above `delete rule`), so that it mutes nothing else. Undefined: attached by position.
   */
  ruleIds?: string[];
  /**
   * For a comment on its own line, the first line below it that holds code (not blank, not a comment), set by the
   * readers of formats annotated by position: the comment applies to a rule or target starting there. Undefined for
   * a comment at the end of a line of code (it applies to what starts on, or contains, that line), and when nothing
   * follows it.
   */
  nextCodeLine?: number;
  /**
   * The line where what the comment is about starts, set where the reader knows it and neither the comment's line
   * nor `nextCodeLine` is that line: for a `"//"` property of a Terraform JSON block's object, the block (a resource's
   * object is the resource); for a TypeScript statement below the comment that assigns a value starting on a later
   * line (`const sg =` then `new ec2.SecurityGroup(…)`), that value. A rule or target starting there gets the comment
   * as one starting on `nextCodeLine` does.
   */
  subjectLine?: number;
  /**
   * With `subjectLine`, the column where what the comment is about starts, set where the reader knows it exactly and
   * the line layout must not decide (a `"//"` property of Terraform JSON: in a one-line file every object starts on
   * line 1). Then only the rule or target starting at that line and column gets the comment, or the innermost rule
   * whose range holds the comment; neither the comment's own line nor `nextCodeLine` counts.
   */
  subjectColumn?: number;
  /**
   * For a comment whose indentation puts it inside what is written above it (YAML, where indentation is the block
   * structure: a comment indented as a rule's properties after its last one), the first line of the innermost mapping
   * entry or list item holding it, set instead of `nextCodeLine`: the comment applies to the rule whose range holds
   * that line, and never to what follows it.
   */
  enclosingLine?: number;
  /**
   * Terraform native syntax: the first line of the `resource` block whose body holds the comment outside any block
   * nested in it (above `name`, before the closing brace). When no rule holds the comment and none starts right below
   * it, it applies to the target starting on that line, as a `"//"` property in the resource's JSON object does.
   */
  enclosingBlockLine?: number;
  /**
   * Terraform: the `module` block the comment is written above (or in): its name, and whether its `source` is a local
   * path. A comment there applies only to the findings reported at the block (a module `terraform init` installed);
   * the warning for one that applies to nothing says where to write it instead. `line`: the block's first line;
   * `isNotFollowed`: fwlint could not read the module (not installed, no literal source, …; warned about at the block).
   */
  moduleCall?: { name: string; line: number; isLocal: boolean; isNotFollowed?: true };
}

/** One Terraform `--var NAME=VALUE` or `--var-file FILE` (absolute path) of the command line. */
export type CliVarSource = { kind: 'var'; name: string; value: string } | { kind: 'var-file'; file: string };

/** Options the parsers need from the command line and config. */
export interface ParseOptions {
  /** Terraform `--var NAME=VALUE` (values are HCL expressions or plain strings). */
  vars: Record<string, string>;
  /** Terraform `--var-file` paths, absolute. */
  varFiles: string[];
  /**
   * `--var` and `--var-file` in command-line order, for Terraform applies `-var` and `-var-file` in that order (a
   * later one wins). When given, the same values as `vars` and `varFiles`; without it every `varFiles` entry applies
   * before every `vars` entry.
   */
  cliVarSources?: CliVarSource[];
  /** Terraform `TF_VAR_<name>` environment variables: name (without the prefix) → value, as the CLI read them. */
  envVars?: Record<string, string>;
  /** CloudFormation `--param NAME=VALUE`. */
  params: Record<string, string>;
  /** Where each value of `params` comes from, for messages: `--param`, or the parameter file's path. */
  paramOrigins?: Record<string, string>;
}

export interface ParseResult {
  targets: Target[];
  annotations: Annotation[];
  diagnostics: Diagnostic[];
  /** CDK: construct classes defined in one file and instantiated in another, linked after parsing. */
  constructLinks?: ConstructLinks;
  /** Terraform: the `--var` names some root module of this call declares (the others are unused: a typo, usually). */
  cliVarsUsed?: string[];
  /** CloudFormation, when `--param`/`--param-file` gave values: the parameters the templates declare (the others: a typo). */
  declaredParameters?: string[];
}

/**
 * What CDK files say about each other, gathered per file by the parser and linked once every file is parsed
 * (src/parsers/cdk/link.ts): a stack or construct class one file exports and never instantiates is read with a
 * stand-in root (`WebStack`, `${WebTier}`), and the files that instantiate it name where its instances really are.
 */
export interface ConstructLinks {
  classes: ConstructClassLink[];
  instances: ConstructInstanceLink[];
}

/** An exported class never instantiated in its file: the stand-in root its construct paths start with there. */
export interface ConstructClassLink {
  file: string;
  /** The exported name (`default` for a default export). */
  name: string;
  role: 'stack' | 'construct';
  /** `WebStack` for a stack, `${WebTier}` for a construct. */
  root: string;
}

/** `new Name(scope, 'id', …)` of a class imported from a relative module. */
export interface ConstructInstanceLink {
  file: string;
  /** The imported module, resolved against `file`'s folder, without extension (`lib/web-stack`). */
  module: string;
  /** The imported name (`default` for a default import). */
  name: string;
  /** The path of the scope when known (`''` for the app), else undefined and `scopeText` is the expression. */
  scope?: string;
  scopeText: string;
  /** The id, or `${expr}` when it is not known statically. */
  id: string;
}

/** A format handler (style.md §2): cheap detection, and parsing that never throws on bad input. */
export interface FormatParser {
  kind: SourceKind;
  /**
   * Looks at the path and the first 4 KiB of text (`head`); never throws. `text` is the whole text, for a detector
   * whose marker may come later (CDK imports after a long licence header); a detector reads of it only what it needs.
   */
  detect(path: string, head: string, text?: string): boolean;
  /**
   * Whether a file of this name is read together with the other such files of its folder, as one unit (a Terraform
   * module is its folder's `.tf` files): naming one of them on the command line reads the others too.
   */
  readsWithFolder?(fileName: string): boolean;
  /**
   * Whether the files of one folder that `readsWithFolder` brought in with a named file make one unit with it; when
   * not, the named file is read alone (a Terraform folder declaring a resource twice is a collection of examples,
   * which Terraform would reject as one module).
   */
  formsOneUnit?(folderFiles: readonly SourceFile[]): boolean;
  /** Parses every file detected as this format in one call (Terraform needs a module's files together). */
  parse(files: SourceFile[], options: ParseOptions): ParseResult;
}
