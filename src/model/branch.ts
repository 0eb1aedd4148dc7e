import type { Rule } from './rule';

/**
 * The condition assignment of a rule's `branch` as name → value. CloudFormation writes `IsProd=true,IsEu=false`
 * (derived conditions come with the conditions they are defined by: `IsDev=true,IsProd=false`); CDK and Pulumi write
 * the conditions of the code as `open and !(stage === 'prod')`, read as `open` → true, `stage === 'prod'` → false.
 * Empty for a rule without branch.
 */
export type BranchAssignment = ReadonlyMap<string, string>;

/**
 * What exists under a condition: a rule, or the part of an allow rule that a deny under a condition closes in some
 * worlds (`Grant.when`: the allow's branch and the deny's negated). `branch` is written as `Rule.branch` is for `kind`.
 */
export interface Branched {
  readonly kind: Rule['kind'];
  readonly branch?: string;
  /** See `Rule.branchDomains`. */
  readonly branchDomains?: Rule['branchDomains'];
}

const NO_ASSIGNMENT: BranchAssignment = new Map();
const assignments = new WeakMap<Branched, BranchAssignment>();

function branchAssignment(rule: Branched): BranchAssignment {
  if (rule.branch === undefined) return NO_ASSIGNMENT;
  let assignment = assignments.get(rule);
  if (!assignment) {
    // Terraform's `==` compares without conversion, like JavaScript's `===`.
    assignment = rule.kind === 'cloudformation' ? cloudFormationAssignment(rule.branch) : codeAssignment(rule.branch, rule.kind === 'terraform-hcl' || rule.kind === 'terraform-plan' ? '==' : '===');
    assignments.set(rule, assignment);
  }
  return assignment;
}

/** The literals of a branch: `IsProd=true` and `Env=prod` of `IsProd=true,Env=prod`; `open` and `!ready` of `open and !ready`. */
export function branchLiterals(rule: Branched): string[] {
  if (rule.branch === undefined) return [];
  return rule.kind === 'cloudformation' ? rule.branch.split(',') : rule.branch.split(' and ');
}

/**
 * The branch of all the given literals, as `Rule.branch` writes it for `kind`: each once, in first appearance order. A
 * CloudFormation name given two values (`Env=prod|test` and `Env=prod`, of rules that exist together) keeps the values
 * both allow, in the place of its first.
 */
export function branchOfLiterals(kind: Rule['kind'], literals: readonly string[]): string | undefined {
  if (literals.length === 0) return undefined;
  if (kind !== 'cloudformation') return [...new Set(literals)].join(' and ');
  const byName = new Map<string, string[]>();
  for (const literal of literals) {
    const equals = literal.lastIndexOf('=');
    const name = literal.slice(0, equals);
    const values = literal.slice(equals + 1).split('|');
    const before = byName.get(name);
    byName.set(name, before === undefined ? values : before.filter((value) => values.includes(value)));
  }
  return [...byName].map(([name, values]) => `${name}=${values.join('|')}`).join(',');
}

/**
 * The conditions under which `deny` does not exist, where `allow` does, as disjoint conjunctions of literals (the
 * literals of `deny`'s branch that `allow`'s has too go without saying): `!var.prod` for `var.prod`, `IsProd=false` for
 * `IsProd=true`; for `var.a and var.b`, `!var.a` or else `var.a and !var.b`. A CloudFormation parameter's value beside
 * a condition (`IsProd=true,Env=prod`) comes from that condition's test, so its negation is the condition's; beside
 * several conditions, which value goes with which is not told: undefined, as for a negation of more than
 * MAX_NEGATED_LITERALS literals.
 */
export function negatedBranchCells(allow: Branched, deny: Branched): string[][] | undefined {
  const given = new Set(branchLiterals(allow));
  let own = branchLiterals(deny).filter((literal) => !given.has(literal));
  let negate = negateCondition;
  if (deny.kind === 'cloudformation') {
    const conditions = own.filter((literal) => /=(true|false)$/.test(literal));
    if (conditions.length === 0) {
      // Parameter values only (`DenyNo=50`): absent under the parameter's other values, when the rule says them.
      const complement = (literal: string): string | undefined => {
        const equals = literal.lastIndexOf('=');
        const name = literal.slice(0, equals);
        const values = literal.slice(equals + 1).split('|');
        const domain = Object.hasOwn(deny.branchDomains ?? {}, name) ? deny.branchDomains![name]! : undefined;
        const others = domain?.filter((value) => !values.includes(value));
        return others && others.length > 0 ? `${name}=${others.join('|')}` : undefined;
      };
      if (own.length === 0 || own.some((literal) => complement(literal) === undefined)) return undefined;
      negate = (literal) => complement(literal)!;
    } else {
      if (conditions.length > 1 && conditions.length < own.length) return undefined;
      own = conditions;
      negate = (literal) => (literal.endsWith('=true') ? `${literal.slice(0, -'true'.length)}false` : `${literal.slice(0, -'false'.length)}true`);
    }
  }
  if (own.length === 0 || own.length > MAX_NEGATED_LITERALS) return undefined;
  // Disjoint, so that each holds in worlds of its own: the first literal false, or it true and the second false, …
  return own.map((literal, index) => [...own.slice(0, index), negate(literal)]);
}

