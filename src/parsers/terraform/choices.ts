import { AddressSet } from '../../model/address-set';
import { negateCondition } from '../../model/branch';
import type { Diagnostic } from '../../model/diagnostic';
import { PortSet } from '../../model/port-set';
import type { Rule } from '../../model/rule';
import { branchOfAll } from './condition-names';
import type { BuildContext, Field, FieldChoice, Fields } from './to-model';

/** A rule construct: its arguments, and for a GCP firewall its `allow`/`deny` blocks' (read per side too). */
interface Construct {
  fields: Fields;
  blocks?: ReadonlyArray<{ fields: Fields }>;
}

/** Sides of `c ? a : b` arguments one construct is read under: 3 splits are up to 8 readings of it. */
const MAX_CHOICE_SPLITS = 3;

/**
 * The rules of a construct whose arguments may be written `c ? a : b` with a condition fwlint cannot decide (a
 * variable without a default): `cidr_blocks = [var.public ? "0.0.0.0/0" : var.office]` would otherwise be an
 * unresolved peer (FW303) and hide a world-open side. Such a construct is read once per side, each rule tagged with
 * its condition (`branch`: `var.public`, `!var.public`), as CloudFormation `Fn::If` branches are; a condition an
 * enclosing side decides takes that side, so two arguments testing one condition are never paired crosswise. A rule
 * read the same on both sides of a condition does not depend on it and is kept once without it (see `mergeSides`).
 * Constructs with nothing unresolved are read once, as before, at no extra cost.
 */
export function rulesEitherWay<C extends Construct>(
  construct: C,
  ctx: BuildContext,
  build: (construct: C, ctx: BuildContext) => Rule[],
  /**
   * The conditions its resource exists under (`count = var.create ? 1 : 0`, and its module call's), joined with
   * ` and `, and its `dynamic` block's condition.
   */
  resourceBranch?: string,
  blockBranch?: string,
): Rule[] {
  // Plain arguments, not a list: this runs once per rule block of the whole input, almost always without either.
  const conditions = resourceBranch === undefined && blockBranch === undefined ? NO_CONDITIONS : [...(resourceBranch?.split(' and ') ?? []), blockBranch].filter((condition): condition is string => condition !== undefined);
  const readings = readSides(construct, ctx, build, conditions, MAX_CHOICE_SPLITS);
  if (readings.length === 1 && readings[0]!.conditions.length === 0) return readings[0]!.rules;
  const rules: Rule[] = [];
  for (const { conditions: sides, rules: read } of readings) {
    const branch = sides.length > 0 ? sides.join(' and ') : undefined;
    for (const rule of read) {
      if (branch !== undefined) {
        // A rule with a branch of its own (a conditional prefix list entry's) exists where both hold.
        const joined = rule.branch === undefined ? branch : branchOfAll([...sides, ...rule.branch.split(' and ')]);
        if (joined === null) continue;
        rule.branch = joined;
        rule.id = `${rule.id}?${branch}`;
      }
      rules.push(rule);
    }
  }
  return rules;
}

const NO_CONDITIONS: string[] = [];

/** Rules read with the sides `conditions` name (the resource's and the `dynamic` block's conditions first). */
interface Reading {
  conditions: readonly string[];
  rules: Rule[];
}

