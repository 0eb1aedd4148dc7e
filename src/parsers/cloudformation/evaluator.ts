import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceRange } from '../../model/location';
import { shorten } from '../shared/hostile-input';
import { MAX_BRANCHING_CONDITIONS, MAX_MESSAGE_CHARS, MAX_NESTING_DEPTH } from './limits';

/** Evaluations of one resource under undecidable conditions and parameter values, at most. */
const MAX_BRANCHES = 2 ** MAX_BRANCHING_CONDITIONS;
import { expandLoop, expandNestedLoops, isLoopKey, newLoopBudget, type LoopContext, type LoopItem } from './foreach';
import { checkParameterValue, integerRangeValues } from './parameter-constraints';
import { PREVIOUS_VALUE } from './parameter-file';
import { SETTABLE_PSEUDO_PARAMETERS } from './pseudo-parameters';
import { describeNode, entryOf, intrinsicOf, type MapEntry, type MapNode, type TemplateNode } from './template-node';


/** `{{resolve:ssm:…}}`, `{{resolve:ssm-secure:…}}`, `{{resolve:secretsmanager:…}}` (CloudFormation dynamic references). */
const DYNAMIC_REFERENCE = /\{\{resolve:[^}]*\}\}/;
/**
 * A template value after static evaluation. `node` is where the value is written in the rule (for `!Ref P` the
 * `!Ref` itself, not the parameter's default), so findings point at what the author wrote.
 */
export type Value =
  | { kind: 'scalar'; value: string | number | boolean | null; node: TemplateNode }
  | { kind: 'list'; items: Value[]; node: TemplateNode }
  /** Entries stay unevaluated until asked for: `Scope.property`. */
  | { kind: 'map'; map: MapNode; node: TemplateNode }
  /** A resource of this template, through `Ref` or an id attribute (`!GetAtt Sg.GroupId`). */
  | { kind: 'resource'; logicalId: string; resourceType: string; node: TemplateNode }
  | { kind: 'unknown'; expr: string; node: TemplateNode }
  /** `AWS::NoValue`: the property or list item is removed. */
  | { kind: 'absent'; node: TemplateNode };

export interface ResourceInfo {
  logicalId: string;
  type: string;
  keyRange: SourceRange;
  /** From the logical id to the end of the resource's body. */
  range: SourceRange;
  typeEntry?: MapEntry;
  properties?: TemplateNode;
  condition?: string;
  body: MapNode;
  /** The `Fn::ForEach` item that stamped the resource out (see `LoopItem`). */
  loopItem?: LoopItem;
}

/** A condition that holds exactly when `parameter` has one of `values` (see `Template.parameterTest`). */
export interface ParameterTest {
  parameter: string;
  values: readonly string[];
}

interface ParameterInfo {
  type: string;
  /** The parameter's declaration, for its constraints. */
  body?: MapNode;
  defaultNode?: TemplateNode;
  override?: string;
  /** The value in use (given, else the default) breaks a constraint: CloudFormation refuses it, so it is not used. */
  refused?: boolean;
}

/**
 * Attributes that return the id of the resource itself, usable wherever `Ref` is. A security group's `Id` is its
 * registry schema's primary identifier, the value `Ref` returns (the group id in a VPC); CloudFormation accepts it.
 */
const ID_ATTRIBUTES: Record<string, readonly string[]> = {
  'AWS::EC2::SecurityGroup': ['GroupId', 'Id'],
  'AWS::EC2::NetworkAcl': ['Id'],
  'AWS::EC2::PrefixList': ['PrefixListId'],
};

/** The sections of a template the evaluator needs, plus a de-duplicating diagnostics sink. */
export class Template {
  readonly resources = new Map<string, ResourceInfo>();
  private readonly parameters = new Map<string, ParameterInfo>();