/** Literals of a deny's branch negated into disjoint conjunctions (see `negatedBranchCells`): one more each. */
const MAX_NEGATED_LITERALS = 4;

/** A branch that needs parentheses inside ` or ` (see `joinAlternatives`). */
const CODE_CONNECTIVES = / and |&&|\|\||\?/;
const CLOUDFORMATION_CONJUNCTION = /,/;

/**
 * The text of a condition that holds under any of several branches (written as `Rule.branch` is for `kind`), for
 * messages: them joined with ` or ` (a compound one in parentheses). A term beside another that is one literal drops
 * that literal's negation (`!var.a or (var.a and !var.b)` is `!var.a or !var.b`, as the disjoint conjunctions of
 * `negatedBranchCells` read best), a term holding all of another is dropped, and literals every term has are said once
 * in front (`var.c and (!var.a or !var.b)`). Undefined when the branches hold always.
 */
export function branchOfAnyText(kind: Rule['kind'], branches: readonly string[]): string | undefined {
  const separator = kind === 'cloudformation' ? ',' : ' and ';
  let terms = [...new Set(branches)].map((branch) => branch.split(separator));
  const negation = kind === 'cloudformation' ? (literal: string) => (literal.endsWith('=true') ? `${literal.slice(0, -'true'.length)}false` : literal.endsWith('=false') ? `${literal.slice(0, -'false'.length)}true` : undefined) : negateCondition;
  const common = terms.length > 1 ? terms[0]!.filter((literal) => terms.every((term) => term.includes(literal))) : [];
  terms = terms.map((term) => term.filter((literal) => !common.includes(literal)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const single of terms.filter((term) => term.length === 1)) {
      const opposite = negation(single[0]!);
      if (opposite === undefined) continue;
      for (const [index, term] of terms.entries()) {
        if (term === single || !term.includes(opposite)) continue;
        terms[index] = term.filter((literal) => literal !== opposite);
        changed = true;
      }
    }
    // An empty term holds always; a term holding all of another says nothing more.
    if (terms.some((term) => term.length === 0)) return common.length > 0 ? common.join(separator) : undefined;
    const kept = terms.filter((term, index) => !terms.some((other, otherIndex) => otherIndex !== index && other.length <= term.length && other.every((literal) => term.includes(literal)) && (other.length < term.length || otherIndex < index)));
    if (kept.length < terms.length) changed = true;
    terms = kept;
  }
  const disjunction = joinAlternatives(kind, terms.map((term) => term.join(separator)));
  if (common.length === 0) return disjunction;
  return `${common.join(separator)}${separator}${terms.length === 1 ? disjunction : `(${disjunction})`}`;
}

/** Branches joined with ` or `, a compound one (several conditions, or one written with `&&`, `||` or `? :`) in parentheses. */
export function joinAlternatives(kind: Rule['kind'], branches: readonly string[]): string {
  if (branches.length === 1) return branches[0]!;
  const compound = kind === 'cloudformation' ? CLOUDFORMATION_CONJUNCTION : CODE_CONNECTIVES;
  return branches.map((each) => (compound.test(each) ? `(${each})` : each)).join(' or ');
}

function cloudFormationAssignment(branch: string): BranchAssignment {
  const assignment = new Map<string, string>();
  for (const part of branch.split(',')) {
    const equals = part.lastIndexOf('=');
    if (equals > 0) assignment.set(part.slice(0, equals), part.slice(equals + 1));
  }
  return assignment;
}

/**
 * `open and !ready and !(stage === 'prod')`: the conditions the CDK/Pulumi reader (or the Terraform reader, for
 * `var.public ? … : …`) noted, each true or negated. A true strict equality of a name and a literal
 * (`stage === 'prod'`, Terraform `var.env == "prod"`) also gives the name that value (key `stage ===`), so that
 * `stage === 'dev'` on another rule is seen to exclude it.
 */
