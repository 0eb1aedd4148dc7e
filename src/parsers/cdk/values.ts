import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Peer } from '../../model/peer';
import type { PortSet } from '../../model/port-set';
import type { Protocol } from '../../model/protocol';
import type { Rule } from '../../model/rule';
import type { Group } from './target-book';

export type Node = TSESTree.Node;
export type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;
export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** A node of the construct tree as far as it is known: its path (`AppStack/WebSg`) and what it holds. */
export interface ConstructInstance {
  /** Undefined when the scope it was created in is not known statically. */
  path: string | undefined;
  isStack: boolean;
  /** `this.x = …` assignments and class fields, for instances of classes declared in the file. */
  fields: Map<string, Value>;
  /** Set when the construct is a security group or network ACL. */
  group?: Group;
  /** `new Connections({ securityGroups: [a, b] })`: every group its rules go to (`group` is the first). */
  groups?: Group[];
  /** Class declared in the file that made this instance, for `this.method()` calls. */
  classValue?: ClassValue;
  /** Set when the construct is a prefix list whose entries are all known (`PrefixList`, `CfnPrefixList`): their CIDRs. */
  prefixList?: Peer;
}

/**
 * A CDK port (`Port.tcp(22)`): protocol, ports and ICMP type/code, or the expression that could not be read, with the
 * protocol when that is known (`Port.tcp(props.port)`: TCP on a port not known statically).
 */
export type PortSpec =
  | { kind: 'known'; protocol: Protocol; ports: PortSet; icmp?: Rule['icmp'] }
  /**
   * `expr` is the first bound that could not be read (FW303 names it); `bounds` names every bound, so that two Ports
   * with the same unknown first bound (`tcpRange(p, p + 10)`, `tcpRange(p, 9000)`) are told apart. `onePort`: both
   * bounds are that one value (`Port.tcp(p)`, `tcpRange(p, p)`), one port whatever it is. `portsWithin`: the ports a
   * range with the other bound known can reach (`tcpRange(443, p)`: 443-65535; see `UnknownValue.portsWithin`).
   */
  | { kind: 'unknown'; expr: string; node: Node; protocol?: Protocol; bounds?: string; onePort?: true; portsWithin?: PortSet }
  /** CDK would reject it; already reported. */
  | { kind: 'invalid' };

export interface ClassValue {
  kind: 'class';
  node: Node;
  decl: ClassNode;
  /** Environment the class was declared in (an `Env`; typed loosely to keep this file free of the reader). */
  env: unknown;
  name: string;
  instances: ConstructInstance[];
}

interface Written {
  /** Where the value is written: its literal when known, else the expression that produced it. */
  node: Node;
}

/**
 * A value the static reader computed for an expression. Nothing is ever executed: literals, `const` bindings,
 * templates, arrays, objects and a few library calls are folded; everything else is `unknown` with its source text.
 */
export type Value =
  | (Written & { kind: 'string'; value: string })
  | (Written & { kind: 'number'; value: number })
  | (Written & { kind: 'boolean'; value: boolean })
  | (Written & { kind: 'null' })
  | (Written & { kind: 'undefined' })
  | (Written & { kind: 'array'; items: Value[] })
  /** `complete` is false when a spread or computed key could not be read: a missing key is then unknown, not absent. */
  /** `imported`: a module's namespace (`import * as net`, `require('./net')`): a member it lacks is shown with the module. */
  | (Written & { kind: 'object'; entries: Map<string, Value>; complete: boolean; imported?: { written: string; specifier: string } })
  /** A library export, by its dotted name (`cdk.aws_ec2.Peer`): see modules.ts. */
  | (Written & { kind: 'symbol'; name: string })
  | (Written & { kind: 'function'; fn: FunctionNode; env: unknown; thisValue: Value | undefined })
  | (Written & ClassValue)
  | (Written & { kind: 'construct'; construct: ConstructInstance })
  /** A reference to a group or ACL's id (`sg.securityGroupId`, `cfn.attrGroupId`, `sg.ref`, Pulumi `sg.id`). */
  | (Written & { kind: 'group-id'; group: Group })
  /** `sg.connections` of a modelled group, or of another construct (`group` unset). */
  | (Written & { kind: 'connections'; owner: ConstructInstance })
  /**
   * A CDK peer (`Peer.ipv4(…)`): `family` tells IPv6 CIDRs apart for the egress defaults; `invalid` when CDK would
   * reject it (already reported), so rules using it are left out.
   */
  | (Written & { kind: 'peer'; peer: Peer; group?: Group; family?: 4 | 6; invalid?: boolean })
  | (Written & { kind: 'port'; port: PortSpec })
  /** `Tags.of(construct)`: its `add('fwlint:profile', …)` maps the construct's group to a role. */
  | (Written & { kind: 'tags'; owner: ConstructInstance })
  /**
   * `choice`: the value of `c ? a : b` under a condition fwlint cannot decide, either side known. Read as unknown
   * everywhere, except that a rule method given it is read once per side, each under its condition.
   */
  /**
   * `prefixList`: the id of a prefix list of the file whose entries are known (`pl.prefixListId`), as its peer.
   * `imported`: a name imported from a module fwlint could not read it from (or a member of one), as written here and
   * with the module's specifier, so that its members are shown with the module too (`NETS.admin from './net'`).
   */
  | (Written & { kind: 'unknown'; expr: string; choice?: Choice; prefixList?: Peer; imported?: { written: string; specifier: string } });

/** The two sides of a conditional expression: `consequent` when `condition` holds, `alternate` when it does not. */
export interface Choice {
  condition: string;
  consequent: Value;
  alternate: Value;
}

export type UnknownValue = Extract<Value, { kind: 'unknown' }>;

export function unknownValue(node: Node, expr: string): Value {
  return { kind: 'unknown', node, expr };
}

/** `true`/`false` when the value's truthiness is known statically. */
export function truthiness(value: Value): boolean | undefined {
  switch (value.kind) {
    case 'string':
      return value.value !== '';
    case 'number':
      return value.value !== 0 && !Number.isNaN(value.value);
    case 'boolean':
      return value.value;
    case 'null':
    case 'undefined':
      return false;
    case 'unknown':
      return undefined;
    default:
      return true;
  }
}

/** Text of a primitive as JavaScript's String() would print it; undefined for anything else. */
export function primitiveText(value: Value): string | undefined {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return String(value.value);
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'undefined':
      return 'undefined';
    default:
      return undefined;
  }
}

export function isNullish(value: Value): boolean {
  return value.kind === 'null' || value.kind === 'undefined';
}