  /** The names the template's `Parameters` section declares. */
  get parameterNames(): string[] {
    return [...this.parameters.keys()];
  }
  private readonly pseudoParameters = new Map<string, string>();
  readonly conditions = new Map<string, TemplateNode>();
  /** The value sets conditions test each parameter for (see `conditionsTellApart`). */
  private testsByParameter: Map<string, Array<readonly string[]>> | undefined;
  private readonly parameterTests = new Map<string, ParameterTest | undefined>();
  private readonly mappings: MapNode | undefined;
  private readonly diagnosticKeys = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    root: MapNode,
    readonly file: string,
    params: Record<string, string>,
    /** Where each value of `params` comes from, for messages: `--param` or a parameter file's path. */
    paramOrigins: Record<string, string> = {},
  ) {
    const section = (name: string): MapNode | undefined => {
      const node = entryOf(root, name)?.value;
      return node?.kind === 'map' ? node : undefined;
    };
    for (const name of SETTABLE_PSEUDO_PARAMETERS) {
      if (Object.hasOwn(params, name) && params[name] !== PREVIOUS_VALUE) this.pseudoParameters.set(name, params[name]!);
    }
    for (const entry of section('Parameters')?.entries ?? []) {
      const body = entry.value.kind === 'map' ? entry.value : undefined;
      const typeNode = body ? entryOf(body, 'Type')?.value : undefined;
      const info: ParameterInfo = { type: typeNode?.kind === 'scalar' ? String(typeNode.value) : 'String' };
      if (body) info.body = body;
      const defaultNode = body ? entryOf(body, 'Default')?.value : undefined;
      if (defaultNode) info.defaultNode = defaultNode;
      if (Object.prototype.hasOwnProperty.call(params, entry.key)) info.override = params[entry.key];
      if (this.parameters.has(entry.key)) continue;
      if (body) this.checkConstraints(entry.key, body, info, Object.hasOwn(paramOrigins, entry.key) ? paramOrigins[entry.key] : undefined);
      this.parameters.set(entry.key, info);
    }
    this.mappings = section('Mappings');
    const budget = newLoopBudget();
    const loopsOf = (generates: string): LoopContext => ({
      collection: (node) => collectionValues(new Scope(this).evaluate(node)),
      report: (severity, code, message, range) => this.report(severity, code, message, range),
      budget,
      generates,
    });
    // Conditions an Fn::ForEach loop stamps out are defined as written ones are (a collection may not use conditions).
    const conditionLoops = loopsOf('conditions');
    for (const entry of section('Conditions')?.entries ?? []) {
      const stamped = isLoopKey(entry.key) ? expandLoop(entry, conditionLoops).map((each) => each.entry) : [entry];
      if (stamped.length === 0) this.conditionsUnread = true;
      for (const condition of stamped) {
        if (this.conditions.has(condition.key) && condition !== entry) {
          this.report('error', 'parse/cfn-foreach', `${entry.key} generates the condition ${condition.key}, which another condition already has`, condition.keyRange);
          continue;
        }
        if (!this.conditions.has(condition.key)) this.conditions.set(condition.key, condition.value);
      }
    }
    this.linkWrittenOutConditions();
    // Resources an Fn::ForEach loop stamps out, which CloudFormation rejects beside another of the same logical id.
    const generated = new Set<string>();
    const loops = loopsOf('resources');
    this.propertyLoops = loopsOf('properties');
    for (const entry of section('Resources')?.entries ?? []) {
      if (isLoopKey(entry.key)) {
        for (const { entry: stamped, item } of expandLoop(entry, loops)) {
          if (this.resources.has(stamped.key)) {
            this.report('error', 'parse/cfn-foreach', `${entry.key} generates the logical id ${stamped.key}, which another resource already has`, stamped.keyRange);
            continue;
          }
          if (!/^[A-Za-z0-9]+$/.test(stamped.key)) {
            this.report('error', 'parse/cfn-foreach', `${entry.key} generates the logical id "${stamped.key}", which is not alphanumeric (write &{…} to drop other characters); it is not analyzed`, stamped.keyRange);
            continue;
          }
          generated.add(stamped.key);
          this.addResource(stamped, item);
        }
        continue;
      }
      if (entry.key === 'Fn::Transform') {
        this.report('warning', 'parse/cfn-transform', `resources added by ${describeTransform(entry.value)} are not analyzed`, entry.keyRange);
        continue;
      }
      const wholeTransform = intrinsicOf(entry.value);
      if (wholeTransform?.key === 'Fn::Transform') {
        this.report('warning', 'parse/cfn-transform', `${entry.key} is given by ${describeTransform(wholeTransform.value)}; it is not analyzed`, entry.keyRange);
        continue;
      }
      if (generated.has(entry.key)) {
        this.report('error', 'parse/cfn-foreach', `${entry.key} is also a logical id an Fn::ForEach loop generates; CloudFormation rejects the template`, entry.keyRange);
        continue;
      }
      if (!this.resources.has(entry.key)) this.addResource(entry);
    }
  }

  /** An `Fn::ForEach` of `Conditions` generated nothing (its collection is unknown; reported): any name may be one of it. */
  conditionsUnread = false;
  /** For `Fn::ForEach` loops inside resources' properties. */
  private propertyLoops: LoopContext | undefined;

  private addResource(entry: MapEntry, loopItem?: LoopItem): void {
    if (entry.value.kind !== 'map') return;
    const typeEntry = entryOf(entry.value, 'Type');
    const conditionNode = entryOf(entry.value, 'Condition')?.value;
    const resource: ResourceInfo = {
      logicalId: entry.key,
      type: typeEntry?.value.kind === 'scalar' ? String(typeEntry.value.value) : '',
      keyRange: entry.keyRange,
      range: entry.range,
      body: entry.value,
    };
    if (typeEntry) resource.typeEntry = typeEntry;
    if (loopItem) resource.loopItem = loopItem;
    const properties = entryOf(entry.value, 'Properties')?.value;
    if (properties) resource.properties = this.propertyLoops ? expandNestedLoops(properties, this.propertyLoops) : properties;
    if (conditionNode?.kind === 'scalar' && typeof conditionNode.value === 'string') resource.condition = conditionNode.value;
    this.resources.set(entry.key, resource);
  }

  /**
   * A given value or default that breaks the parameter's constraints (AllowedValues, AllowedPattern, MinLength,
   * MaxLength, MinValue, MaxValue, a Number's type) is an error, as CloudFormation refuses to deploy with it. The value
   * in use is then not used: the parameter reads as unresolved (FW303), as it would be without a value. A bad default
   * that a valid given value replaces is a warning: the stack deploys only with a value given.
   */
  private checkConstraints(name: string, body: MapNode, info: ParameterInfo, origin: string | undefined): void {
    // An SSM parameter's default names the SSM parameter; its value comes from SSM at deploy time.
    if (info.type.startsWith('AWS::SSM::Parameter::')) return;
    const check = (value: string | undefined) => value === undefined || value === PREVIOUS_VALUE || DYNAMIC_REFERENCE.test(value)
      ? {} : checkParameterValue(info.type, body, value);
    const given = check(info.override);
    const defaultText = info.defaultNode ? parameterText(info.defaultNode) : undefined;
    const fromDefault = check(defaultText);
    if (given.violation) {
      info.refused = true;
      this.report('error', 'parse/cfn-parameter-constraint',
        `parameter ${name}: the value "${info.override}" given by ${origin ?? 'a parameter value'} ${given.violation.problem}; CloudFormation refuses it, so ${name} is read as unresolved`,
        given.violation.range);
    }
    if (fromDefault.violation) {
      if (info.override === undefined) info.refused = true;
      this.report(info.override === undefined ? 'error' : 'warning', 'parse/cfn-parameter-constraint',
        info.override === undefined
          ? `parameter ${name}: its Default "${defaultText}" ${fromDefault.violation.problem}; CloudFormation refuses the stack unless a valid value is given, so ${name} is read as unresolved`
          : `parameter ${name}: its Default "${defaultText}" ${fromDefault.violation.problem}; CloudFormation refuses the stack when no value is given for ${name}`,
        fromDefault.violation.range);
    }
    // Only the value in use: a default a given value replaces needs no pattern check to be told apart.
    const [used, usedResult] = info.override === undefined ? [defaultText, fromDefault] : [info.override, given];
    if (usedResult.uncheckedPattern) {
      this.report('warning', 'parse/cfn-parameter-pattern',
        `parameter ${name}: "${used}" is not checked against its AllowedPattern (${usedResult.uncheckedPattern.reason})`, usedResult.uncheckedPattern.range);
    }
  }

  /**
   * A condition written out inside another (`IsNotProd: !Not [!Equals [!Ref Env, prod]]` beside `IsProd: !Equals
   * [!Ref Env, prod]`) is read as a reference to it (`!Not [!Condition IsProd]`), so that the two are known to
   * exclude each other, as they are when written that way.
   */
  private linkWrittenOutConditions(): void {
    const byShape = new Map<string, string>();
    for (const [name, node] of this.conditions) {
      const shape = nodeShape(node);
      if (!byShape.has(shape)) byShape.set(shape, name);
    }
    if (byShape.size < 2) return;
    for (const [name, node] of this.conditions) this.conditions.set(name, withConditionReferences(node, byShape, name, 0));
  }

  /**
   * For a condition that holds exactly when a parameter (or pseudo parameter) has one of some values: the parameter
   * and those values, sorted. Written `!Equals [!Ref Env, prod]` (either order), or as an `!Or` of such tests over one
   * parameter (`!Or [!Equals [!Ref Env, prod], !Equals [!Ref Env, test]]`, operands also through `!Condition`). Two
   * conditions testing one parameter for values no one of which both test are never true together (`Env` is `dev`,
   * or `prod` or `test`, not both).
   */
  parameterTest(condition: string): ParameterTest | undefined {
    if (this.parameterTests.has(condition)) return this.parameterTests.get(condition);
    // Set before reading the definition: a condition that refers back to itself tests nothing.
    this.parameterTests.set(condition, undefined);
    const test = this.testOf(this.conditions.get(condition), 0);
    this.parameterTests.set(condition, test);
    return test;
  }

  private testOf(node: TemplateNode | undefined, depth: number): ParameterTest | undefined {
    if (node?.kind !== 'map' || node.entries.length !== 1 || depth > MAX_NESTING_DEPTH) return undefined;
    const { key, value: argument } = node.entries[0]!;
    if (key === 'Condition') return argument.kind === 'scalar' && typeof argument.value === 'string' ? this.parameterTest(argument.value) : undefined;
    if (argument.kind !== 'list') return undefined;
    if (key === 'Fn::Equals') {
      if (argument.items.length !== 2) return undefined;
      const [first, second] = argument.items as [TemplateNode, TemplateNode];
      const test = refAndLiteral(first, second) ?? refAndLiteral(second, first);
      return test && (this.parameters.has(test.parameter) || test.parameter.startsWith('AWS::')) ? { parameter: test.parameter, values: [test.value] } : undefined;
    }
    if (key !== 'Fn::Or' || argument.items.length === 0) return undefined;
    let parameter: string | undefined;
    const values = new Set<string>();
    for (const operand of argument.items) {
      const test = this.testOf(operand, depth + 1);
      if (!test || (parameter !== undefined && test.parameter !== parameter)) return undefined;
      parameter = test.parameter;
      for (const value of test.values) values.add(value);
    }
    return { parameter: parameter!, values: [...values].sort() };
  }

  /**
   * The values `parameter` can have when the conditions of `holding` (that test it) are true and those of `failing`
   * false, as the value of a branch tag: `prod`, or `prod|test` for several (checks read a tag's values as a set:
   * `Env=prod|test` meets `Env=prod`, never `Env=dev`). Undefined when no condition tests the parameter for other
   * values than another does (nothing to exclude), or when a value has a character tags use (`,`, `=`, `|`).
   */
  valueTag(parameter: string, holding: readonly ParameterTest[], failing: readonly ParameterTest[]): string | undefined {
    if (holding.length === 0) return undefined;
    const left = holding.slice(1).reduce((values, test) => values.filter((value) => test.values.includes(value)), [...holding[0]!.values])
      .filter((value) => !failing.some((test) => test.values.includes(value)));
    if (left.length === 0 || left.some((value) => /[,=|]/.test(value))) return undefined;
    return this.conditionsTellApart(parameter) ? left.join('|') : undefined;
  }

  /** Whether the conditions testing `parameter` test it for different values. Once per parameter and template. */
  private conditionsTellApart(parameter: string): boolean {
    if (!this.testsByParameter) {
      this.testsByParameter = new Map();
      for (const name of this.conditions.keys()) {
        const test = this.parameterTest(name);
        if (!test) continue;
        const tests = this.testsByParameter.get(test.parameter);
        if (tests) tests.push(test.values);
        else this.testsByParameter.set(test.parameter, [test.values]);
      }
    }
    const tests = this.testsByParameter.get(parameter) ?? [];
    const first = tests[0]?.join('|');
    return tests.some((values) => values.join('|') !== first);
  }

  /** The value `--param` gave a settable pseudo parameter (`AWS::Region`), if any. */
  pseudoParameter(name: string): string | undefined {
    return this.pseudoParameters.get(name);
  }

  parameter(name: string): ParameterInfo | undefined {
    return this.parameters.get(name);
  }

  /**
   * The values a parameter given no value (no `--param`, no `Default`) or a pseudo parameter not given can have, when
   * there are finitely many and each can be a branch tag's value: a String or Number parameter's `AllowedValues` that
   * meet its other constraints, or the whole numbers from a Number's `MinValue` to its `MaxValue` when there are no
   * more than branching follows; else, where it is a `FindInMap`'s top-level key, that map's keys (`mapKeys`), since
   * CloudFormation refuses to deploy with any other. Undefined otherwise: the value stays unresolved; `oversized` is
   * told how many there are when they are finitely many but more than branching ever follows.
   */
  possibleValues(name: string, mapKeys?: readonly string[], oversized?: (count: number) => void): readonly string[] | undefined {
    // A map with more keys than branching ever follows: its keys are not values to read one by one.
    const keysOf = (): readonly string[] | undefined => {
      if (mapKeys && mapKeys.length > MAX_BRANCHES) oversized?.(mapKeys.length);
      return mapKeys && mapKeys.length <= MAX_BRANCHES ? mapKeys : undefined;
    };
    let values: readonly string[] | undefined;
    if (name.startsWith('AWS::')) {
      if (name === 'AWS::NoValue' || this.pseudoParameters.has(name)) return undefined;
      values = keysOf();
    } else {
      const info = this.parameters.get(name);
      if (!info || info.override !== undefined || info.defaultNode !== undefined || (info.type !== 'String' && info.type !== 'Number')) return undefined;
      const allowed = info.body ? entryOf(info.body, 'AllowedValues')?.value : undefined;
      const written = allowed?.kind === 'list' && allowed.items.every((item) => item.kind === 'scalar' && item.value !== null)
        ? allowed.items.map((item) => String((item as { value: unknown }).value)) : undefined;
      // More values than branching ever follows are not checked one by one (a hostile list of 100,000).
      if (written && written.length > MAX_BRANCHES) {
        oversized?.(written.length);
        return undefined;
      }
      // A Number between a MinValue and a MaxValue close together has as few values as an AllowedValues list.
      const ranged = written === undefined && info.type === 'Number' && info.body ? integerRangeValues(info.body, MAX_BRANCHES) : undefined;
      const listed = written ?? ranged;
      values = listed ? listed.filter((value) => !checkParameterValue(info.type, info.body!, value).violation) : keysOf();
    }
    // Branch tags are `name=value` pairs joined by `,`, with `|` between the values of one name.
    if (values === undefined || values.length === 0 || values.some((value) => /[,=|]/.test(value))) return undefined;
    return [...new Set(values)];
  }

  mapping(name: string): MapNode | undefined {
    const node = this.mappings ? entryOf(this.mappings, name)?.value : undefined;
    return node?.kind === 'map' ? node : undefined;
  }

  /** Adds a diagnostic unless the same one was reported (a resource is evaluated once per branch). */
  report(severity: 'error' | 'warning', code: string, fullMessage: string, range: SourceRange): void {
    if (this.collecting) {
      this.collecting.push({ severity, code, message: fullMessage, range });
      return;
    }
    // Names and values quoted in a message come from the template: a megabyte-long logical id stays readable.
    const message = fullMessage.length > MAX_MESSAGE_CHARS ? shorten(fullMessage, MAX_MESSAGE_CHARS) : fullMessage;
    const key = `${code}\u0000${message}\u0000${range.startLine}:${range.startColumn}`;
    if (this.diagnosticKeys.has(key)) return;
    this.diagnosticKeys.add(key);
    this.diagnostics.push((severity === 'error' ? errorDiagnostic : warningDiagnostic)(code, this.file, message, range));
  }

  private collecting: PendingReport[] | undefined;

  /**
   * What `read` reports, collected instead of reported, for the caller to report with what it knows (the parameter
   * values of the branch it was read in).
   */
  collect(read: () => void): PendingReport[] {
    const outer = this.collecting;
    const collected: PendingReport[] = [];
    this.collecting = collected;
    try {
      read();
    } finally {
      this.collecting = outer;
    }
    return collected;
  }
}

