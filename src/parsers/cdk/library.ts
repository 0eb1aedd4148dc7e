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
    return cdkCall(this.context(reader), symbol, args, node);
  }

  member(symbol: string, node: Node): Value | undefined {
    return cdkStaticMember(symbol, node);
  }

  method(receiver: Value, name: string, args: Arg[], node: TSESTree.CallExpression, reader: StaticReader): Value | undefined {
    return cdkMethod(this.context(reader), receiver, name, args, node);
  }

  property(receiver: Value, name: string, node: Node): Value | undefined {
    return groupProperty(receiver, name, node);
  }

  unresolvedMethod(receiver: TSESTree.Expression, name: string, args: Arg[], node: TSESTree.CallExpression, reader: StaticReader): Value | undefined {
    return unresolvedCdkMethod(this.context(reader), receiver, name, args, node);
  }
}