function readSides<C extends Construct>(construct: C, ctx: BuildContext, build: (construct: C, ctx: BuildContext) => Rule[], conditions: readonly string[], splits: number): Reading[] {
  const diagnostics = ctx.diagnostics.length;
  const targetUnknowns = ctx.targetUnknowns.length;
  const rules = build(construct, ctx);
  // An undecidable conditional always leaves something unresolved: only then are the arguments looked at.
  let unresolved = ctx.targetUnknowns.length > targetUnknowns;
  for (let i = 0; i < rules.length && !unresolved; i++) unresolved = rules[i]!.unknowns.length > 0;
  const choice = unresolved && splits > 0 ? construct.fields.choice?.(new Set()) : undefined;
  if (!choice && unresolved && splits > 0) {
    // A GCP firewall's allow/deny blocks: a choice in one of them splits the firewall with that block's side.
    const inBlock = blockChoice(construct);
    if (inBlock) {
      ctx.diagnostics.length = diagnostics;
      ctx.targetUnknowns.length = targetUnknowns;
      return readChoice(inBlock.choice, conditions, (field) => withBlockFields(construct, inBlock.index, new ChosenFields(inBlock.fields, inBlock.choice.name, field)), ctx, build, splits);
    }
  }
  if (!choice) return [{ conditions, rules }];
  // Read again per side: what the reading with the unresolved value reported is dropped.
  ctx.diagnostics.length = diagnostics;
  ctx.targetUnknowns.length = targetUnknowns;
  return readChoice(choice, conditions, (field) => ({ ...construct, fields: new ChosenFields(construct.fields, choice.name, field) }), ctx, build, splits);
}

/** The construct read with each side of `choice` (`side` puts it in place), or with the side `conditions` decide. */
function readChoice<C extends Construct>(choice: FieldChoice, conditions: readonly string[], side: (field: Field) => C, ctx: BuildContext, build: (construct: C, ctx: BuildContext) => Rule[], splits: number): Reading[] {
  const negated = negateCondition(choice.condition);
  if (conditions.includes(choice.condition)) return readSides(side(choice.consequent), ctx, build, conditions, splits - 1);
  if (conditions.includes(negated)) return readSides(side(choice.alternate), ctx, build, conditions, splits - 1);
  const consequentConditions = [...conditions, choice.condition];
  const alternateConditions = [...conditions, negated];
  const start = ctx.diagnostics.length;
  const consequent = readSides(side(choice.consequent), ctx, build, consequentConditions, splits - 1);
  const middle = ctx.diagnostics.length;
  const alternate = readSides(side(choice.alternate), ctx, build, alternateConditions, splits - 1);
  const consequentHasErrors = hasErrors(ctx.diagnostics, start, middle);
  const alternateHasErrors = hasErrors(ctx.diagnostics, middle, ctx.diagnostics.length);
  // A value invalid on one side only is not an input error: that side may never be taken (Terraform would not
  // complain unless it is). It is still worth a warning, naming the side.
  if (consequentHasErrors && !alternateHasErrors) downgradeErrors(ctx, start, middle, consequentConditions);
  if (alternateHasErrors && !consequentHasErrors) downgradeErrors(ctx, middle, ctx.diagnostics.length, alternateConditions);
  return mergeSides(choice.condition, negated, consequent, alternate);
}

/**
 * The readings of both sides of `condition`, a rule read alike on both (under the same other conditions) kept once,
 * without it: it exists either way. In `concat(var.public ? ["0.0.0.0/0"] : [], var.extra ? ["10.0.0.0/8"] : [])`
 * the world-open rule is read under `var.public and var.extra` and `var.public and !var.extra`: one rule under
 * `var.public`, so one finding, naming the condition that matters. Sides are paired innermost first, so a rule
 * that no condition of the argument shapes (`["192.0.2.0/24", c ? a : b]`) ends up without any.
 */
function mergeSides(condition: string, negated: string, consequent: Reading[], alternate: Reading[]): Reading[] {
  const twins = new Map<string, Rule[]>();
  for (const reading of alternate) {
    const others = conditionsKey(reading.conditions, negated);
    for (const rule of reading.rules) {
      const key = `${others}\u0001${sideFreeKey(rule)}`;
      const list = twins.get(key);
      if (list) list.push(rule);
      else twins.set(key, [rule]);
    }
  }
  const merged: Reading[] = [];
  const paired = new Set<Rule>();
  for (const reading of consequent) {
    const others = conditionsKey(reading.conditions, condition);
    const withoutCondition = reading.conditions.filter((each) => each !== condition);
    for (const rule of reading.rules) {
      const twin = twins.get(`${others}\u0001${sideFreeKey(rule)}`)?.find((candidate) => !paired.has(candidate));
      if (twin) paired.add(twin);
      pushReading(merged, twin ? withoutCondition : reading.conditions, rule);
    }
  }
  for (const reading of alternate) for (const rule of reading.rules) if (!paired.has(rule)) pushReading(merged, reading.conditions, rule);
  return merged;
}