/** A diagnostic `Template.collect` held back. */
export interface PendingReport {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  range: SourceRange;
}

/**
 * Evaluates template values under one assignment of the conditions that could not be decided (empty for the base
 * evaluation). Anything fwlint cannot know statically becomes an `unknown` value, never a guess.
 */
export class Scope {
  private readonly conditionCache = new Map<string, boolean | undefined>();
  private readonly conditionsInProgress = new Set<string>();

  constructor(
    readonly template: Template,
    private readonly assignment: ReadonlyMap<string, boolean> = new Map(),
    /** Values this scope gives parameters that have none, one of their `possibleValues` each (a branch per value). */
    private readonly parameterValues: ReadonlyMap<string, string> = new Map(),
  ) {}

  evaluate(node: TemplateNode, depth = 0): Value {
    if (depth > MAX_NESTING_DEPTH) return { kind: 'unknown', expr: describeNode(node), node };
    switch (node.kind) {
      case 'scalar':
        // A dynamic reference (`{{resolve:ssm:/net/cidr}}`) gets its value from SSM or Secrets Manager at deploy time.
        if (typeof node.value === 'string' && DYNAMIC_REFERENCE.test(node.value)) return { kind: 'unknown', expr: node.value, node };
        return { kind: 'scalar', value: node.value, node };
      case 'list': {
        const items: Value[] = [];
        for (const item of node.items) {
          const value = this.evaluate(item, depth + 1);
          if (value.kind !== 'absent') items.push(value);
        }
        return { kind: 'list', items, node };
      }
      case 'map': {
        const intrinsic = intrinsicOf(node);
        return intrinsic ? this.evaluateIntrinsic(intrinsic.key, intrinsic.value, node, depth) : { kind: 'map', map: node, node };
      }
    }
  }

