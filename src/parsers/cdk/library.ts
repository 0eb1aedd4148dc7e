import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { cdkCall, cdkConstruct, cdkMethod, groupProperty, unresolvedCdkMethod } from './aws-cdk';
import { cdkStaticMember } from './cdk-values';
import type { Arg, Library, StaticReader } from './reader';
import type { ModelContext } from './rule-items';
import type { SourceContext } from './source-context';
import type { Group, TargetBook } from './target-book';
import { terraformShapedConstruct } from './terraform-shaped';
import type { Node, Value } from './values';

/** The libraries fwlint reads, for one file: AWS CDK (v1 and v2), CDK for Terraform and Pulumi's AWS providers. */
export class InfrastructureLibrary implements Library {
  private readonly standIns = new Map<string, Group>();

  constructor(
    private readonly book: TargetBook,
    private readonly source: SourceContext,
  ) {}

  private context(reader: StaticReader): ModelContext {
    return { book: this.book, source: this.source, reader, standIns: this.standIns };
  }

  construct(symbol: string, args: Arg[], node: TSESTree.NewExpression, reader: StaticReader): Value | undefined {
    const context = this.context(reader);
    return cdkConstruct(context, symbol, args, node) ?? terraformShapedConstruct(context, symbol, args, node);
  }

  call(symbol: string, args: Arg[], node: TSESTree.CallExpression, reader: StaticReader): Value | undefined {
    // `Peer.ipv4(c ? a : b)`, `Port.tcp(…)`, `AclCidr.ipv4(…)`, `AclTraffic.tcpPort(…)` make values and nothing else:
    // given a choice, one value per side. Other calls may create things (an imported group) and are read once.
    if (!/^cdk\.aws_ec2\.(Peer|Port|AclCidr|AclTraffic)\./.test(symbol)) return cdkCall(this.context(reader), symbol, args, node);
    return reader.eitherValue(args, (chosen) => cdkCall(this.context(reader), symbol, chosen, node), node);
  }

  member(symbol: string, node: Node): Value | undefined {
    return cdkStaticMember(symbol, node);
  }

  method(receiver: Value, name: string, args: Arg[], node: TSESTree.CallExpression, reader: StaticReader): Value | undefined {
    return this.eitherWay(reader, args, (chosen) => cdkMethod(this.context(reader), receiver, name, chosen, node));
  }

  property(receiver: Value, name: string, node: Node): Value | undefined {
    return groupProperty(receiver, name, node);
  }

  unresolvedMethod(receiver: TSESTree.Expression, name: string, args: Arg[], node: TSESTree.CallExpression, reader: StaticReader): Value | undefined {
    return this.eitherWay(reader, args, (chosen) => unresolvedCdkMethod(this.context(reader), receiver, name, chosen, node));
  }

  /**
   * A rule method given `c ? a : b` adds the rule of each side under its condition (`sg.addIngressRule(isPublic ?
   * Peer.anyIpv4() : Peer.ipv4(cidr), …)`), both under the call's one address: the second reading numbers its rules
   * as the first did.
   */
  private eitherWay(reader: StaticReader, args: Arg[], call: (args: Arg[]) => Value | undefined): Value | undefined {
    if (!args.some((arg) => arg.value.kind === 'unknown' && arg.value.choice !== undefined)) return call(args);
    const before = this.book.saveCounters();
    let afterFirst: ReturnType<TargetBook['saveCounters']> | undefined;
    const result = reader.eitherWay(args, call, () => {
      afterFirst = this.book.saveCounters();
      this.book.restoreCounters(before);
    });
    if (afterFirst) this.book.keepHigherCounters(afterFirst);
    return result;
  }
}
