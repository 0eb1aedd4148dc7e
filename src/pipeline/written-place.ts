import { AST_NODE_TYPES, parse, simpleTraverse, type TSESTree } from '@typescript-eslint/typescript-estree';
import type { TypeScriptPlace } from '../packs/render-typescript';

/** How a replacement reads a CDK/CDKTF/Pulumi rule's place: its written shape, and whether an edit of its range is exact. */
export interface WrittenPlace {
  place: TypeScriptPlace;
  /**
   * The range holds the whole construct and nothing else, and everything the replacement names is written in the file
   * (the `ec2` namespace is imported): rules written in its place are complete code.
   */
  exact: boolean;
}

const RULE_METHODS = new Set(['addIngressRule', 'addEgressRule']);
/** Connections methods taking (other, port, description?) or (port, description?) with the world as the other side. */
const CONNECTION_METHODS: Readonly<Record<string, 'in' | 'out'>> = { allowFrom: 'in', allowTo: 'out', allowFromAnyIpv4: 'in', allowToAnyIpv4: 'out' };

/**
 * The written place of a rule of kind `cdk` from the text of its range (`text`, the call, `new` expression or list item
 * the reader located it at), `address` its resource address (`Prod/Web.addIngressRule[0]`, `web.ingress[1]`) and
 * `fileLines` its file (for the `ec2` namespace a CDK call names). Undefined for what a replacement cannot be written
 * as: another method (`allowInternally`, `allowDefaultPortFrom`), a network ACL construct, text that is no expression.
 */