  /** The evaluated property of a map value; `absent` when missing or removed with `AWS::NoValue`. */
  property(value: Value, key: string): Value {
    if (value.kind !== 'map') return { kind: 'absent', node: value.node };
    const entry = entryOf(value.map, key);
    return entry ? this.evaluate(entry.value) : { kind: 'absent', node: value.node };
  }

  /** The entry of a property as written, for its location. */
  entry(value: Value, key: string): MapEntry | undefined {
    return value.kind === 'map' ? entryOf(value.map, key) : undefined;
  }

  /** The value this scope's assignment gives an undecidable condition; undefined when it gives none. */
  assigned(name: string): boolean | undefined {
    return this.assignment.get(name);
  }

  /** True/false when decided (by parameters or by this scope's assignment), undefined when it cannot be. */
  condition(name: string, at?: SourceRange): boolean | undefined {
    const assigned = this.assignment.get(name);
    if (assigned !== undefined) return assigned;
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    const definition = this.template.conditions.get(name);
    if (!definition) {
      if (at && !this.template.conditionsUnread) this.template.report('error', 'parse/cfn-unknown-condition', `condition "${name}" is not defined in Conditions`, at);
      return undefined;
    }
    if (this.conditionsInProgress.has(name)) {
      this.template.report('error', 'parse/cfn-condition-cycle', `condition "${name}" refers to itself`, definition.range);
      return undefined;
    }
    this.conditionsInProgress.add(name);
    const value = this.evaluateCondition(definition, 0);
    this.conditionsInProgress.delete(name);
    this.conditionCache.set(name, value);
    return value;
  }