function codeAssignment(branch: string, equals: '===' | '=='): BranchAssignment {
  const assignment = new Map<string, string>();
  const [equality, inequality] = equals === '===' ? [STRICT_EQUALITY, STRICT_INEQUALITY] : [TERRAFORM_EQUALITY, TERRAFORM_INEQUALITY];
  for (const literal of branch.split(' and ')) {
    if (/^![\w$.]+$/.test(literal)) {
      assignment.set(literal.slice(1), 'false');
      continue;
    }
    const negated = literal.startsWith('!(') && literal.endsWith(')');
    const test = negated ? literal.slice(2, -1) : literal;
    // `stage !== 'prod'` is `!(stage === 'prod')`, under the name the equality has (`var.env != "prod"` excludes
    // `var.env == "prod"`, as `!(var.env == "prod")` does).
    const unequal = strictEquality(test, inequality);
    const equal = unequal ? undefined : strictEquality(test, equality);
    const holds = negated === (unequal !== undefined) ? 'true' : 'false';
    const written = unequal ?? equal;
    assignment.set(written ? `${written.name} ${equals} ${written.value}` : test, holds);
    // A true equality also gives the name that value (key `stage ===`), so that `stage === 'dev'` excludes it.
    if (written && holds === 'true') assignment.set(`${written.name} ===`, written.value);
  }
  return assignment;
}

/**
 * The condition under which the other branch runs, in the form `codeAssignment` reads: `!open` for a plain name
 * (`open` for `!open`), `env == "prod"` for `env != "prod"`, `!(stage === 'prod')` for anything else. Used by the CDK/Pulumi and Terraform readers.
 */
export function negateCondition(condition: string): string {
  if (/^![\w$.]+$/.test(condition)) return condition.slice(1);
  // `var.env != "prod"` → `var.env == "prod"` rather than `!(var.env != "prod")` (a comparison of a name and a literal).
  const unequal = /^([\w$.-]+) (!==?) ('[^'\\]*'|"[^"\\]*"|-?\d+(?:\.\d+)?)$/.exec(condition);
  if (unequal) return `${unequal[1]} ${unequal[2] === '!==' ? '===' : '=='} ${unequal[3]}`;
  if (condition.startsWith('!(') && closingParenthesis(condition, 1) === condition.length - 1) return condition.slice(2, -1);
  return /^[\w$.]+$/.test(condition) ? `!${condition}` : `!(${condition})`;
}

/** The index of the `)` that closes the `(` at `open` (quoted strings skipped), or -1. */
function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const char = text[i]!;
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return -1;
}

const NAME = /[\w$.-]+/.source;
/** A string literal without escapes or substitutions, or a decimal number. */
const LITERAL = /'[^'\\]*'|"[^"\\$%]*"|`[^`$\\]*`|-?\d+(?:\.\d+)?/.source;
const equality = (operator: string): [RegExp, RegExp] => [
  new RegExp(`^(${NAME})\\s*${operator}\\s*(${LITERAL})$`),
  new RegExp(`^(${LITERAL})\\s*${operator}\\s*(${NAME})$`),
];
const STRICT_EQUALITY = equality('===');
const TERRAFORM_EQUALITY = equality('==');
const STRICT_INEQUALITY = equality('!==');
const TERRAFORM_INEQUALITY = equality('!=');