export function readWrittenPlace(text: string, address: string, direction: 'in' | 'out', fileLines: readonly string[]): WrittenPlace | undefined {
  const expression = parseExpression(text);
  if (!expression) return undefined;
  const textOf = (node: TSESTree.Node): string => text.slice(node.range[0] - 1, node.range[1] - 1);
  if (expression.type === AST_NODE_TYPES.ObjectExpression) {
    if (/\.(securityGroupIngress|securityGroupEgress)\[\d+\]$/.test(address)) return { place: { shape: 'cfn-item' }, exact: true };
    if (/\.(ingress|egress)\[\d+\]$/.test(address)) return { place: { shape: 'tf-item' }, exact: true };
    return undefined;
  }
  if (expression.type === AST_NODE_TYPES.CallExpression && expression.callee.type === AST_NODE_TYPES.MemberExpression && !expression.callee.computed
    && expression.callee.property.type === AST_NODE_TYPES.Identifier) {
    const name = expression.callee.property.name;
    const receiver = textOf(expression.callee.object);
    const ec2 = ec2Namespace(expression) ?? importedEc2Namespace(fileLines);
    const place = (method: 'addIngressRule' | 'addEgressRule' | 'allowFrom' | 'allowTo'): WrittenPlace => ({ place: { shape: 'cdk-method', receiver, method, ec2: ec2 ?? 'ec2.' }, exact: ec2 !== undefined });
    if (RULE_METHODS.has(name)) return (name === 'addIngressRule') === (direction === 'in') ? place(name as 'addIngressRule' | 'addEgressRule') : undefined;
    // `allowFrom` also adds the other group's egress back: that rule (the other direction) is not this call's to rewrite.
    if (CONNECTION_METHODS[name] === direction) return place(direction === 'in' ? 'allowFrom' : 'allowTo');
    return undefined;
  }
  if (expression.type === AST_NODE_TYPES.NewExpression) {
    const callee = textOf(expression.callee);
    const className = /(\w+)$/.exec(callee)?.[1] ?? '';
    const shape = /^CfnSecurityGroup(Ingress|Egress)$/.test(className) ? 'cfn-resource'
      : /^(Vpc)?SecurityGroup(Ingress|Egress)Rule$/.test(className) ? 'tf-vpc-rule-resource'
        : className === 'SecurityGroupRule' ? 'tf-rule-resource' : undefined;
    const args = expression.arguments;
    const props = args[args.length - 1];
    if (!shape || args.length < 2 || props?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
    const groupProperty = shape === 'cfn-resource' ? 'groupId' : 'securityGroupId';
    const group = props.properties.find((each): each is TSESTree.Property => each.type === AST_NODE_TYPES.Property && !each.computed
      && ((each.key.type === AST_NODE_TYPES.Identifier && each.key.name === groupProperty) || (each.key.type === AST_NODE_TYPES.Literal && each.key.value === groupProperty)));
    if (!group) return undefined;
    const written = args.slice(0, -1).map(textOf);
    const nameArg = args[args.length - 2]!;
    const takenNumbers = nameArg.type === AST_NODE_TYPES.Literal && typeof nameArg.value === 'string' ? numberedNamesIn(fileLines, nameArg.value) : [];
    return {
      place: {
        shape, callee, leadingArgs: written.slice(0, -1), name: written[written.length - 1]!, groupProperty, group: textOf(group.value),
        ...(takenNumbers.length > 0 ? { takenNumbers } : {}),
      },
      // A construct is written as statements of their own: properties only.
      exact: false,
    };
  }
  return undefined;
}

/** The numbers of the strings `<name>-<n>` the file writes (construct ids, resource names), so new ones do not take them. */
function numberedNamesIn(lines: readonly string[], name: string): number[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(['"\`])${escaped}-(\\d+)\\1`, 'g');
  return [...lines.join('\n').matchAll(pattern)].map((match) => Number(match[2]));
}

/** The text as one expression (its range offsets one past the text's: it is read in parentheses), or undefined. */
function parseExpression(text: string): TSESTree.Expression | undefined {
  try {
    const program = parse(`(${text})`, { range: true, loc: false, comment: false, jsx: false, jsDocParsingMode: 'none', suppressDeprecatedPropertyWarnings: true });
    const statement = program.body[0];
    return program.body.length === 1 && statement?.type === AST_NODE_TYPES.ExpressionStatement ? statement.expression : undefined;
  } catch {
    return undefined;
  }
}

/** The namespace the call names CDK's `Peer`/`Port` by (`ec2.`, or '' for named imports), from its arguments. */
function ec2Namespace(call: TSESTree.CallExpression): string | undefined {
  let found: string | undefined;
  for (const arg of call.arguments) {
    simpleTraverse(arg, {
      enter(node) {
        if (found !== undefined || node.type !== AST_NODE_TYPES.MemberExpression || node.computed || node.property.type !== AST_NODE_TYPES.Identifier) return;
        if (node.property.name !== 'Peer' && node.property.name !== 'Port') return;
        if (node.object.type === AST_NODE_TYPES.Identifier) found = `${node.object.name}.`;
      },
    });
    if (found !== undefined) return found;
    simpleTraverse(arg, {
      enter(node) {
        if (found === undefined && node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.Identifier
          && (node.object.name === 'Peer' || node.object.name === 'Port')) found = '';
      },
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `import * as ec2 from 'aws-cdk-lib/aws-ec2'`, `import { aws_ec2 as ec2 } from 'aws-cdk-lib'`, or named `Peer` and `Port`. */
function importedEc2Namespace(lines: readonly string[]): string | undefined {
  const source = lines.join('\n');
  const star = /import\s+\*\s+as\s+([A-Za-z_$][\w$]*)\s+from\s+['"](?:aws-cdk-lib\/aws-ec2|@aws-cdk\/aws-ec2)['"]/.exec(source);
  if (star) return `${star[1]}.`;
  const member = /import\s*\{[^}]*\baws_ec2\s+as\s+([A-Za-z_$][\w$]*)[^}]*\}\s*from\s+['"]aws-cdk-lib['"]/.exec(source);
  if (member) return `${member[1]}.`;
  const named = /import\s*\{([^}]*)\}\s*from\s+['"](?:aws-cdk-lib\/aws-ec2|@aws-cdk\/aws-ec2)['"]/.exec(source)?.[1];
  if (named && /(^|[\s,])Peer\s*(,|$)/.test(named) && /(^|[\s,])Port\s*(,|$)/.test(named)) return '';
  return undefined;
}