  /**
   * Whether the assignment leaves each parameter some value: conditions testing one parameter for values none of which
   * both test are never true together, and one testing for every value the true ones leave is not false.
   */
  parameterValuesConsistent(): boolean {
    // Per parameter, the values every true condition testing it allows.
    const allowed = new Map<string, readonly string[]>();
    for (const [name, value] of this.assignment) {
      const test = value ? this.template.parameterTest(name) : undefined;
      if (!test) continue;
      const before = allowed.get(test.parameter);
      const left = before === undefined ? test.values : before.filter((each) => test.values.includes(each));
      if (left.length === 0) return false;
      allowed.set(test.parameter, left);
    }
    for (const [name, value] of this.assignment) {
      const test = value ? undefined : this.template.parameterTest(name);
      const left = test ? allowed.get(test.parameter) : undefined;
      if (test && left && left.every((each) => test.values.includes(each))) return false;
    }
    return true;
  }

  /**
   * False when this scope's assignment cannot happen: a condition is assigned a value its definition, evaluated with
   * the other assigned conditions, contradicts (`IsDev=true` with `IsProd=true` where `IsDev: !Not [!Condition IsProd]`).
   */
  consistent(): boolean {
    for (const [name, value] of this.assignment) {
      const definition = this.template.conditions.get(name);
      if (!definition) continue;
      this.conditionsInProgress.add(name);
      const defined = this.evaluateCondition(definition, 0);
      this.conditionsInProgress.delete(name);
      if (defined !== undefined && defined !== value) return false;
    }
    return true;
  }

  private evaluateCondition(node: TemplateNode, depth: number): boolean | undefined {
    if (depth > MAX_NESTING_DEPTH) return undefined;
    if (node.kind === 'scalar') {
      if (typeof node.value === 'boolean') return node.value;
      return node.value === 'true' ? true : node.value === 'false' ? false : undefined;
    }
    if (node.kind !== 'map' || node.entries.length !== 1) return undefined;
    const { key, value: argument } = node.entries[0]!;
    const operands = argument.kind === 'list' ? argument.items : [];
    switch (key) {
      case 'Condition':
        return argument.kind === 'scalar' ? this.condition(String(argument.value), argument.range) : undefined;
      case 'Fn::Equals': {
        if (operands.length !== 2) return undefined;
        const left = comparable(this.evaluate(operands[0]!, depth + 1));
        const right = comparable(this.evaluate(operands[1]!, depth + 1));
        return left === undefined || right === undefined ? undefined : left === right;
      }
      case 'Fn::Not':
        return operands.length === 1 ? negate(this.evaluateCondition(operands[0]!, depth + 1)) : undefined;
      case 'Fn::And':
      case 'Fn::Or': {
        // Three-valued: one false decides an And, one true decides an Or, even beside undecidable operands.
        const decisive = key === 'Fn::Or';
        let undecided = false;
        for (const operand of operands) {
          const result = this.evaluateCondition(operand, depth + 1);
          if (result === decisive) return decisive;
          if (result === undefined) undecided = true;
        }
        return undecided ? undefined : !decisive;
      }
      default:
        return undefined;
    }
  }

