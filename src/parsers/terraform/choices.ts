import { negateCondition } from '../../model/branch';
import type { Rule } from '../../model/rule';
import type { BuildContext, Field, FieldChoice, Fields } from './to-model';

/** Sides of `c ? a : b` arguments one construct is read under: 3 splits are up to 8 readings of it. */
const MAX_CHOICE_SPLITS = 3;

/**
 * The rules of a construct whose arguments may be written `c ? a : b` with a condition fwlint cannot decide (a
 * variable without a default): `cidr_blocks = [var.public ? "0.0.0.0/0" : var.office]` would otherwise be an
 * unresolved peer (FW303) and hide a world-open side. Such a construct is read once per side, each rule tagged with
 * its condition (`branch`: `var.public`, `!var.public`), as CloudFormation `Fn::If` branches are; a condition an
 * enclosing side decides takes that side, so two arguments testing one condition are never paired crosswise.
 * Constructs with nothing unresolved are read once, as before, at no extra cost.
 */
export function rulesEitherWay<C extends { fields: Fields }>(
  construct: C,
  ctx: BuildContext,
  build: (construct: C, ctx: BuildContext) => Rule[],
  /** The condition its resource exists under (`count = var.create ? 1 : 0`), and its `dynamic` block's. */
  resourceBranch?: string,
  blockBranch?: string,
): Rule[] {
  // Plain arguments, not a list: this runs once per rule block of the whole input, almost always without either.
  const conditions = resourceBranch === undefined && blockBranch === undefined ? NO_CONDITIONS : [resourceBranch, blockBranch].filter((condition): condition is string => condition !== undefined);
  return readSides(construct, ctx, build, conditions, MAX_CHOICE_SPLITS);
}

const NO_CONDITIONS: string[] = [];

function readSides<C extends { fields: Fields }>(construct: C, ctx: BuildContext, build: (construct: C, ctx: BuildContext) => Rule[], conditions: string[], splits: number): Rule[] {
  const diagnostics = ctx.diagnostics.length;
  const targetUnknowns = ctx.targetUnknowns.length;
  const rules = build(construct, ctx);
  // An undecidable conditional always leaves something unresolved: only then are the arguments looked at.
  let unresolved = ctx.targetUnknowns.length > targetUnknowns;
  for (let i = 0; i < rules.length && !unresolved; i++) unresolved = rules[i]!.unknowns.length > 0;
  const choice = unresolved && splits > 0 ? construct.fields.choice?.(new Set()) : undefined;
  if (!choice) {
    if (conditions.length > 0) {
      const branch = conditions.join(' and ');
      for (const rule of rules) {
        rule.branch = branch;
        rule.id = `${rule.id}?${branch}`;
      }
    }
    return rules;
  }
  // Read again per side: what the reading with the unresolved value reported is dropped.
  ctx.diagnostics.length = diagnostics;
  ctx.targetUnknowns.length = targetUnknowns;
  const side = (field: Field): C => ({ ...construct, fields: new ChosenFields(construct.fields, choice.name, field) });
  const negated = negateCondition(choice.condition);
  if (conditions.includes(choice.condition)) return readSides(side(choice.consequent), ctx, build, conditions, splits - 1);
  if (conditions.includes(negated)) return readSides(side(choice.alternate), ctx, build, conditions, splits - 1);
  return [
    ...readSides(side(choice.consequent), ctx, build, [...conditions, choice.condition], splits - 1),
    ...readSides(side(choice.alternate), ctx, build, [...conditions, negated], splits - 1),
  ];
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
    return this.base.choice?.(new Set([...exclude, ...this.chosen.keys()]));
  }
}