/** `stage === 'prod'` (or `'prod' === stage`): the name and the literal's value, however it is quoted. */
function strictEquality(text: string, [nameFirstPattern, literalFirstPattern]: [RegExp, RegExp]): { name: string; value: string } | undefined {
  const nameFirst = nameFirstPattern.exec(text);
  const literalFirst = nameFirst ? undefined : literalFirstPattern.exec(text);
  const name = nameFirst?.[1] ?? literalFirst?.[2];
  const literal = nameFirst?.[2] ?? literalFirst?.[1];
  if (name === undefined || literal === undefined || /^\d/.test(name)) return undefined;
  // One spelling per value: 'prod', "prod" and `prod` are the same string; 1 and 1.0 the same number.
  return { name, value: /^['"`]/.test(literal) ? `string:${literal.slice(1, -1)}` : `number:${Number(literal)}` };
}

/**
 * Whether a name's two values can hold at once: they are equal, or (CloudFormation, where a parameter's tag lists the
 * values it may have: `Env=prod|test`) share a value.
 */
function valuesMeet(kind: Rule['kind'], a: string, b: string): boolean {
  if (a === b) return true;
  if (kind !== 'cloudformation' || (!a.includes('|') && !b.includes('|'))) return false;
  const values = b.split('|');
  return a.split('|').some((value) => values.includes(value));
}

/** Whether value `a` holds only where `b` does: equal, or (CloudFormation value sets) each of a's values is one of b's. */
function valueWithin(kind: Rule['kind'], a: string, b: string): boolean {
  if (a === b) return true;
  if (kind !== 'cloudformation' || !b.includes('|')) return false;
  const values = b.split('|');
  return a.split('|').every((value) => values.includes(value));
}

/**
 * Whether two rules can exist together: no condition is given different values by their branches. A rule without
 * branch is compatible with every rule. Checks that combine rules of a target (unions, shadowing, redundancy) combine
 * only compatible ones: the two halves of an undecidable `Fn::If` never coexist.
 */
export function branchesCompatible(a: Branched, b: Branched): boolean {
  if (a.branch === undefined || b.branch === undefined || a.branch === b.branch) return true;
  const first = branchAssignment(a);
  const second = branchAssignment(b);
  for (const [name, value] of first) {
    const other = second.get(name);
    if (other !== undefined && !valuesMeet(a.kind, value, other)) return false;
  }
  return true;
}

/** Whether `b` exists whenever `a` does: every condition of `b`'s branch has the same value in `a`'s. */
export function branchImplies(a: Branched, b: Branched): boolean {
  if (b.branch === undefined || a.branch === b.branch) return true;
  if (a.branch === undefined) return false;
  const first = branchAssignment(a);
  for (const [name, value] of branchAssignment(b)) {
    const given = first.get(name);
    if (given === undefined || !valueWithin(a.kind, given, value)) return false;
  }
  return true;
}

/** Beyond this many assignments of the conditions of a target's rules, worlds are approximated (see `branchWorlds`). */
const MAX_WORLDS = 1024;
const OTHER_VALUE = '\u0000other';

/**
 * The sets of items that can exist together: one per assignment of the conditions named by the items' branches,
 * holding the items whose branch it satisfies (items without branch are in every one), in input order, without
 * repeats. Items without any branch give one world, the items themselves. Past MAX_WORLDS assignments, each distinct
 * branch gives one world (it and the unbranched items): some combinations of compatible branches are then not
 * formed (fewer findings), but mutually exclusive ones never are.
 */
export function branchWorlds<T>(items: readonly T[], ruleOf: (item: T) => Branched): T[][] {
  const space = assignmentSpace(items, ruleOf);
  if (space === undefined) return [items.slice()];
  const worlds: T[][] = [];
  const seenWorlds = new Set<string>();
  const add = (world: T[], key: string): void => {
    if (seenWorlds.has(key)) return;
    seenWorlds.add(key);
    worlds.push(world);
  };
  if (space.total > MAX_WORLDS) {
    const unbranched = items.filter((item) => ruleOf(item).branch === undefined);
    for (const item of items) {
      const branch = ruleOf(item).branch;
      if (branch === undefined || seenWorlds.has(branch)) continue;
      add(items.filter((other) => ruleOf(other).branch === undefined || ruleOf(other).branch === branch), branch);
    }
    if (worlds.length === 0) add(unbranched, '');
    return worlds;
  }
  forEachAssignment(items, ruleOf, space, (_assignment, members) => add(members.map((position) => items[position]!), members.join(',')));
  return worlds;
}

/**
 * The worlds of `branchWorlds`, each with the conditions it holds under, written as `Rule.branch` is for `kind` (one
 * per assignment giving that world; `branchOfAnyText` joins them): `IsProd=false`, `!var.prod`. A world of items
 * without any branch holds under no condition (empty list). Undefined past MAX_WORLDS assignments, where worlds are
 * approximated and the conditions not known.
 */
export function branchWorldConditions<T>(kind: Rule['kind'], items: readonly T[], ruleOf: (item: T) => Branched): Array<{ items: T[]; conditions: string[] }> | undefined {
  const space = assignmentSpace(items, ruleOf);
  if (space === undefined) return [{ items: items.slice(), conditions: [] }];
  if (space.total > MAX_WORLDS) return undefined;
  // Each literal the items' branches hold, with the assignment it gives alone: the words a condition is told in.
  const literals = new Map<string, BranchAssignment>();
  for (const item of items) for (const literal of branchLiterals(ruleOf(item))) if (!literals.has(literal)) literals.set(literal, branchAssignment({ kind, branch: literal }));
  const byMembers = new Map<string, { items: T[]; conditions: string[] }>();
  forEachAssignment(items, ruleOf, space, (assignment, members) => {
    const condition = assignmentText(kind, assignment, literals);
    // An assignment no condition can hold (`stage === 'prod'` true and `stage` set to 'dev') makes no world.
    if (condition === undefined) return;
    const key = members.join(',');
    const world = byMembers.get(key);
    if (world) world.conditions.push(condition);
    else byMembers.set(key, { items: members.map((position) => items[position]!), conditions: [condition] });
  });
  return [...byMembers.values()];
}

/** The names the items' branches give values to, with the values each may take; undefined when no item has a branch. */
function assignmentSpace<T>(items: readonly T[], ruleOf: (item: T) => Branched): { names: string[]; choices: string[][]; total: number } | undefined {
  const values = new Map<string, Set<string>>();
  for (const item of items) {
    const rule = ruleOf(item);
    for (const [name, value] of branchAssignment(rule)) {
      let set = values.get(name);
      if (!set) values.set(name, (set = new Set()));
      // A world gives a parameter one value: `Env=prod|test` is in the worlds of each.
      for (const each of rule.kind === 'cloudformation' ? value.split('|') : [value]) set.add(each);
    }
  }
  if (values.size === 0) return undefined;
  const names = [...values.keys()].sort();
  const choices = names.map((name) => {
    const seen = [...values.get(name)!].sort();
    return seen.length < 2 ? [...seen, OTHER_VALUE] : seen;
  });
  let total = 1;
  for (const choice of choices) total *= choice.length;
  return { names, choices, total };
}

/** Calls `visit` with every assignment of the space and the positions of the items it holds, in input order. */
function forEachAssignment<T>(
  items: readonly T[],
  ruleOf: (item: T) => Branched,
  { names, choices, total }: { names: string[]; choices: string[][]; total: number },
  visit: (assignment: ReadonlyMap<string, string>, members: number[]) => void,
): void {
  for (let index = 0; index < total; index++) {
    const assignment = new Map<string, string>();
    let rest = index;
    names.forEach((name, position) => {
      const choice = choices[position]!;
      assignment.set(name, choice[rest % choice.length]!);
      rest = Math.floor(rest / choice.length);
    });
    const members: number[] = [];
    items.forEach((item, position) => {
      const rule = ruleOf(item);
      for (const [name, value] of branchAssignment(rule)) if (!valueWithin(rule.kind, assignment.get(name)!, value)) return;
      members.push(position);
    });
    visit(assignment, members);
  }
}

/** A code equality's key (`stage === string:prod`, `var.env == string:prod`): the name and the value it tests. */
const EQUALITY_KEY = /^(.+) (?:===|==) ((?:string|number):[^]*)$/;

/**
 * An assignment as a branch text, in the items' own literals (`var.prod`), or their negation where only the other value
 * is written (`!var.prod`); a CloudFormation name as `Name=value`. Names it cannot say (a parameter's value no branch
 * names, a code name's value beside its equalities) are left out: they only narrow the world. Undefined where the
 * assignment contradicts itself (a code equality true for a value the name is not given); empty where it names nothing.
 */
function assignmentText(kind: Rule['kind'], assignment: ReadonlyMap<string, string>, literals: ReadonlyMap<string, BranchAssignment>): string | undefined {
  const words: string[] = [];
  for (const [name, value] of assignment) {
    if (kind === 'cloudformation') {
      const opposite = value === OTHER_VALUE ? otherBoolean(literals, name) : value;
      if (opposite !== undefined) words.push(`${name}=${opposite}`);
      continue;
    }
    const equality = EQUALITY_KEY.exec(name);
    if (equality) {
      const given = assignment.get(`${equality[1]} ===`);
      if (value === 'true' && given !== undefined && given !== equality[2]) return undefined;
    }
    // The value of a name with equalities (`stage ===`) is said by the equalities themselves.
    if (name.endsWith(' ===')) continue;
    const literal = value === OTHER_VALUE ? undefined : [...literals].find(([, alone]) => alone.get(name) === value && [...alone.keys()].every((key) => key === name || key.endsWith(' ===')));
    if (literal) {
      words.push(literal[0]);
      continue;
    }
    // Only the other value is written: its negation.
    const other = [...literals].find(([, alone]) => alone.has(name) && (alone.get(name) === 'true' || alone.get(name) === 'false'));
    if (other) words.push(negateCondition(other[0]));
  }
  return branchOfLiterals(kind, words) ?? '';
}

/** The value of a CloudFormation condition beside the one its literals give (`false` where only `true` is written). */
function otherBoolean(literals: ReadonlyMap<string, BranchAssignment>, name: string): string | undefined {
  for (const alone of literals.values()) {
    const value = alone.get(name);
    if (value === 'true') return 'false';
    if (value === 'false') return 'true';
  }
  return undefined;
}