  private evaluateIntrinsic(name: string, argument: TemplateNode, node: TemplateNode, depth: number): Value {
    const unknown: Value = { kind: 'unknown', expr: describeNode(node), node };
    const operands = argument.kind === 'list' ? argument.items : [];
    switch (name) {
      case 'Ref':
        return argument.kind === 'scalar' && typeof argument.value === 'string' ? this.ref(argument.value, node) : unknown;
      case 'Fn::GetAtt':
        return this.getAtt(argument, node, depth);
      case 'Fn::If': {
        const conditionNode = operands[0];
        if (operands.length !== 3 || conditionNode?.kind !== 'scalar') return unknown;
        const decided = this.condition(String(conditionNode.value), conditionNode.range);
        return decided === undefined ? unknown : this.evaluate(operands[decided ? 1 : 2]!, depth + 1);
      }
      case 'Fn::Sub':
        return this.sub(argument, node, depth);
      case 'Fn::Join': {
        if (operands.length !== 2) return unknown;
        const delimiter = this.evaluate(operands[0]!, depth + 1);
        const list = this.evaluate(operands[1]!, depth + 1);
        if (delimiter.kind !== 'scalar' || list.kind !== 'list') return unknown;
        const parts = list.items.map(scalarText);
        return parts.some((part) => part === undefined) ? unknown : { kind: 'scalar', value: parts.join(String(delimiter.value ?? '')), node };
      }
      case 'Fn::Split': {
        if (operands.length !== 2) return unknown;
        const delimiter = this.evaluate(operands[0]!, depth + 1);
        const source = scalarText(this.evaluate(operands[1]!, depth + 1));
        if (delimiter.kind !== 'scalar' || source === undefined || String(delimiter.value ?? '') === '') return unknown;
        return { kind: 'list', items: source.split(String(delimiter.value)).map((part) => ({ kind: 'scalar', value: part, node })), node };
      }
      case 'Fn::Select': {
        if (operands.length !== 2) return unknown;
        const index = scalarText(this.evaluate(operands[0]!, depth + 1));
        const list = this.evaluate(operands[1]!, depth + 1);
        if (index === undefined || !/^\d+$/.test(index) || list.kind !== 'list') return unknown;
        const item = list.items[Number(index)];
        if (!item) {
          this.template.report('error', 'parse/cfn-select-range', `!Select index ${index} is out of range (the list has ${list.items.length} items)`, node.range);
          return unknown;
        }
        return located(item, node);
      }
      case 'Fn::FindInMap':
        return this.findInMap(operands, node, depth);
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not': {
        const decided = this.evaluateCondition(node, depth + 1);
        return decided === undefined ? unknown : { kind: 'scalar', value: decided, node };
      }
      default:
        // ImportValue (another stack), GetAZs and Cidr (the account's network), Base64, Transform, unknown tags.
        return unknown;
    }
  }

  private ref(name: string, node: TemplateNode): Value {
    const unknown: Value = { kind: 'unknown', expr: describeNode(node), node };
    if (name === 'AWS::NoValue') return { kind: 'absent', node };
    const branchValue = this.parameterValues.get(name);
    if (name.startsWith('AWS::')) {
      // Unknown until deployed, unless `--param AWS::Region=…` (or a parameter file) says which stack is meant.
      const given = this.template.pseudoParameter(name) ?? branchValue;
      return given === undefined ? unknown : { kind: 'scalar', value: given, node };
    }
    const parameter = this.template.parameter(name);
    if (parameter) return parameterValue(parameter, node) ?? (branchValue === undefined ? unknown : { kind: 'scalar', value: branchValue, node });
    const resource = this.template.resources.get(name);
    if (resource) return { kind: 'resource', logicalId: name, resourceType: resource.type, node };
    this.template.report('error', 'parse/cfn-unresolved-ref', `!Ref ${name}: no parameter or resource of that name`, node.range);
    return unknown;
  }

  private getAtt(argument: TemplateNode, node: TemplateNode, depth: number): Value {
    const unknown: Value = { kind: 'unknown', expr: describeNode(node), node };
    let parts: string[] | undefined;
    if (argument.kind === 'scalar' && typeof argument.value === 'string') {
      // The long form also accepts the dotted string (`"Fn::GetAtt": "Sg.GroupId"`).
      const dot = argument.value.indexOf('.');
      parts = dot > 0 ? [argument.value.slice(0, dot), argument.value.slice(dot + 1)] : undefined;
    } else if (argument.kind === 'list' && argument.items.length === 2) {
      const texts = argument.items.map((item) => scalarText(this.evaluate(item, depth + 1)));
      parts = texts.every((text) => text !== undefined) ? (texts as string[]) : undefined;
    }
    if (!parts) return unknown;
    const [logicalId, attribute] = parts as [string, string];
    const resource = this.template.resources.get(logicalId);
    if (!resource) {
      this.template.report('error', 'parse/cfn-unresolved-ref', `!GetAtt ${logicalId}.${attribute}: no resource named ${logicalId}`, node.range);
      return unknown;
    }
    return Object.hasOwn(ID_ATTRIBUTES, resource.type) && ID_ATTRIBUTES[resource.type]!.includes(attribute) ? { kind: 'resource', logicalId, resourceType: resource.type, node } : unknown;
  }

  private sub(argument: TemplateNode, node: TemplateNode, depth: number): Value {
    const unknown: Value = { kind: 'unknown', expr: describeNode(node), node };
    let templateText: string | undefined;
    let variables: MapNode | undefined;
    if (argument.kind === 'scalar' && typeof argument.value === 'string') {
      templateText = argument.value;
    } else if (argument.kind === 'list' && argument.items.length === 2) {
      const [first, second] = argument.items as [TemplateNode, TemplateNode];
      templateText = first.kind === 'scalar' && typeof first.value === 'string' ? first.value : undefined;
      variables = second.kind === 'map' ? second : undefined;
    }
    if (templateText === undefined) return unknown;
    // `!Sub "${Sg}"` and `!Sub "${Sg.GroupId}"` are the reference itself, as `!Ref Sg` and `!GetAtt Sg.GroupId` are.
    const whole = /^\$\{([^!}][^}]*)\}$/.exec(templateText);
    if (whole) {
      const value = this.subVariable(whole[1]!.trim(), variables, node, depth);
      if (value.kind === 'resource') return { ...value, node };
    }
    let resolved = true;
    // `${!Literal}` is an escape: it produces `${Literal}` and substitutes nothing (Fn::Sub reference).
    const text = templateText.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const value = this.subVariable(inner.trim(), variables, node, depth);
      // A resource inside longer text (`${Sg}-suffix`) has a value only once deployed.
      const part = value.kind === 'resource' ? undefined : scalarText(value);
      if (part === undefined) resolved = false;
      return part ?? '';
    });
    return resolved ? { kind: 'scalar', value: text, node } : unknown;
  }

  /** A `${name}` of `Fn::Sub`: from the variables map first, else a `Ref` or, for `Name.Attribute`, a `GetAtt`. */
  private subVariable(name: string, variables: MapNode | undefined, node: TemplateNode, depth: number): Value {
    const variable = variables ? entryOf(variables, name)?.value : undefined;
    if (variable) return this.evaluate(variable, depth + 1);
    return name.includes('.') ? this.getAtt({ kind: 'scalar', value: name, range: node.range }, node, depth + 1) : this.ref(name, node);
  }

  private findInMap(operands: TemplateNode[], node: TemplateNode, depth: number): Value {
    const unknown: Value = { kind: 'unknown', expr: describeNode(node), node };
    if (operands.length !== 3 && operands.length !== 4) return unknown;
    const keys = operands.slice(0, 3).map((operand) => scalarText(this.evaluate(operand, depth + 1)));
    if (keys.some((key) => key === undefined)) return unknown;
    const [mapName, topKey, secondKey] = keys as [string, string, string];
    const top = this.template.mapping(mapName);
    const second = top ? entryOf(top, topKey)?.value : undefined;
    const found = second?.kind === 'map' ? entryOf(second, secondKey)?.value : undefined;
    if (found) return located(this.evaluate(found, depth + 1), node);
    // AWS::LanguageExtensions adds a fourth operand `{ DefaultValue: … }`.
    const fallback = operands[3]?.kind === 'map' ? entryOf(operands[3], 'DefaultValue')?.value : undefined;
    if (fallback) return this.evaluate(fallback, depth + 1);
    // A branch's value of a parameter (one of its AllowedValues) that the map lacks: CloudFormation fails to deploy
    // with it, so there is no rule to read in that branch, and nothing wrong with the template.
    const keyReference = refName(operands[1]!);
    if (keyReference !== undefined && this.parameterValues.has(keyReference)) return unknown;
    this.template.report('error', 'parse/cfn-mapping', `!FindInMap [${mapName}, ${topKey}, ${secondKey}] has no value in Mappings`, node.range);
    return unknown;
  }
}