/** Appends `rule` to the last reading when that has the same conditions, else as a reading of its own (order kept). */
function pushReading(readings: Reading[], conditions: readonly string[], rule: Rule): void {
  const last = readings[readings.length - 1];
  if (last && last.conditions === conditions) last.rules.push(rule);
  else readings.push({ conditions, rules: [rule] });
}

/** The conditions of a reading but `condition`, in a fixed order (two sides may have split the rest in another). */
function conditionsKey(conditions: readonly string[], condition: string): string {
  return conditions.filter((each) => each !== condition).sort().join('\u0000');
}

/**
 * Everything a rule says but its id (its index among the peers of one side) and branch: two sides' readings of one
 * construct with equal keys are the same rule. Sets are compared by their canonical text.
 */
function sideFreeKey(rule: Rule): string {
  return JSON.stringify(rule, function (this: unknown, key: string, value: unknown) {
    if (this === rule && (key === 'id' || key === 'branch')) return undefined;
    if (value instanceof AddressSet || value instanceof PortSet) return value.toString();
    return typeof value === 'bigint' ? value.toString() : value;
  });
}

function hasErrors(diagnostics: readonly Diagnostic[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (diagnostics[i]!.severity === 'error') return true;
  return false;
}

function downgradeErrors(ctx: BuildContext, from: number, to: number, conditions: readonly string[]): void {
  for (let i = from; i < to; i++) {
    const diagnostic = ctx.diagnostics[i]!;
    if (diagnostic.severity === 'error') ctx.diagnostics[i] = { ...diagnostic, severity: 'warning', message: `${diagnostic.message} (when ${conditions.join(' and ')})` };
  }
}

/** The first choice in a construct's nested blocks (a GCP firewall's `allow`/`deny`), if it has any. */
function blockChoice(construct: Construct): { index: number; fields: Fields; choice: FieldChoice } | undefined {
  const blocks = construct.blocks ?? [];
  for (let index = 0; index < blocks.length; index++) {
    const choice = blocks[index]!.fields.choice?.(new Set());
    if (choice) return { index, fields: blocks[index]!.fields, choice };
  }
  return undefined;
}

function withBlockFields<C extends Construct>(construct: C, index: number, fields: Fields): C {
  return { ...construct, blocks: construct.blocks?.map((block, position) => (position === index ? { ...block, fields } : block)) };
}

/** A construct's arguments with one of them replaced by one side of its choice. */
class ChosenFields implements Fields {
  private readonly chosen: Map<string, Field>;

  constructor(
    private readonly base: Fields,
    name: string,
    field: Field,
  ) {
    this.chosen = base instanceof ChosenFields ? new Map(base.chosen).set(name, field) : new Map([[name, field]]);
    if (base instanceof ChosenFields) this.base = base.base;
  }

  get(name: string): Field | undefined {
    return this.chosen.get(name) ?? this.base.get(name);
  }

  has(name: string): boolean {
    return this.chosen.has(name) || this.base.has(name);
  }

  set(name: string, field: Field): this {
    this.chosen.set(name, field);
    return this;
  }

  choice(exclude: ReadonlySet<string>): FieldChoice | undefined {
    for (const [name, field] of this.chosen) {
      const further = exclude.has(name) ? undefined : field.choice?.();
      if (further) return further;
    }
    return this.base.choice?.(new Set([...exclude, ...this.chosen.keys()]));
  }
}
