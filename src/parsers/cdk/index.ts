import { parse, simpleTraverse, TSError, type TSESTree } from '@typescript-eslint/typescript-estree';
import { errorDiagnostic } from '../../model/diagnostic';
import type { Annotation, ConstructLinks, FormatParser, ParseOptions, ParseResult, SourceFile } from '../../model/source-file';
import { annotationsFromComments } from '../shared/annotations';
import { isInfrastructureSource } from './detect';
import { ModuleTable } from './imports';
import { InfrastructureLibrary } from './library';
import { MAX_SOURCE_CHARS } from './limits';
import { StaticReader, type ImportedModules } from './reader';
import { SourceContext } from './source-context';
import { TargetBook } from './target-book';

export { isInfrastructureSource } from './detect';

/**
 * AWS CDK (v2 `aws-cdk-lib`, v1 `@aws-cdk/aws-ec2`), CDK for Terraform and Pulumi programs in TypeScript or
 * JavaScript, read statically: the source is parsed with typescript-estree and folded as far as it is known, and is
 * never executed, required or evaluated. Security groups and network ACLs become targets named by their construct path
 * (`AppStack/WebSg`) or Pulumi resource name. Each file is read on its own, with the values it imports by relative path
 * from the other files of the call (`moduleOnly` ones included: imports.ts); a class defined in one file and
 * instantiated in another is noted in `constructLinks`, and linked after parsing (link.ts).
 */
export const cdkParser: FormatParser = {
  kind: 'cdk',
  detect: (path, head, text) => isInfrastructureSource(path, head, text),
  parse(files: SourceFile[], _options: ParseOptions): ParseResult {
    const result: ParseResult = { targets: [], annotations: [], diagnostics: [] };
    const modules = new ModuleTable(files);
    for (const file of files) {
      if (file.moduleOnly) continue;
      const one = parseInfrastructureSource(file, modules);
      result.targets.push(...one.targets);
      result.annotations.push(...one.annotations);
      result.diagnostics.push(...one.diagnostics);
      if (one.constructLinks) {
        result.constructLinks ??= { classes: [], instances: [] };
        result.constructLinks.classes.push(...one.constructLinks.classes);
        result.constructLinks.instances.push(...one.constructLinks.instances);
      }
    }
    return result;
  },
};

/** One source file; never throws on bad input, and never runs it. */
export function parseInfrastructureSource(file: SourceFile, modules?: ImportedModules): ParseResult {
  if (file.text.length > MAX_SOURCE_CHARS) {
    return {
      targets: [],
      annotations: [],
      diagnostics: [errorDiagnostic('parse/cdk-too-large', file.path, `source is larger than ${MAX_SOURCE_CHARS} characters; not read`)],
    };
  }
  const source = new SourceContext(file.path, file.text);
  let program: TSESTree.Program & { comments?: TSESTree.Comment[] };
  try {
    // filePath only picks the script kind from the extension (.js read as JavaScript); without `project` nothing is read from disk.
    program = parse(file.text, {
      filePath: file.path, loc: true, range: true, comment: true, jsx: false, jsDocParsingMode: 'none', suppressDeprecatedPropertyWarnings: true,
    });
  } catch (error) {
    if (error instanceof TSError) {
      const { start, end } = error.location;
      const range = source.rangeOfOffsets(start.offset, Math.max(end.offset, start.offset));
      return { targets: [], annotations: [], diagnostics: [errorDiagnostic('parse/cdk-syntax', file.path, error.message, range)] };
    }
    // A pathologically nested file can exhaust the parser's stack: report it like any unreadable input.
    if (error instanceof RangeError) {
      return { targets: [], annotations: [], diagnostics: [errorDiagnostic('parse/cdk-too-deep', file.path, 'source is nested too deeply to parse')] };
    }
    throw error;
  }
  const comments = (program.comments ?? []).map((comment) => ({ text: comment.value, range: source.rangeOfOffsets(comment.range[0], comment.range[1]), start: comment.range[0], end: comment.range[1] }));
  const annotations = annotationsFromComments(file.text, file.path, comments);
  markAssignedValues(program, annotations);
  const book = new TargetBook(source);
  let links: ConstructLinks | undefined;
  try {
    const reader = new StaticReader(program, source, new InfrastructureLibrary(book, source), modules && { modules, depth: 0 });
    links = reader.links;
    book.conditionNote = () => reader.conditionNote();
    reader.run();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    source.error('parse/cdk-too-deep', 'source is nested too deeply to read; targets found before that point are kept');
  }
  const result: ParseResult = { targets: book.targets(), annotations, diagnostics: source.diagnostics };
  // Only what another file can use: classes that others may instantiate, instances of classes from other files.
  if (links && (links.classes.length > 0 || links.instances.length > 0)) result.constructLinks = links;
  return result;
}

/**
 * Gives an annotation on its own line above a statement that assigns a value starting on a later line (`const sg: T =`,
 * then `new ec2.SecurityGroup(…)` on the next; `this.sg =` …; a class field) that value's line as its subject
 * (`Annotation.subjectLine`): a construct is located at its `new` expression, and the comment is about what the
 * statement creates, as for `const sg = new …` on one line.
 */
function markAssignedValues(program: TSESTree.Program, annotations: readonly Annotation[]): void {
  const byStatementLine = new Map<number, Annotation[]>();
  for (const annotation of annotations) {
    if (annotation.nextCodeLine === undefined) continue;
    const waiting = byStatementLine.get(annotation.nextCodeLine);
    if (waiting) waiting.push(annotation);
    else byStatementLine.set(annotation.nextCodeLine, [annotation]);
  }
  if (byStatementLine.size === 0) return;
  try {
    simpleTraverse(program, {
      enter(node) {
        const line = node.loc.start.line;
        const waiting = byStatementLine.get(line);
        const valueLine = waiting && assignedValue(node)?.loc.start.line;
        if (valueLine === undefined || valueLine <= line) return;
        // The outermost statement of the line (visited first) is the one below the comment.
        for (const annotation of waiting!) annotation.subjectLine ??= valueLine;
      },
    });
  } catch (error) {
    // Nested too deeply to walk: the reader reports the file; the comments keep their next line of code.
    if (!(error instanceof RangeError)) throw error;
  }
}

/** The value a declaration of one variable, an assignment statement or a class field assigns. */
function assignedValue(node: TSESTree.Node): TSESTree.Node | undefined {
  switch (node.type) {
    case 'VariableDeclaration':
      return node.declarations.length === 1 ? (node.declarations[0]!.init ?? undefined) : undefined;
    case 'ExpressionStatement':
      return node.expression.type === 'AssignmentExpression' && node.expression.operator === '=' ? node.expression.right : undefined;
    case 'PropertyDefinition':
      return node.value ?? undefined;
    default:
      return undefined;
  }
}