/** The items of a loop's collection, when it is a list of known scalars. */
function collectionValues(value: Value): string[] | undefined {
  if (value.kind !== 'list') return undefined;
  const texts = value.items.map(scalarText);
  return texts.every((text) => text !== undefined) ? (texts as string[]) : undefined;
}

/** `Fn::Transform AWS::Include (s3://bucket/snippet.yaml)`, for messages: the macro and, for AWS::Include, its Location. */
export function describeTransform(node: TemplateNode): string {
  const name = node.kind === 'map' ? entryOf(node, 'Name')?.value : undefined;
  const parameters = node.kind === 'map' ? entryOf(node, 'Parameters')?.value : undefined;
  const location = parameters?.kind === 'map' ? entryOf(parameters, 'Location')?.value : undefined;
  const nameText = name?.kind === 'scalar' && name.value !== null ? String(name.value) : name ? describeNode(name) : 'a macro';
  const locationText = location?.kind === 'scalar' && location.value !== null ? String(location.value) : location ? describeNode(location) : undefined;
  return `Fn::Transform ${nameText}${locationText === undefined ? '' : ` (${locationText})`}`;
}

function parameterValue(parameter: ParameterInfo, node: TemplateNode): Value | undefined {
  // SSM parameter types resolve at deploy time; the default is the SSM parameter's name, not its value.
  if (parameter.type.startsWith('AWS::SSM::Parameter::') || parameter.refused) return undefined;
  let raw = parameter.override;
  if (raw === undefined && parameter.defaultNode) raw = parameterText(parameter.defaultNode);
  // A default (or given value) that is a dynamic reference resolves at deploy time too, and a parameter file's
  // `UsePreviousValue` keeps the deployed stack's value.
  if (raw === undefined || raw === PREVIOUS_VALUE || DYNAMIC_REFERENCE.test(raw)) return undefined;
  if (parameter.type === 'CommaDelimitedList' || parameter.type.startsWith('List<')) {
    return { kind: 'list', items: raw.split(',').map((part) => ({ kind: 'scalar', value: part.trim(), node })), node };
  }
  return { kind: 'scalar', value: raw, node };
}

/** A parameter's default as text: a scalar, or a list of scalars joined with commas (as a list parameter's value). */
function parameterText(node: TemplateNode): string | undefined {
  return node.kind === 'scalar' ? (node.value === null ? undefined : String(node.value))
    : node.kind === 'list' && node.items.every((item) => item.kind === 'scalar') ? node.items.map((item) => String((item as { value: unknown }).value)).join(',')
    : undefined;
}

/** A value read from elsewhere (a mapping, a list) is reported where the rule asks for it. */
function located(value: Value, node: TemplateNode): Value {
  return value.kind === 'scalar' || value.kind === 'unknown' || value.kind === 'resource' ? { ...value, node } : value;
}

/** Text of a scalar as CloudFormation sees it (`22` and `"22"` alike); undefined for anything else. */
export function scalarText(value: Value): string | undefined {
  return value.kind === 'scalar' && value.value !== null ? String(value.value) : undefined;
}

/** `scalarText` for quoting in a message: a number as the template writes it (`99999999999999999999`, not `1e+20`). */
export function writtenText(value: Value): string | undefined {
  return value.kind === 'scalar' && value.node.kind === 'scalar' && value.node.value === value.value && value.node.written !== undefined
    ? value.node.written : scalarText(value);
}

/** The name a `{ Ref: name }` node refers to; undefined for any other node. */
function refName(node: TemplateNode): string | undefined {
  if (node.kind !== 'map' || node.entries.length !== 1 || node.entries[0]!.key !== 'Ref') return undefined;
  const name = node.entries[0]!.value;
  return name.kind === 'scalar' && typeof name.value === 'string' ? name.value : undefined;
}

/**
 * Parameters without a value that the values below `node` read and that have `possibleValues`, with those values, in
 * order of first use (into `oversized`, those with finitely many values but more than branching ever follows, with
 * their number): `!Ref P`, `${P}` in `Fn::Sub`, and a `FindInMap`'s top-level key `!Ref P` or `!Ref AWS::Region`
 * (whose possible values may be the map's keys). With `keys`, only the values of those keys of the mapping `node`
 * (a security group's rule lists). A name read in several ways keeps the values its first use gives.
 */
export function unsetParameterDomains(template: Template, node: TemplateNode, keys?: readonly string[], oversized?: Map<string, number>): Map<string, readonly string[]> {
  const domains = new Map<string, readonly string[]>();
  const add = (name: string, mapKeys?: readonly string[]): void => {
    if (domains.has(name) || oversized?.has(name)) return;
    const values = template.possibleValues(name, mapKeys, (count) => oversized?.set(name, count));
    if (values) domains.set(name, values);
  };
  const walk = (current: TemplateNode, depth: number): void => {
    if (depth > MAX_NESTING_DEPTH) return;
    if (current.kind === 'list') {
      for (const item of current.items) walk(item, depth + 1);
      return;
    }
    if (current.kind !== 'map') return;
    const intrinsic = intrinsicOf(current);
    const reference = refName(current);
    if (reference !== undefined) {
      if (!reference.startsWith('AWS::')) add(reference);
      return;
    }
    if (intrinsic?.key === 'Fn::FindInMap' && intrinsic.value.kind === 'list') {
      const [mapName, topKey] = intrinsic.value.items;
      const key = topKey ? refName(topKey) : undefined;
      const map = mapName?.kind === 'scalar' && typeof mapName.value === 'string' ? template.mapping(mapName.value) : undefined;
      if (key !== undefined) add(key, map?.entries.map((entry) => entry.key));
    }
    if (intrinsic?.key === 'Fn::Sub') {
      const text = intrinsic.value.kind === 'scalar' ? intrinsic.value.value : intrinsic.value.kind === 'list' && intrinsic.value.items[0]?.kind === 'scalar' ? intrinsic.value.items[0].value : undefined;
      const variables = intrinsic.value.kind === 'list' && intrinsic.value.items[1]?.kind === 'map' ? intrinsic.value.items[1] : undefined;
      for (const match of typeof text === 'string' ? text.matchAll(/\$\{([^!}][^}]*)\}/g) : []) {
        const name = match[1]!.trim();
        if (!name.includes('.') && !name.startsWith('AWS::') && !(variables && entryOf(variables, name))) add(name);
      }
    }
    for (const entry of current.entries) if (depth > 0 || keys === undefined || intrinsic || keys.includes(entry.key)) walk(entry.value, depth + 1);
  };
  walk(node, 0);
  return domains;
}

/** `{ Ref: P }` against a scalar literal: the parameter and the literal's text. */
function refAndLiteral(reference: TemplateNode, literal: TemplateNode): { parameter: string; value: string } | undefined {
  if (reference.kind !== 'map' || reference.entries.length !== 1 || reference.entries[0]!.key !== 'Ref') return undefined;
  const name = reference.entries[0]!.value;
  if (name.kind !== 'scalar' || typeof name.value !== 'string' || literal.kind !== 'scalar' || literal.value === null) return undefined;
  return { parameter: name.value, value: String(literal.value) };
}

function comparable(value: Value): string | undefined {
  if (value.kind === 'scalar') return scalarText(value);
  if (value.kind === 'resource') return `resource:${value.logicalId}`;
  if (value.kind === 'list') {
    const parts = value.items.map(comparable);
    return parts.some((part) => part === undefined) ? undefined : `list:${parts.join('\u0000')}`;
  }
  return undefined;
}

function negate(value: boolean | undefined): boolean | undefined {
  return value === undefined ? undefined : !value;
}

/** Condition names used by `Fn::If` anywhere below `node`, in order of first use. */
export function ifConditionNames(node: TemplateNode, names: string[] = [], depth = 0): string[] {
  if (depth > MAX_NESTING_DEPTH) return names;
  if (node.kind === 'list') {
    for (const item of node.items) ifConditionNames(item, names, depth + 1);
  } else if (node.kind === 'map') {
    const intrinsic = intrinsicOf(node);
    if (intrinsic?.key === 'Fn::If' && intrinsic.value.kind === 'list') {
      const first = intrinsic.value.items[0];
      if (first?.kind === 'scalar' && typeof first.value === 'string' && !names.includes(first.value)) names.push(first.value);
    }
    for (const entry of node.entries) ifConditionNames(entry.value, names, depth + 1);
  }
  return names;
}

/**
 * Condition names of the `Fn::If`s that decide the values of `keys` in the mapping `node`, in order of first use: those
 * choosing the mapping itself (`Properties: !If [C, {…}, {…}]`) and every one inside those keys' values. Any other
 * function computing the mapping counts with all of its `Fn::If`s, as which keys it gives is not known.
 */
export function ifConditionNamesOfKeys(node: TemplateNode, keys: readonly string[], names: string[] = [], depth = 0): string[] {
  if (depth > MAX_NESTING_DEPTH || node.kind !== 'map') return names;
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.key === 'Fn::If' && intrinsic.value.kind === 'list') {
    const [first, ...branches] = intrinsic.value.items;
    if (first?.kind === 'scalar' && typeof first.value === 'string' && !names.includes(first.value)) names.push(first.value);
    for (const branch of branches) ifConditionNamesOfKeys(branch, keys, names, depth + 1);
    return names;
  }
  if (intrinsic) return ifConditionNames(node, names, depth);
  for (const entry of node.entries) if (keys.includes(entry.key)) ifConditionNames(entry.value, names, depth + 1);
  return names;
}

/** Condition names a condition's definition refers to with `Condition` (`!Not [!Condition IsProd]`), in order. */
export function conditionReferences(node: TemplateNode, names: string[] = [], depth = 0): string[] {
  if (depth > MAX_NESTING_DEPTH) return names;
  if (node.kind === 'list') {
    for (const item of node.items) conditionReferences(item, names, depth + 1);
  } else if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (entry.key === 'Condition' && entry.value.kind === 'scalar' && typeof entry.value.value === 'string') {
        if (!names.includes(entry.value.value)) names.push(entry.value.value);
      } else {
        conditionReferences(entry.value, names, depth + 1);
      }
    }
  }
  return names;
}

/** A node's content without its positions, for comparing two written conditions. */
function nodeShape(node: TemplateNode): string {
  return JSON.stringify(shapeOf(node, 0));
}

function shapeOf(node: TemplateNode, depth: number): unknown {
  if (depth > MAX_NESTING_DEPTH) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'list') return node.items.map((item) => shapeOf(item, depth + 1));
  return node.entries.map((entry) => [entry.key, shapeOf(entry.value, depth + 1)]);
}

/** `node` with each intrinsic inside it that is another condition's whole definition replaced by `{Condition: name}`. */
function withConditionReferences(node: TemplateNode, byShape: ReadonlyMap<string, string>, self: string, depth: number): TemplateNode {
  if (depth > MAX_NESTING_DEPTH) return node;
  if (depth > 0 && node.kind === 'map') {
    const name = byShape.get(nodeShape(node));
    if (name !== undefined && name !== self) {
      const reference: TemplateNode = { kind: 'scalar', value: name, range: node.range };
      return { kind: 'map', entries: [{ key: 'Condition', keyRange: node.range, value: reference, range: node.range }], range: node.range };
    }
  }
  if (node.kind === 'list') return { ...node, items: node.items.map((item) => withConditionReferences(item, byShape, self, depth + 1)) };
  if (node.kind === 'map') return { ...node, entries: node.entries.map((entry) => ({ ...entry, value: withConditionReferences(entry.value, byShape, self, depth + 1) })) };
  return node;
}
