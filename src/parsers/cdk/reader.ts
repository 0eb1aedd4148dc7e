import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/typescript-estree';
import { negateCondition } from '../../model/branch';
import type { ConstructLinks } from '../../model/source-file';
import { relativeModule } from './link';
import { MAX_CALL_DEPTH, MAX_CHOICE_SPLITS, MAX_DEPTH, MAX_STEPS, MAX_STRING_CHARS, MAX_UNROLL } from './limits';
import { libraryClassRole, moduleSymbol, type ClassRole } from './modules';
import type { SourceContext } from './source-context';
import {
  isNullish, primitiveText, truthiness, unknownValue,
  type Choice, type ClassNode, type ClassValue, type ConstructInstance, type FunctionNode, type Node, type Value,
} from './values';

type Expression = TSESTree.Expression;
type FunctionValue = Extract<Value, { kind: 'function' }>;
type ClassValueWritten = Extract<Value, { kind: 'class' }>;

/** One argument of a call as read: its value and the expression it was written as. */
export interface Arg {
  value: Value;
  node: Node;
}

/**
 * What the libraries mean: the reader folds plain JavaScript values and hands every library symbol, and every
 * method or property of a library value, to this interface. Returning undefined means "not modelled" (unknown).
 */
export interface Library {
  /** `new X(…)` where X is a library class (`cdk.aws_ec2.SecurityGroup`). */
  construct(symbol: string, args: Arg[], node: TSESTree.NewExpression, reader: StaticReader): Value | undefined;
  /** `X.y(…)` where `X.y` is a library function (`cdk.aws_ec2.Peer.ipv4`). */
  call(symbol: string, args: Arg[], node: TSESTree.CallExpression, reader: StaticReader): Value | undefined;
  /** A static member such as `Port.SSH` or `Protocol.TCP`. */
  member(symbol: string, node: Node): Value | undefined;
  /** A method of a library value (`sg.addIngressRule`, `sg.connections.allowFrom`). */
  method(receiver: Value, name: string, args: Arg[], node: TSESTree.CallExpression, reader: StaticReader): Value | undefined;
  /** A property of a library value (`sg.securityGroupId`, `sg.connections`). */
  property(receiver: Value, name: string, node: Node): Value | undefined;
  /** A method called on a value the reader could not resolve (a parameter, say): rules may still be read from it. */
  unresolvedMethod(receiver: TSESTree.Expression, name: string, args: Arg[], node: TSESTree.CallExpression, reader: StaticReader): Value | undefined;
}

/**
 * The other files of the parse call, for values imported from them by relative path (`import { SSH } from './net'`):
 * a module's exports by name (`default` for a default export), as its own reader computed them, or undefined when
 * the module is not among the files or cannot be read. `depth` is the importing reader's (see MAX_IMPORT_DEPTH).
 */
export interface ImportedModules {
  exportsOf(importer: string, specifier: string, depth: number): ReadonlyMap<string, Value> | undefined;
}

/** Lexical scope: bindings, `this`, and the function frame that collects `return` values. */
class Env {
  readonly vars = new Map<string, Value>();

  constructor(
    readonly parent: Env | undefined,
    readonly frame?: Frame,
  ) {}

  lookup(name: string): Value | undefined {
    for (let env: Env | undefined = this; env; env = env.parent) {
      const value = env.vars.get(name);
      if (value) return value;
    }
    return undefined;
  }

  /** The nearest non-arrow function's frame (or the module's). */
  functionFrame(): Frame | undefined {
    for (let env: Env | undefined = this; env; env = env.parent) if (env.frame && !env.frame.isArrow) return env.frame;
    return undefined;
  }

  /** The nearest frame, arrow functions included: where `return` values go. */
  nearestFrame(): Frame | undefined {
    for (let env: Env | undefined = this; env; env = env.parent) if (env.frame) return env.frame;
    return undefined;
  }
}

interface Frame {
  isArrow: boolean;
  /** Conditions in force when the frame was entered: deeper ones make a `return` possible rather than certain. */
  base: number;
  /** Set by a `return` that surely runs: the rest of the current block does not run. */
  done: boolean;
  /** Conditions under which a `return` may have run; the code after it runs only when they were false. */
  exits: (string | undefined)[][];
  thisValue: Value | undefined;
  returns: Value[];
  /** The function or class being read, to tell stand-ins for parameters of different functions apart. */
  owner: Node | undefined;
  /** Set inside a constructor: `super(…)` runs the local superclass's constructor on the same instance. */
  classValue?: ClassValue;
}

/**
 * Reads a TypeScript/JavaScript program statically: it follows imports, `const` bindings, object and array literals,
 * functions and classes declared in the file (called with the arguments seen, or once with unknown parameters when
 * never called), and hands library calls to a Library. It never evaluates user code: no `require`, no `eval`.
 */
export class StaticReader {
  private steps = 0;
  private depth = 0;
  private callDepth = 0;
  private exhausted = false;
  private readonly assigned: Set<string>;
  private readonly walkedFunctions = new Set<FunctionNode>();
  /** Functions being read: a recursive call cannot be folded, and following it would multiply the work. */
  private readonly activeFunctions = new Set<FunctionNode>();
  private readonly pendingFunctions: FunctionValue[] = [];
  private readonly classes: ClassValueWritten[] = [];
  /** The objects `enum` declarations are bound to, so that a second declaration of one enum adds to it. */
  private readonly enums = new WeakSet<Value>();
  /** The scope of the code being read, for library callbacks that ask where they are. */
  private currentEnv: Env | undefined;
  /**
   * Conditions the code being read runs under, innermost last: the source text of an `if` test the reader cannot
   * decide, or undefined for code that may or may not run for another reason (a loop body, a `catch`, a function
   * read without a call). A write under a condition cannot be applied as certain: the value becomes unknown.
   */
  private readonly conditions: (string | undefined)[] = [];
  /** How many conditions were in force when an array or object was created: writes at that level are certain. */
  private readonly createdAt = new WeakMap<Value, number>();
  /**
   * Bindings of imports from relative modules (`import { WebStack } from '../lib/web-stack'`): `name` is the
   * imported name, undefined for a namespace import. Their instances are noted for the cross-file link.
   */
  private readonly relativeImports = new Map<Value, { module: string; name: string | undefined; specifier: string }>();
  /** Top-level `const … = require('./x')` declarators bound with the imports (`bindRequire`), not read again. */
  private readonly requireDeclarators = new Set<TSESTree.VariableDeclarator>();
  /** Exported names of the classes declared at the top level (`export class`, `export default`, `export { X as Y }`). */
  private readonly exportedClasses = new Map<ClassNode, string[]>();
  /**
   * What this file says about classes of other files, and other files may say about its classes: linked once every
   * file is parsed (src/parsers/cdk/link.ts). The reader itself knows nothing of other files.
   */
  readonly links: ConstructLinks = { classes: [], instances: [] };

  constructor(
    private readonly program: TSESTree.Program,
    readonly source: SourceContext,
    private readonly library: Library,
    private readonly imports: { modules: ImportedModules; depth: number } | undefined = undefined,
  ) {
    this.assigned = assignedNames(program);
  }

  run(): void {
    const env = new Env(undefined, this.frame(false, undefined, this.program));
    this.bindImports(this.program.body, env);
    this.findExportedClasses(this.program.body);
    this.walkStatements(this.program.body, env);
    this.drain();
  }

  private frame(isArrow: boolean, thisValue: Value | undefined, owner: Node | undefined): Frame {
    return { isArrow, thisValue, returns: [], owner, base: this.conditions.length, done: false, exits: [] };
  }

  /**
   * The conditions the code being read runs under, as a note for the rules it adds (`when open`, as the
   * CloudFormation reader writes `when IsProd=true`); undefined when it surely runs or when no condition can be named.
   */
  conditionNote(): string | undefined {
    const named = this.conditions.filter((condition): condition is string => condition !== undefined);
    return named.length > 0 ? named.join(' and ') : undefined;
  }

  /**
   * Reads `read` once per side of `choice`, each under its condition, calling `between` between the two readings;
   * only the side the enclosing conditions decide when they do (`c ? a : b` inside code read under `c`). Returns
   * the readings.
   */
  bothSides<T>(choice: Choice, read: (side: Value) => T, between: () => void = () => undefined): T[] {
    if (this.conditions.includes(choice.condition)) return [read(choice.consequent)];
    if (this.conditions.includes(negateCondition(choice.condition))) return [read(choice.alternate)];
    return this.eachSide(choice.condition, () => read(choice.consequent), () => read(choice.alternate), between);
  }

  /**
   * Reads both sides of a condition fwlint cannot decide, each under its condition. An error on one side only (a value
   * CDK rejects, `Peer.ipv6('0.0.0.0/0')` under `!cidr.includes(':')`) is a warning naming that side, as for Terraform
   * conditionals: the side may never be taken, and CDK rejects the value only when it is.
   */
  private eachSide<T>(condition: string, consequent: () => T, alternate: () => T, between: () => void = () => undefined): [T, T] {
    const negated = negateCondition(condition);
    const start = this.source.mark();
    const first = this.underCondition(condition, consequent);
    between();
    const middle = this.source.mark();
    const second = this.underCondition(negated, alternate);
    const end = this.source.mark();
    const firstFails = middle.errors > start.errors;
    const secondFails = end.errors > middle.errors;
    if (firstFails && !secondFails) this.source.demoteErrors(start, middle, this.sideNote(condition));
    if (secondFails && !firstFails) this.source.demoteErrors(middle, end, this.sideNote(negated));
    return [first, second];
  }

  /** The conditions in force with `condition` added, as findings name them. */
  private sideNote(condition: string): string {
    return [...this.conditions.filter((each): each is string => each !== undefined), condition].join(' and ');
  }

  /**
   * Reads what a library call does once per side of a `c ? a : b` argument (see `bothSides`), or as it is when no
   * argument is such a choice; the first reading's result.
   */
  eitherWay<T>(args: Arg[], call: (args: Arg[]) => T, between: () => void): T {
    return this.splitArgs(args, MAX_CHOICE_SPLITS, (chosen) => [call(chosen)], between)[0]!;
  }

  /**
   * The value of a pure library call (`Peer.ipv4(c ? a : b)`) given a choice: the call's value for each side, as a
   * choice again (so a rule method given it reads both sides), or the call as it is without a choice argument.
   */
  eitherValue(args: Arg[], call: (args: Arg[]) => Value | undefined, node: Node): Value | undefined {
    return this.valueChoices(args, call, node, MAX_CHOICE_SPLITS);
  }

  /** The results of `call` on each combination of the sides of the first `splits` choice arguments. */
  private splitArgs<T>(args: Arg[], splits: number, call: (args: Arg[]) => T[], between: () => void): T[] {
    const found = splits > 0 ? choiceArgument(args) : undefined;
    if (!found) return call(args);
    return this.bothSides(found.choice, (side) => this.splitArgs(withArgument(args, found.index, side), splits - 1, call, between), between).flat();
  }

  private valueChoices(args: Arg[], call: (args: Arg[]) => Value | undefined, node: Node, splits: number): Value | undefined {
    const found = splits > 0 ? choiceArgument(args) : undefined;
    if (!found) return call(args);
    const { index, choice } = found;
    const values = this.bothSides(choice, (side) => this.valueChoices(withArgument(args, index, side), call, node, splits - 1));
    if (values.length === 1) return values[0];
    const [consequent, alternate] = values;
    if (consequent === undefined && alternate === undefined) return undefined;
    const expr = this.text(node);
    return { kind: 'unknown', node, expr, choice: { condition: choice.condition, consequent: consequent ?? unknownValue(node, expr), alternate: alternate ?? unknownValue(node, expr) } };
  }

  /** Reads code that runs only under `condition` (or may not run at all, when it is undefined). */
  private underCondition<T>(condition: string | undefined, read: () => T): T {
    this.conditions.push(condition);
    try {
      return read();
    } finally {
      this.conditions.pop();
    }
  }

  /** Statements that may not run: true when they surely end their function (a `return` on every path). */
  private mayRun(env: Env, condition: string | undefined, read: () => void): boolean {
    const frame = env.nearestFrame();
    const wasDone = frame?.done ?? false;
    this.underCondition(condition, read);
    if (!frame) return false;
    const done = frame.done;
    frame.done = wasDone;
    return done;
  }

  /** The function or class whose code is being read (for stand-ins named after parameters). */
  currentOwner(): Node | undefined {
    return this.currentEnv?.functionFrame()?.owner;
  }

  /** Source text of a node, for unknown values. */
  private text(node: Node): string {
    return this.source.textOf(node);
  }

  // ---- imports ------------------------------------------------------------------------------------------------

  private bindImports(body: TSESTree.ProgramStatement[], env: Env): void {
    for (const statement of body) {
      if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
        if (statement.importKind === 'type') continue;
        const root = moduleSymbol(statement.source.value);
        const relative = root ? undefined : relativeModule(this.source.file, statement.source.value);
        for (const specifier of statement.specifiers) {
          const local = specifier.local;
          let value: Value;
          let name: string | undefined;
          if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
            if (specifier.importKind === 'type') continue;
            const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
            value = root ? { kind: 'symbol', name: `${root}.${imported}`, node: specifier } : importedUnknown(specifier, local.name, imported, statement.source.value);
            name = imported;
          } else {
            value = root ? { kind: 'symbol', name: root, node: specifier } : importedUnknown(specifier, local.name, local.name, statement.source.value);
            name = specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier ? 'default' : undefined;
          }
          env.vars.set(local.name, value);
          if (relative !== undefined) this.relativeImports.set(value, { module: relative, name, specifier: statement.source.value });
        }
      } else if (statement.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
        const reference = statement.moduleReference;
        const specifier = reference.type === AST_NODE_TYPES.TSExternalModuleReference && reference.expression.type === AST_NODE_TYPES.Literal
          && typeof reference.expression.value === 'string' ? reference.expression.value : undefined;
        const root = specifier === undefined ? undefined : moduleSymbol(specifier);
        const value: Value = root ? { kind: 'symbol', name: root, node: statement }
          : specifier === undefined ? unknownValue(statement, statement.id.name) : importedUnknown(statement, statement.id.name, statement.id.name, specifier);
        env.vars.set(statement.id.name, value);
        const relative = root || specifier === undefined ? undefined : relativeModule(this.source.file, specifier);
        if (relative !== undefined) this.relativeImports.set(value, { module: relative, name: MODULE_EXPORTS, specifier: specifier! });
      } else if (statement.type === AST_NODE_TYPES.VariableDeclaration && !statement.declare) {
        for (const declarator of statement.declarations) this.bindRequire(declarator, statement.kind === 'const', env);
      }
    }
  }

  /**
   * A top-level CommonJS import of a relative module or package, bound as the ES import it stands for: `const net =
   * require('./net')` (its `module.exports`), `const { SSH, CIDRS: cidrs } = require('./net')` and `const SSH =
   * require('./net').SSH` (named exports). The declarator is then skipped where the statements are read. A name
   * assigned again later is left to the reader (unknown from there).
   */
  private bindRequire(declarator: TSESTree.VariableDeclarator, isConst: boolean, env: Env): void {
    let init = declarator.init;
    let member: string | undefined;
    if (init?.type === AST_NODE_TYPES.MemberExpression) {
      member = !init.computed && init.property.type === AST_NODE_TYPES.Identifier ? init.property.name
        : init.computed && init.property.type === AST_NODE_TYPES.Literal && typeof init.property.value === 'string' ? init.property.value : undefined;
      if (member === undefined) return;
      init = init.object;
    }
    const specifier = init ? requiredSpecifier(init) : undefined;
    // The construct libraries are read where the call is; any other package is bound as its ES import is (unknown,
    // FW303 naming the package).
    if (specifier === undefined || moduleSymbol(specifier) !== undefined) return;
    const module = relativeModule(this.source.file, specifier);
    const bindings: Array<{ local: TSESTree.Identifier; name: string }> = [];
    if (declarator.id.type === AST_NODE_TYPES.Identifier) {
      bindings.push({ local: declarator.id, name: member ?? MODULE_EXPORTS });
    } else if (declarator.id.type === AST_NODE_TYPES.ObjectPattern && member === undefined) {
      for (const property of declarator.id.properties) {
        // A default, a nested pattern or a rest element: read as any other destructuring.
        if (property.type !== AST_NODE_TYPES.Property || property.computed || property.value.type !== AST_NODE_TYPES.Identifier) return;
        const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : typeof property.key.value === 'string' ? property.key.value : undefined;
        if (key === undefined) return;
        bindings.push({ local: property.value, name: key });
      }
    } else {
      return;
    }
    if (!isConst && bindings.some(({ local }) => this.assigned.has(local.name))) return;
    for (const { local, name } of bindings) {
      const value = importedUnknown(local, local.name, name === MODULE_EXPORTS ? local.name : name, specifier);
      env.vars.set(local.name, value);
      if (module !== undefined) this.relativeImports.set(value, { module, name, specifier });
    }
    this.requireDeclarators.add(declarator);
  }

  /**
   * The value a relative import stands for, when its module is among the files of the parse call and exports it as
   * data (strings, numbers, lists and objects of them, choices): a copy located at `at`, the name where it is used
   * (findings and diagnostics are located in this file). Undefined for anything else: the binding stays unknown,
   * named after the import.
   */
  private importedValue(binding: Value, at: Node): Value | undefined {
    const imported = this.relativeImports.get(binding);
    if (!imported || !this.imports) return undefined;
    return this.moduleValue(imported.specifier, imported.name, at, binding.kind === 'unknown' ? binding.imported?.written : undefined);
  }

  /**
   * What importing `name` of a relative module gives (see importedValue): undefined `name` is the namespace,
   * MODULE_EXPORTS the CommonJS `module.exports` (the namespace unless the module assigns it something other than an
   * object).
   */
  private moduleValue(specifier: string, name: string | undefined, at: Node, written = this.text(at)): Value | undefined {
    if (!this.imports) return undefined;
    const exports = this.imports.modules.exportsOf(this.source.file, specifier, this.imports.depth);
    if (!exports) return undefined;
    const whole = name === MODULE_EXPORTS ? exports.get(MODULE_EXPORTS) : undefined;
    if (name === undefined || (name === MODULE_EXPORTS && (!whole || whole.kind === 'object'))) {
      // `import * as net from './net'`: its exports as an object; a name not found may come from code not read.
      const entries = new Map<string, Value>();
      for (const [exported, value] of exports) {
        if (exported === MODULE_EXPORTS) continue;
        const copy = importedData(value, at);
        if (copy) entries.set(exported, copy);
      }
      return { kind: 'object', entries, complete: false, node: at, imported: { written, specifier } };
    }
    const value = exports.get(name);
    const copy = value ? importedData(value, at) : undefined;
    // Exported but not known there: unknown as before, named after the import (FW303 says which).
    return copy?.kind === 'unknown' && !copy.choice ? undefined : copy;
  }

  /**
   * The exports of this file as a module another file imports: its top-level code is read (not the functions and
   * classes nobody calls), then each exported name is looked up. Re-exports (`export { X } from './y'`, `export *
   * from './y'`) are read from those modules in turn.
   */
  readExports(): Map<string, Value> {
    const env = new Env(undefined, this.frame(false, undefined, this.program));
    this.bindImports(this.program.body, env);
    this.walkStatements(this.program.body, env);
    const exports = new Map<string, Value>();
    const starred = new Map<string, Value>();
    const lookup = (name: string): Value => env.lookup(name) ?? unknownValue(this.program, name);
    const moduleExports = (specifier: string): ReadonlyMap<string, Value> | undefined =>
      this.imports?.modules.exportsOf(this.source.file, specifier, this.imports.depth);
    for (const statement of this.program.body) {
      if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
        if (statement.exportKind === 'type') continue;
        const declaration = statement.declaration;
        if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of declaration.declarations) for (const name of boundNames(declarator.id)) exports.set(name, lookup(name));
        } else if (declaration?.type === AST_NODE_TYPES.TSEnumDeclaration) {
          exports.set(declaration.id.name, lookup(declaration.id.name));
        }
        const from = statement.source ? moduleExports(statement.source.value) : undefined;
        for (const specifier of statement.specifiers) {
          if (specifier.exportKind === 'type') continue;
          const local = specifier.local.type === AST_NODE_TYPES.Identifier ? specifier.local.name : specifier.local.value;
          const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : specifier.exported.value;
          const value = statement.source ? from?.get(local) : lookup(local);
          if (value) exports.set(exported, value);
        }
      } else if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && statement.exportKind !== 'type') {
        const from = moduleExports(statement.source.value);
        if (!from) continue;
        if (statement.exported) {
          const name = statement.exported.name;
          exports.set(name, { kind: 'object', entries: new Map(from), complete: false, node: statement });
        } else {
          // `export *` leaves out `default`, and a name the module exports itself wins.
          for (const [name, value] of from) if (name !== 'default' && !starred.has(name)) starred.set(name, value);
        }
      } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration && statement.declaration.type === AST_NODE_TYPES.Identifier) {
        exports.set('default', lookup(statement.declaration.name));
      } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration && isDataExpression(statement.declaration)) {
        exports.set('default', this.evaluate(statement.declaration, env));
      }
    }
    for (const [name, value] of starred) if (!exports.has(name)) exports.set(name, value);
    this.readCommonJsExports(env, exports);
    return exports;
  }

  /**
   * CommonJS exports, in statement order as Node runs them: `module.exports = …` (and TypeScript's `export = …`)
   * replaces what was exported before, its object's entries becoming the named exports; `module.exports.X = …` adds
   * to it, and so does `exports.X = …` until `module.exports` is replaced (`exports` then names the old object). The
   * whole value is kept as MODULE_EXPORTS, and as `default` when there is none (`import net from './net'`).
   */
  private readCommonJsExports(env: Env, exports: Map<string, Value>): void {
    if (env.lookup('module') || env.lookup('exports')) return;
    let named = new Map<string, Value>();
    let whole: Value | undefined;
    let exportsAliased = true;
    const ordered = new Set<TSESTree.Node>();
    for (const statement of this.program.body) {
      const target = commonJsExportTarget(statement);
      if (!target) continue;
      ordered.add(statement);
      const value = isDataExpression(target.value) ? this.evaluate(target.value, env) : unknownValue(target.value, this.text(target.value));
      if (target.name === undefined) {
        whole = value;
        named = new Map(value.kind === 'object' ? value.entries : []);
        exportsAliased = false;
      } else if (target.viaModule || exportsAliased) {
        named.set(target.name, value);
      }
    }
    // A write the statement order does not tell (under a condition, in a function or loop, through Object.assign):
    // the export is unknown, never its earlier value, as an ES module's reassigned `let` is.
    const late = lateCommonJsWrites(this.program, ordered);
    if (late.whole) {
      for (const name of named.keys()) named.set(name, unknownValue(late.whole, name));
      if (whole) whole = unknownValue(late.whole, MODULE_EXPORTS);
    }
    for (const [name, node] of late.names) named.set(name, unknownValue(node, name));
    if (whole?.kind === 'object' && late.names.size > 0) {
      const entries = new Map(whole.entries);
      for (const [name, node] of late.names) if (entries.has(name)) entries.set(name, unknownValue(node, name));
      whole = { ...whole, entries };
    }
    if (whole === undefined && named.size === 0) return;
    for (const [name, value] of named) exports.set(name, value);
    if (whole) {
      exports.set(MODULE_EXPORTS, whole);
      if (!exports.has('default')) exports.set('default', whole);
    }
  }

  // ---- statements ---------------------------------------------------------------------------------------------

  private walkStatements(statements: readonly TSESTree.Node[], env: Env): void {
    this.hoist(statements, env);
    const frame = env.nearestFrame();
    let pushed = 0;
    try {
      for (const statement of statements) {
        if (frame?.done) break;
        const exits = frame?.exits.length ?? 0;
        this.walkStatement(statement, env);
        // A `return` that may have run: what follows runs only when it did not.
        for (const exit of frame?.exits.slice(exits) ?? []) {
          this.conditions.push(exit.some((part) => part === undefined) ? undefined : negateCondition(exit.join(' && ')));
          pushed++;
        }
      }
    } finally {
      this.conditions.length -= pushed;
    }
  }

  /** Function declarations are hoisted; classes are bound early too, so code above a class can name it. */
  private hoist(statements: readonly TSESTree.Node[], env: Env): void {
    for (const statement of statements) {
      const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration
        ? statement.declaration : statement;
      if (!declaration) continue;
      if (declaration.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id && declaration.body) {
        env.vars.set(declaration.id.name, this.functionValue(declaration, env));
      } else if (declaration.type === AST_NODE_TYPES.ClassDeclaration) {
        const name = declaration.id?.name ?? 'default';
        if (!env.vars.has(name)) env.vars.set(name, this.classValue(declaration, env, name));
      }
    }
  }

  private walkStatement(node: TSESTree.Node, env: Env): void {
    if (env.nearestFrame()?.done) return;
    if (!this.enter(node)) return;
    const previous = this.currentEnv;
    this.currentEnv = env;
    try {
      this.walkStatementInner(node, env);
    } finally {
      this.currentEnv = previous;
      this.depth--;
    }
  }

  private walkStatementInner(node: TSESTree.Node, env: Env): void {
    switch (node.type) {
      case AST_NODE_TYPES.ImportDeclaration:
      case AST_NODE_TYPES.TSImportEqualsDeclaration:
      case AST_NODE_TYPES.ExportAllDeclaration:
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.ClassDeclaration:
      case AST_NODE_TYPES.TSInterfaceDeclaration:
      case AST_NODE_TYPES.TSTypeAliasDeclaration:
      case AST_NODE_TYPES.TSDeclareFunction:
      case AST_NODE_TYPES.EmptyStatement:
      case AST_NODE_TYPES.DebuggerStatement:
      case AST_NODE_TYPES.BreakStatement:
      case AST_NODE_TYPES.ContinueStatement:
      case AST_NODE_TYPES.TSNamespaceExportDeclaration:
        return;
      case AST_NODE_TYPES.TSExportAssignment:
        // `export = async () => { … }`: Pulumi's program entry point, read like any other function.
        this.evaluate(node.expression, env);
        return;
      case AST_NODE_TYPES.ExportNamedDeclaration:
        if (node.declaration) this.walkStatement(node.declaration, env);
        return;
      case AST_NODE_TYPES.ExportDefaultDeclaration: {
        const declaration = node.declaration;
        if (declaration.type !== AST_NODE_TYPES.FunctionDeclaration && declaration.type !== AST_NODE_TYPES.ClassDeclaration
          && declaration.type !== AST_NODE_TYPES.TSInterfaceDeclaration && declaration.type !== AST_NODE_TYPES.TSDeclareFunction) {
          this.evaluate(declaration, env);
        }
        return;
      }
      case AST_NODE_TYPES.VariableDeclaration:
        for (const declarator of node.declarations) {
          if (this.requireDeclarators.has(declarator)) continue;
          // `declare const x: string`: a value set outside this file, unknown here.
          const value = node.declare ? unknownValue(declarator.id, this.text(declarator.id).replace(/\s*:[\s\S]*$/, ''))
            : declarator.init ? this.evaluate(declarator.init, env) : { kind: 'undefined' as const, node: declarator };
          this.bindPattern(declarator.id, value, env, node.kind === 'const' || node.kind === 'using' || node.kind === 'await using');
        }
        return;
      case AST_NODE_TYPES.TSEnumDeclaration:
        this.bindEnum(node, env);
        return;
      case AST_NODE_TYPES.ExpressionStatement:
        this.evaluate(node.expression, env);
        return;
      case AST_NODE_TYPES.BlockStatement:
        this.walkStatements(node.body, new Env(env));
        return;
      case AST_NODE_TYPES.TSModuleDeclaration:
        // `declare module`/`declare namespace` only describe code that is elsewhere.
        if (node.declare) return;
        if (node.body?.type === AST_NODE_TYPES.TSModuleBlock) this.walkStatements(node.body.body, new Env(env));
        return;
      case AST_NODE_TYPES.IfStatement: {
        // A condition known statically takes one branch; otherwise both are read (either may run), each under its condition.
        const test = truthiness(this.evaluate(node.test, env));
        if (test === true) return this.walkStatement(node.consequent, new Env(env));
        if (test === false) return node.alternate ? this.walkStatement(node.alternate, new Env(env)) : undefined;
        const text = this.text(node.test);
        const thenDone = this.mayRun(env, text, () => this.walkStatement(node.consequent, new Env(env)));
        const elseDone = node.alternate ? this.mayRun(env, negateCondition(text), () => this.walkStatement(node.alternate!, new Env(env))) : false;
        const frame = env.nearestFrame();
        if (frame && thenDone && elseDone) frame.done = true;
        return;
      }
      case AST_NODE_TYPES.ForOfStatement:
        this.walkForOf(node, env);
        return;
      case AST_NODE_TYPES.ForInStatement: {
        this.evaluate(node.right, env);
        const inner = new Env(env);
        if (node.left.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of node.left.declarations) this.bindPattern(declarator.id, unknownValue(declarator, this.text(declarator.id)), inner, false);
        }
        this.mayRun(env, undefined, () => this.walkStatement(node.body, inner));
        return;
      }
      case AST_NODE_TYPES.ForStatement: {
        const inner = new Env(env);
        const counter = loopCounter(node);
        if (counter) {
          const start = this.evaluate(counter.start, env);
          const end = this.evaluate(counter.end, env);
          const counts = countedValues(start, end, counter.inclusive);
          if (counts) {
            // `for (let i = 0; i < PORTS.length; i++)`: each count is read as if written out, as a for…of over a list.
            this.readEachIteration(counts.map((count) => ({ kind: 'number' as const, value: count, node: counter.name })), env,
              (count, iteration) => this.bindPattern(counter.name, count, iteration, true), node.body);
            return;
          }
          this.bindPattern(counter.name, start, inner, false);
        } else if (node.init) {
          if (node.init.type === AST_NODE_TYPES.VariableDeclaration) this.walkStatement(node.init, inner);
          else this.evaluate(node.init, inner);
        }
        this.mayRun(env, undefined, () => {
          if (node.test) this.evaluate(node.test, inner);
          this.walkStatement(node.body, new Env(inner));
          if (node.update) this.evaluate(node.update, inner);
        });
        return;
      }
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        this.mayRun(env, undefined, () => {
          this.evaluate(node.test, env);
          this.walkStatement(node.body, new Env(env));
        });
        return;
      case AST_NODE_TYPES.ReturnStatement: {
        const value = node.argument ? this.evaluate(node.argument, env) : { kind: 'undefined' as const, node };
        const frame = env.nearestFrame();
        if (!frame) return;
        frame.returns.push(value);
        frame.done = true;
        if (this.conditions.length > frame.base) frame.exits.push(this.conditions.slice(frame.base));
        return;
      }
      case AST_NODE_TYPES.ThrowStatement:
        // Not followed as an exit: a guard (`if (!vpc) throw …`) is taken as not thrown, and the code after it is read.
        this.evaluate(node.argument, env);
        return;
      case AST_NODE_TYPES.TryStatement: {
        this.walkStatement(node.block, env);
        // A `return` in the block ends the function after the `finally`; the handler runs only if something throws.
        const frame = env.nearestFrame();
        const blockDone = frame?.done ?? false;
        if (frame) frame.done = false;
        if (node.handler) {
          const inner = new Env(env);
          if (node.handler.param) this.bindPattern(node.handler.param, unknownValue(node.handler.param, this.text(node.handler.param)), inner, false);
          this.mayRun(env, undefined, () => this.walkStatement(node.handler!.body, inner));
        }
        if (node.finalizer) this.walkStatement(node.finalizer, env);
        if (frame && blockDone) frame.done = true;
        return;
      }
      case AST_NODE_TYPES.SwitchStatement:
        this.walkSwitch(node, env);
        return;
      case AST_NODE_TYPES.LabeledStatement:
        this.walkStatement(node.body, env);
        return;
      default:
        this.scanForEffects(node, env);
    }
  }

  /**
   * `enum Port { SSH = 22, RDP = 3389 }` (`const enum` too) is bound to the object TypeScript compiles it to: a member
   * without an initializer is the previous numeric member plus one (the first is 0), an initializer may name earlier
   * members, and a numeric member maps its value back to its name (`Port[22]` is `'SSH'`), keys in JavaScript's order.
   * A member that is neither a number nor a string known here is unknown (FW303 names it).
   */
  private bindEnum(node: TSESTree.TSEnumDeclaration, env: Env): void {
    const enumName = node.id.name;
    if (node.declare) {
      env.vars.set(enumName, unknownValue(node.id, enumName));
      return;
    }
    // Declarations of one enum in one scope merge into one object.
    const earlier = env.vars.get(enumName);
    const keys = new Map<string, Value>(earlier?.kind === 'object' && this.enums.has(earlier) ? earlier.entries : []);
    const scope = new Env(env);
    for (const [key, value] of keys) scope.vars.set(key, value);
    let previous: Value | undefined;
    for (const member of node.body.members) {
      const name = member.id.type === AST_NODE_TYPES.Identifier ? member.id.name : member.id.value;
      let value: Value = member.initializer ? this.evaluate(member.initializer, scope)
        : previous === undefined ? { kind: 'number', value: 0, node: member }
          : previous.kind === 'number' ? { kind: 'number', value: previous.value + 1, node: member }
            : unknownValue(member, `${enumName}.${name}`);
      if (value.kind !== 'number' && value.kind !== 'string' && value.kind !== 'unknown') value = unknownValue(member, `${enumName}.${name}`);
      keys.set(name, value);
      scope.vars.set(name, value);
      if (value.kind === 'number' && !node.const) keys.set(String(value.value), { kind: 'string', value: name, node: member.id });
      previous = value;
    }
    // Array-index keys (the values of a numeric enum) come first, in ascending order, then the others as written.
    const isIndex = (key: string): boolean => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
    const ordered = [...[...keys].filter(([key]) => isIndex(key)).sort(([a], [b]) => Number(a) - Number(b)), ...[...keys].filter(([key]) => !isIndex(key))];
    const object = this.created({ kind: 'object' as const, entries: new Map(ordered), complete: true, node });
    this.enums.add(object);
    env.vars.set(enumName, object);
  }

  /**
   * A switch on a known value runs the matching case up to its `break`; otherwise each case is read under its own
   * condition (`stage === 'prod'`).
   */
  private walkSwitch(node: TSESTree.SwitchStatement, env: Env): void {
    const discriminant = this.evaluate(node.discriminant, env);
    const inner = new Env(env);
    const tests = node.cases.map((switchCase) => (switchCase.test ? this.evaluate(switchCase.test, inner) : undefined));
    const known = primitiveText(discriminant) !== undefined && tests.every((test) => test === undefined || primitiveText(test) !== undefined);
    if (known) {
      let start = tests.findIndex((test) => test !== undefined && samePrimitive(test, discriminant));
      if (start < 0) start = node.cases.findIndex((switchCase) => !switchCase.test);
      if (start < 0) return;
      const statements: TSESTree.Statement[] = [];
      outer: for (const switchCase of node.cases.slice(start)) {
        for (const statement of switchCase.consequent) {
          if (statement.type === AST_NODE_TYPES.BreakStatement && !statement.label) break outer;
          statements.push(statement);
        }
      }
      this.walkStatements(statements, inner);
      return;
    }
    const discriminantText = this.text(node.discriminant);
    const done = node.cases.map((switchCase) => this.mayRun(env, switchCase.test ? `${discriminantText} === ${this.text(switchCase.test)}` : undefined,
      () => this.walkStatements(switchCase.consequent, inner)));
    const frame = env.nearestFrame();
    if (frame && done.length > 0 && done.every(Boolean) && node.cases.some((switchCase) => !switchCase.test)) frame.done = true;
  }

  private walkForOf(node: TSESTree.ForOfStatement, env: Env): void {
    const iterable = this.evaluate(node.right, env);
    const choice = iterable.kind === 'unknown' ? iterable.choice : undefined;
    if (!choice) {
      this.loopOver(node, iterable, env);
      return;
    }
    // A list with a fallback (`cfg.getObject('ports') ?? [3389]`), or `c ? a : b`: the loop runs over each side under
    // its condition, the known list unrolled, an unknown side read as a loop over unknown elements.
    const frame = env.nearestFrame();
    const wasDone = frame?.done ?? false;
    this.bothSides(choice, (side) => {
      this.loopOver(node, side, env);
      if (frame) frame.done = wasDone;
    });
  }

  private loopOver(node: TSESTree.ForOfStatement, iterable: Value, env: Env): void {
    const pattern = node.left.type === AST_NODE_TYPES.VariableDeclaration ? node.left.declarations[0]?.id : undefined;
    const isConst = node.left.type === AST_NODE_TYPES.VariableDeclaration && node.left.kind === 'const';
    if (iterable.kind === 'array' && iterable.items.length <= MAX_UNROLL && pattern) {
      // A loop over a known list: each element is read as if written out (`for (const port of [22, 443])`).
      this.readEachIteration(iterable.items, env, (item, inner) => this.bindPattern(pattern, item, inner, isConst || !this.isAssigned(pattern)), node.body);
      return;
    }
    const inner = new Env(env);
    if (pattern) this.bindPattern(pattern, unknownValue(node.right, `element of ${this.text(node.right)}`), inner, false);
    this.mayRun(env, undefined, () => this.walkStatement(node.body, inner));
  }

  /** An unrolled loop: the body read once per value, in a scope of its own where `bind` names the value. */
  private readEachIteration(values: readonly Value[], env: Env, bind: (value: Value, inner: Env) => void, body: TSESTree.Statement): void {
    for (const value of values) {
      const inner = new Env(env);
      bind(value, inner);
      this.walkStatement(body, inner);
    }
  }

  private isAssigned(pattern: TSESTree.Node): boolean {
    return pattern.type === AST_NODE_TYPES.Identifier && this.assigned.has(pattern.name);
  }

  /**
   * Binds a declaration's names. `let`/`var` names are known only when nothing in the file assigns them again;
   * otherwise they are unknown (read by name), since the reader does not follow control flow.
   */
  private bindPattern(pattern: TSESTree.Node, value: Value, env: Env, isConst: boolean): void {
    switch (pattern.type) {
      case AST_NODE_TYPES.Identifier:
        env.vars.set(pattern.name, isConst || !this.assigned.has(pattern.name) ? value : unknownValue(pattern, pattern.name));
        return;
      case AST_NODE_TYPES.AssignmentPattern: {
        const actual = value.kind === 'undefined' ? this.evaluate(pattern.right, env) : value;
        this.bindPattern(pattern.left, actual, env, isConst);
        return;
      }
      case AST_NODE_TYPES.ObjectPattern:
        for (const property of pattern.properties) {
          if (property.type === AST_NODE_TYPES.RestElement) {
            this.bindPattern(property.argument, unknownValue(property, this.text(property)), env, isConst);
            continue;
          }
          const key = this.propertyKey(property.key, property.computed, env);
          const member = key === undefined ? unknownValue(property, this.text(property)) : this.member(value, key, property, property.value);
          this.bindPattern(property.value, member, env, isConst);
        }
        return;
      case AST_NODE_TYPES.ArrayPattern:
        pattern.elements.forEach((element, index) => {
          if (!element) return;
          if (element.type === AST_NODE_TYPES.RestElement) {
            const rest = value.kind === 'array' ? { kind: 'array' as const, items: value.items.slice(index), node: element } : unknownValue(element, this.text(element));
            this.bindPattern(element.argument, rest, env, isConst);
            return;
          }
          const item = value.kind === 'array' ? value.items[index] ?? { kind: 'undefined' as const, node: element } : unknownValue(element, this.text(element));
          this.bindPattern(element, item, env, isConst);
        });
        return;
      case AST_NODE_TYPES.RestElement:
        this.bindPattern(pattern.argument, value, env, isConst);
        return;
      case AST_NODE_TYPES.TSParameterProperty:
        this.bindPattern(pattern.parameter, value, env, isConst);
        return;
      default:
        return;
    }
  }

  // ---- expressions --------------------------------------------------------------------------------------------

  /** Step and depth accounting shared by statements and expressions; false when the node must not be read. */
  private enter(node: Node): boolean {
    if (++this.steps > MAX_STEPS) {
      if (!this.exhausted) {
        this.exhausted = true;
        this.source.warning('parse/cdk-too-complex', `the file needs more than ${MAX_STEPS} evaluation steps; code past this point is not read`, node);
      }
      return false;
    }
    if (this.depth >= MAX_DEPTH) {
      this.source.warning('parse/cdk-too-deep', `code nested deeper than ${MAX_DEPTH} levels is not read`, node);
      return false;
    }
    this.depth++;
    return true;
  }

  private evaluate(node: Expression | TSESTree.Node, env: Env): Value {
    if (!this.enter(node)) return unknownValue(node, this.text(node));
    const previous = this.currentEnv;
    this.currentEnv = env;
    try {
      return this.evaluateInner(node, env);
    } finally {
      this.currentEnv = previous;
      this.depth--;
    }
  }

  private evaluateInner(node: TSESTree.Node, env: Env): Value {
    switch (node.type) {
      case AST_NODE_TYPES.Literal:
        if (typeof node.value === 'string') return { kind: 'string', value: node.value, node };
        if (typeof node.value === 'number') return { kind: 'number', value: node.value, node };
        if (typeof node.value === 'boolean') return { kind: 'boolean', value: node.value, node };
        if (node.value === null && !('regex' in node) && !('bigint' in node)) return { kind: 'null', node };
        return unknownValue(node, this.text(node));
      case AST_NODE_TYPES.TemplateLiteral:
        return this.evaluateTemplate(node, env);
      case AST_NODE_TYPES.Identifier:
        return this.evaluateIdentifier(node, env);
      case AST_NODE_TYPES.ThisExpression:
        return env.functionFrame()?.thisValue ?? unknownValue(node, 'this');
      case AST_NODE_TYPES.ArrayExpression:
        return this.evaluateArray(node, env);
      case AST_NODE_TYPES.ObjectExpression:
        return this.evaluateObject(node, env);
      case AST_NODE_TYPES.MemberExpression: {
        const object = this.evaluate(node.object, env);
        const key = this.propertyKey(node.property, node.computed, env);
        if (key === undefined) return unknownValue(node, this.text(node));
        if (node.optional && isNullish(object)) return { kind: 'undefined', node };
        return this.member(object, key, node, node);
      }
      case AST_NODE_TYPES.ChainExpression:
        return this.evaluate(node.expression, env);
      case AST_NODE_TYPES.CallExpression:
        return this.evaluateCall(node, env);
      case AST_NODE_TYPES.NewExpression:
        return this.evaluateNew(node, env);
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
        return this.evaluate(node.expression, env);
      case AST_NODE_TYPES.AwaitExpression:
        return this.evaluate(node.argument, env);
      case AST_NODE_TYPES.ConditionalExpression: {
        const test = truthiness(this.evaluate(node.test, env));
        if (test === true) return this.evaluate(node.consequent, env);
        if (test === false) return this.evaluate(node.alternate, env);
        const text = this.text(node.test);
        const [consequent, alternate] = this.eachSide(text, () => this.evaluate(node.consequent, env), () => this.evaluate(node.alternate, env));
        if (samePrimitive(consequent, alternate)) return consequent;
        return { kind: 'unknown', node, expr: this.text(node), choice: { condition: text, consequent, alternate } };
      }
      case AST_NODE_TYPES.LogicalExpression:
        return this.evaluateLogical(node, env);
      case AST_NODE_TYPES.BinaryExpression:
        return this.evaluateBinary(node, env);
      case AST_NODE_TYPES.UpdateExpression:
        // `counts.ssh++`: not folded, the member becomes unknown (a plain `let` is unknown already: it is assigned).
        if (node.argument.type === AST_NODE_TYPES.MemberExpression) this.writeMember(node.argument, unknownValue(node, this.text(node)), env);
        return unknownValue(node, this.text(node));
      case AST_NODE_TYPES.UnaryExpression: {
        if (node.operator === 'delete' && node.argument.type === AST_NODE_TYPES.MemberExpression) {
          this.deleteMember(node.argument, env);
          return unknownValue(node, this.text(node));
        }
        const argument = this.evaluate(node.argument, env);
        if (node.operator === 'void') return { kind: 'undefined', node };
        if (node.operator === '!') {
          const truth = truthiness(argument);
          return truth === undefined ? unknownValue(node, this.text(node)) : { kind: 'boolean', value: !truth, node };
        }
        if (node.operator === '-' || node.operator === '+') {
          // `+p`, `-p`: the number JavaScript converts a known primitive to, per side of `c ? '22' : '443'`.
          const sign = node.operator === '-' ? -1 : 1;
          return this.perSide([argument], ([value]) => {
            const number = convertedNumber('Number', [value!]);
            return number === undefined ? unknownValue(node, this.text(node)) : { kind: 'number', value: sign * number, node };
          }, node);
        }
        return unknownValue(node, this.text(node));
      }
      case AST_NODE_TYPES.SequenceExpression: {
        let last: Value = { kind: 'undefined', node };
        for (const expression of node.expressions) last = this.evaluate(expression, env);
        return last;
      }
      case AST_NODE_TYPES.AssignmentExpression:
        return this.evaluateAssignment(node, env);
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
        return this.functionValue(node, env);
      case AST_NODE_TYPES.ClassExpression:
        return this.classValue(node, env, node.id?.name ?? 'anonymous');
      case AST_NODE_TYPES.TaggedTemplateExpression:
        this.evaluate(node.tag, env);
        for (const expression of node.quasi.expressions) this.evaluate(expression, env);
        return unknownValue(node, this.text(node));
      default:
        this.scanForEffects(node, env);
        return unknownValue(node, this.text(node));
    }
  }

  private evaluateIdentifier(node: TSESTree.Identifier, env: Env): Value {
    const bound = env.lookup(node.name);
    if (bound) return (bound.kind === 'unknown' ? this.importedValue(bound, node) : undefined) ?? bound;
    if (node.name === 'undefined') return { kind: 'undefined', node };
    if (node.name === 'NaN') return { kind: 'number', value: NaN, node };
    if (node.name === 'Infinity') return { kind: 'number', value: Infinity, node };
    return unknownValue(node, node.name);
  }

  private evaluateTemplate(node: TSESTree.TemplateLiteral, env: Env): Value {
    const parts = node.expressions.map((expression) => this.evaluate(expression, env));
    return this.perSide(parts, (values) => {
      let text = node.quasis[0]?.value.cooked ?? '';
      let known = node.quasis.every((quasi) => quasi.value.cooked !== null);
      values.forEach((value, index) => {
        const part = primitiveText(value);
        if (part === undefined) known = false;
        else text += part;
        text += node.quasis[index + 1]?.value.cooked ?? '';
      });
      return known && text.length <= MAX_STRING_CHARS ? { kind: 'string', value: text, node } : unknownValue(node, this.text(node));
    }, node);
  }

  /**
   * `fold` of values one or more of which is a choice (`c ? a : b`, a `??` fallback): computed for each side, as a
   * choice again, so that `${cidr}/32` or `cidr.trim()` keeps both sides of `cidr` for the rule it reaches. Past
   * MAX_CHOICE_SPLITS choices, `fold` sees the remaining ones as the unknowns they are.
   */
  private perSide(values: Value[], fold: (values: Value[]) => Value, node: Node, splits = MAX_CHOICE_SPLITS): Value {
    const index = splits > 0 ? values.findIndex((value) => value.kind === 'unknown' && value.choice !== undefined) : -1;
    const choice = index < 0 ? undefined : (values[index] as Extract<Value, { kind: 'unknown' }>).choice;
    if (!choice) return fold(values);
    const side = (value: Value): Value => this.perSide(values.map((each, position) => (position === index ? value : each)), fold, node, splits - 1);
    const consequent = side(choice.consequent);
    const alternate = side(choice.alternate);
    if (samePrimitive(consequent, alternate)) return consequent;
    return { kind: 'unknown', node, expr: this.text(node), choice: { condition: choice.condition, consequent, alternate } };
  }

  private evaluateArray(node: TSESTree.ArrayExpression, env: Env): Value {
    const items: Value[] = [];
    for (const element of node.elements) {
      if (!element) {
        items.push({ kind: 'undefined', node });
      } else if (element.type === AST_NODE_TYPES.SpreadElement) {
        const spread = this.evaluate(element.argument, env);
        // An unknown spread stays one unknown element: the known ones around it are still checked.
        if (spread.kind === 'array') items.push(...spread.items);
        else items.push(unknownValue(element, this.text(element.argument)));
      } else {
        items.push(this.evaluate(element, env));
      }
    }
    return this.created({ kind: 'array', items, node });
  }

  /** An array or object made here: writes to it under the conditions in force now are certain. */
  private created<T extends Value>(value: T): T {
    this.createdAt.set(value, this.conditions.length);
    return value;
  }

  /** A write to an array or object is certain when no condition was added since it was created. */
  private isCertainWrite(value: Value): boolean {
    return (this.createdAt.get(value) ?? 0) >= this.conditions.length;
  }

  /**
   * An array or object that code the reader does not follow may have changed (a write it cannot apply, a call to
   * unknown code, `splice`): what it holds is unknown from now on, never the stale content. Objects keep their
   * kind with no known key; arrays become unknown in place, so every binding sharing them sees the change.
   */
  private forget(value: Value, expr: string, seen = new Set<Value>()): void {
    if (seen.has(value)) return;
    seen.add(value);
    if (value.kind === 'object') {
      for (const entry of value.entries.values()) this.forget(entry, expr, seen);
      value.entries.clear();
      value.complete = false;
    } else if (value.kind === 'array') {
      for (const item of value.items) this.forget(item, expr, seen);
      const forgotten = value as unknown as { kind: 'unknown'; expr: string; items?: Value[] };
      forgotten.kind = 'unknown';
      forgotten.expr = expr;
    }
  }

  /**
   * Arguments handed to code the reader does not read may be changed by it, and a function handed to it may be
   * called right away: it is read now (once, its parameters unknown) rather than after the rest of the file.
   */
  private escape(args: Arg[]): void {
    for (const arg of args) {
      if (arg.value.kind === 'function') {
        const fnValue = arg.value;
        if (!this.walkedFunctions.has(fnValue.fn)) this.underCondition(undefined, () => this.callFunction(fnValue, undefined, undefined, fnValue.fn));
      } else {
        this.forget(arg.value, this.text(arg.node));
      }
    }
  }

  private evaluateObject(node: TSESTree.ObjectExpression, env: Env): Value {
    let entries = new Map<string, Value>();
    let complete = true;
    for (const property of node.properties) {
      if (property.type === AST_NODE_TYPES.SpreadElement) {
        const spread = this.evaluate(property.argument, env);
        if (spread.kind === 'object') {
          for (const [key, value] of spread.entries) entries.set(key, value);
          complete &&= spread.complete;
        } else if (!isNullish(spread)) {
          // Keys written before an unknown spread may be overridden by it: only later ones are certain.
          entries = new Map();
          complete = false;
        }
        continue;
      }
      const key = this.propertyKey(property.key, property.computed, env);
      const value = property.value.type === AST_NODE_TYPES.AssignmentPattern || property.value.type === AST_NODE_TYPES.TSEmptyBodyFunctionExpression
        ? unknownValue(property.value, this.text(property.value))
        : this.evaluate(property.value, env);
      if (key === undefined) {
        entries = new Map();
        complete = false;
        continue;
      }
      if (property.kind !== 'init') continue; // getters and setters are not folded
      entries.set(key, value);
    }
    return this.created({ kind: 'object', entries, complete, node });
  }

  private evaluateLogical(node: TSESTree.LogicalExpression, env: Env): Value {
    const left = this.evaluate(node.left, env);
    if (node.operator === '??') {
      if (isNullish(left)) return this.evaluate(node.right, env);
      if (left.kind !== 'unknown') return left;
    } else {
      const truth = truthiness(left);
      if (truth !== undefined) {
        const takeLeft = node.operator === '||' ? truth : !truth;
        return takeLeft ? left : this.evaluate(node.right, env);
      }
    }
    // The right side runs only for some values of the left: `open && sg.addIngressRule(…)`.
    const leftText = this.text(node.left);
    // `a ?? b ?? c == null` would read as `a ?? (b ?? c == null)`: an operator on the left is bracketed.
    const operand = node.left.type === AST_NODE_TYPES.LogicalExpression || node.left.type === AST_NODE_TYPES.ConditionalExpression || node.left.type === AST_NODE_TYPES.BinaryExpression ? `(${leftText})` : leftText;
    const condition = node.operator === '&&' ? leftText : node.operator === '||' ? negateCondition(leftText) : `${operand} == null`;
    const right = this.underCondition(condition, () => this.evaluate(node.right, env));
    // A fallback (`cfg.get("sshFrom") ?? "0.0.0.0/0"`, or with `||`) is the value when the left is not set: read
    // either way, as `c ? a : b` is, so a world-open default is reported under its condition, not left unresolved.
    // Pulumi's `cfg.require…(k)` throws rather than return nothing: its fallback never applies.
    if (node.operator !== '&&' && right.kind !== 'unknown' && !isRequiredConfig(node.left)) {
      return { kind: 'unknown', node, expr: this.text(node), choice: { condition, consequent: right, alternate: left } };
    }
    return unknownValue(node, this.text(node));
  }

  private evaluateBinary(node: TSESTree.BinaryExpression, env: Env): Value {
    const left = node.left.type === AST_NODE_TYPES.PrivateIdentifier ? unknownValue(node.left, this.text(node.left)) : this.evaluate(node.left, env);
    const right = this.evaluate(node.right, env);
    const unknown = unknownValue(node, this.text(node));
    if (node.operator === '+') return this.perSide([left, right], ([a, b]) => plus(a!, b!, node) ?? unknown, node);
    if (left.kind === 'number' && right.kind === 'number') {
      const a = left.value;
      const b = right.value;
      switch (node.operator) {
        case '-': return { kind: 'number', value: a - b, node };
        case '*': return { kind: 'number', value: a * b, node };
        case '/': return { kind: 'number', value: a / b, node };
        case '%': return { kind: 'number', value: a % b, node };
        case '<': return { kind: 'boolean', value: a < b, node };
        case '<=': return { kind: 'boolean', value: a <= b, node };
        case '>': return { kind: 'boolean', value: a > b, node };
        case '>=': return { kind: 'boolean', value: a >= b, node };
        default: break;
      }
    }
    if (['===', '!==', '==', '!='].includes(node.operator)) {
      const a = primitiveText(left);
      const b = primitiveText(right);
      if (a === undefined || b === undefined) return unknown;
      const loose = node.operator.length === 2;
      const equal = loose && isNullish(left) && isNullish(right) ? true : left.kind === right.kind && a === b;
      return { kind: 'boolean', value: node.operator.startsWith('!') ? !equal : equal, node };
    }
    return unknown;
  }

  private evaluateAssignment(node: TSESTree.AssignmentExpression, env: Env): Value {
    const right = this.evaluate(node.right, env);
    const target = node.left;
    // `x.port += 1`, `x.cidr ||= …`: not folded, so the member becomes unknown.
    const value = node.operator === '=' ? right : unknownValue(target, this.text(target));
    if (target.type === AST_NODE_TYPES.MemberExpression) this.writeMember(target, value, env);
    return value;
  }

  /**
   * `object.key = value`, `array[i] = value`. A write the reader can apply for certain updates the value; one under a
   * condition it cannot decide makes the member unknown, and one it cannot place (an unknown key, `length`) makes the
   * whole array or object unknown.
   */
  private writeMember(target: TSESTree.MemberExpression, value: Value, env: Env): void {
    const object = this.evaluate(target.object, env);
    const key = this.propertyKey(target.property, target.computed, env);
    this.writeTo(object, key, target, value);
  }

  private writeTo(object: Value, key: string | undefined, target: TSESTree.MemberExpression, value: Value): void {
    const text = this.text(target);
    if (object.kind === 'construct') {
      // `this.webSg = new SecurityGroup(…)` keeps the group reachable from the class's other methods.
      if (key !== undefined) object.construct.fields.set(key, value);
      return;
    }
    const certain = this.isCertainWrite(object);
    if (object.kind === 'object') {
      if (key === undefined) this.forget(object, this.text(target.object));
      else object.entries.set(key, certain ? value : unknownValue(target, text));
      return;
    }
    if (object.kind === 'array') {
      const index = key !== undefined && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : undefined;
      if (index !== undefined && index < object.items.length) object.items[index] = certain ? value : unknownValue(target, text);
      else if (index !== undefined && index === object.items.length && certain) object.items.push(value);
      else this.forget(object, this.text(target.object));
    }
  }

  /** `delete object.key`: the key is gone when the delete surely runs, unknown otherwise. */
  private deleteMember(target: TSESTree.MemberExpression, env: Env): void {
    const object = this.evaluate(target.object, env);
    const key = this.propertyKey(target.property, target.computed, env);
    if (object.kind === 'object' && key !== undefined && this.isCertainWrite(object)) object.entries.delete(key);
    else this.writeTo(object, key, target, unknownValue(target, this.text(target)));
  }

  /** The name of a member or object key, when it is written or computed from a known value. */
  private propertyKey(key: TSESTree.Node, computed: boolean, env: Env): string | undefined {
    if (!computed) {
      if (key.type === AST_NODE_TYPES.Identifier) return key.name;
      if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
      if (key.type === AST_NODE_TYPES.Literal) return String(key.value);
      return undefined;
    }
    const value = this.evaluate(key, env);
    return value.kind === 'string' || value.kind === 'number' ? String(value.value) : undefined;
  }

  /** `object.key` for a known object; `node` is the expression written, `at` where the result is located. */
  private member(object: Value, key: string, node: Node, at: Node): Value {
    const imported = object.kind === 'unknown' || object.kind === 'object' ? object.imported : undefined;
    const written = node.type === AST_NODE_TYPES.MemberExpression ? this.text(node)
      : `${imported?.written ?? (object.kind === 'unknown' ? object.expr : this.text(object.node))}.${key}`;
    // A member of an unread import (`net.SSH`, `const { admin } = NETS`) names the module too.
    const unknown: Value = imported ? { kind: 'unknown', node: at, expr: importOrigin(written, imported.specifier), imported: { written, specifier: imported.specifier } } : unknownValue(at, written);
    switch (object.kind) {
      case 'symbol': {
        const name = `${object.name}.${key}`;
        return this.library.member(name, at) ?? { kind: 'symbol', name, node: at };
      }
      case 'object': {
        const value = object.entries.get(key);
        if (value) return value;
        return object.complete ? { kind: 'undefined', node: at } : unknown;
      }
      case 'array':
        if (key === 'length') return { kind: 'number', value: object.items.length, node: at };
        if (/^(0|[1-9]\d*)$/.test(key)) return object.items[Number(key)] ?? { kind: 'undefined', node: at };
        return unknown;
      case 'string':
        return key === 'length' ? { kind: 'number', value: object.value.length, node: at } : unknown;
      case 'construct':
        return object.construct.fields.get(key) ?? this.library.property(object, key, at) ?? unknown;
      case 'group-id':
      case 'connections':
      case 'peer':
      case 'port':
      case 'tags':
        return this.library.property(object, key, at) ?? unknown;
      default:
        return unknown;
    }
  }

  private evaluateArgs(args: readonly TSESTree.CallExpressionArgument[], env: Env): Arg[] {
    const result: Arg[] = [];
    for (const arg of args) {
      if (arg.type === AST_NODE_TYPES.SpreadElement) {
        const spread = this.evaluate(arg.argument, env);
        if (spread.kind === 'array') result.push(...spread.items.map((value) => ({ value, node: arg as Node })));
        else result.push({ value: unknownValue(arg, this.text(arg)), node: arg });
        continue;
      }
      result.push({ value: this.evaluate(arg, env), node: arg });
    }
    return result;
  }

  private evaluateCall(node: TSESTree.CallExpression, env: Env): Value {
    const callee = node.callee;
    if (callee.type === AST_NODE_TYPES.Super) {
      this.superCall(node, env);
      return { kind: 'undefined', node };
    }
    // `require('aws-cdk-lib/aws-ec2')` names a module; the module itself is never loaded.
    if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'require' && !env.lookup('require')) {
      const [first] = node.arguments;
      const specifier = first?.type === AST_NODE_TYPES.Literal && typeof first.value === 'string' ? first.value : undefined;
      const root = specifier === undefined ? undefined : moduleSymbol(specifier);
      if (root) return { kind: 'symbol', name: root, node };
      // A relative module required where it is used (`require('./net').SSH`, inside a function): its values, read statically.
      const relative = specifier !== undefined && relativeModule(this.source.file, specifier) !== undefined ? this.moduleValue(specifier, MODULE_EXPORTS, node) : undefined;
      return relative ?? unknownValue(node, this.text(node));
    }
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const receiver = this.evaluate(callee.object, env);
      const name = this.propertyKey(callee.property, callee.computed, env);
      const args = this.evaluateArgs(node.arguments, env);
      if (name === undefined) return unknownValue(node, this.text(node));
      if (node.optional && isNullish(receiver)) return { kind: 'undefined', node };
      // `Number.parseInt(p, 10)` is the global parseInt.
      if (callee.object.type === AST_NODE_TYPES.Identifier && callee.object.name === 'Number' && !env.lookup('Number') && (name === 'parseInt' || name === 'parseFloat')) {
        return this.numberConversion(name, args, node);
      }
      return this.callMethod(receiver, name, args, node, callee);
    }
    const calleeValue = this.evaluate(callee, env);
    const args = this.evaluateArgs(node.arguments, env);
    if (callee.type === AST_NODE_TYPES.Identifier && isNumberConversion(callee.name) && !env.lookup(callee.name)) return this.numberConversion(callee.name, args, node);
    if (calleeValue.kind === 'function') return this.callFunction(calleeValue, args, undefined, node);
    if (calleeValue.kind === 'symbol') return this.library.call(calleeValue.name, args, node, this) ?? unknownValue(node, this.text(node));
    if (!(callee.type === AST_NODE_TYPES.Identifier && PURE_CALLS.has(callee.name) && !env.lookup(callee.name))) this.escape(args);
    return unknownValue(node, this.text(node));
  }

  /**
   * `Number(x)`, `parseInt(x, radix)`, `parseFloat(x)` of known primitives, as JavaScript converts them (`Number('')`
   * is 0, `parseInt('22/tcp', 10)` 22, `Number('ssh')` NaN), read per side of `c ? '22' : '443'` as string methods
   * are; unknown otherwise.
   */
  private numberConversion(conversion: NumberConversion, args: Arg[], node: TSESTree.CallExpression): Value {
    return this.perSide(args.map((arg) => arg.value), (values) => {
      const number = convertedNumber(conversion, values);
      return number === undefined ? unknownValue(node, this.text(node)) : { kind: 'number', value: number, node };
    }, node);
  }

  private callMethod(receiver: Value, name: string, args: Arg[], node: TSESTree.CallExpression, callee: TSESTree.MemberExpression): Value {
    const unknown = unknownValue(node, this.text(node));
    switch (receiver.kind) {
      case 'symbol':
        return this.library.call(`${receiver.name}.${name}`, args, node, this) ?? unknown;
      case 'array': {
        const result = this.arrayMethod(receiver, name, args, node);
        if (result) return result;
        // `splice`, `pop`, `sort`, …: the reader does not apply them, so the array's content is unknown from here on.
        if (MUTATING_ARRAY_METHODS.has(name)) this.forget(receiver, this.text(callee.object));
        return unknown;
      }
      case 'string':
        return stringMethod(receiver.value, name, args, node) ?? unknown;
      case 'object': {
        const method = receiver.entries.get(name);
        if (method?.kind === 'function') return this.callFunction(method, args, receiver, node);
        return unknown;
      }
      case 'construct': {
        const field = receiver.construct.fields.get(name);
        if (field?.kind === 'function') return this.callFunction(field, args, receiver, node);
        const method = receiver.construct.classValue ? this.findMethod(receiver.construct.classValue, name) : undefined;
        if (method) return this.callFunction(method, args, receiver, node);
        return this.library.method(receiver, name, args, node, this) ?? unknown;
      }
      case 'group-id':
      case 'connections':
      case 'peer':
      case 'port':
      case 'tags':
        return this.library.method(receiver, name, args, node, this) ?? unknown;
      case 'unknown': {
        const callback = args[0]?.value;
        if (receiver.choice && CALLBACK_LIST_METHODS.has(name) && callback?.kind === 'function') return this.listMethodEitherWay(receiver.choice, name, args, callback, node);
        // `cidr.trim()` of `c ? a : b` or of a fallback: the method on each side (a string method changes nothing).
        if (receiver.choice && STRING_METHODS.has(name)) {
          return this.perSide([receiver, ...args.map((arg) => arg.value)], ([side, ...values]) =>
            (side?.kind === 'string' ? stringMethod(side.value, name, values.map((value) => ({ value, node: value.node })), node) : undefined) ?? unknown, node);
        }
        const result = this.library.unresolvedMethod(callee.object, name, args, node, this);
        if (result) return result;
        // `Object.assign(defaults, overrides)`, `helpers.tweak(cfg)`: code the reader does not read may change its arguments.
        const receiverText = this.text(callee.object);
        // `for (const [name, port] of Object.entries(PORTS))`: the listing of a known object is known.
        const listing = receiverText === 'Object' ? objectListing(name, args, node) : undefined;
        if (listing) return listing;
        // Object.assign changes only its target.
        if (receiverText === 'Object' && name === 'assign') this.escape(args.slice(0, 1));
        else if (!PURE_RECEIVERS.has(receiverText) && !PURE_CALLS.has(`${receiverText}.${name}`)) this.escape(args);
        return unknown;
      }
      case 'function':
        // `fn.call(…)`, `fn.apply(…)`: not followed.
        this.escape(args);
        return unknown;
      default:
        return unknown;
    }
  }

  /**
   * `forEach`, `map` or `flatMap` of a list with a fallback (`(cfg.getObject('cidrs') ?? ['0.0.0.0/0']).forEach(…)`) or
   * of `c ? a : b`: as a `for…of` over it, the callback is read per side under its condition, over each element of a
   * known list, once with an unknown element otherwise. A `map` gives a value per side.
   */
  private listMethodEitherWay(choice: Choice, name: string, args: Arg[], callback: FunctionValue, node: TSESTree.CallExpression): Value {
    const expr = this.text(node);
    const results = this.bothSides(choice, (side) => {
      const result = side.kind === 'array' ? this.arrayMethod(side, name, args, node) : undefined;
      if (result) return result;
      this.callFunction(callback, undefined, undefined, callback.fn);
      return unknownValue(node, expr);
    });
    if (name === 'forEach') return { kind: 'undefined', node };
    if (results.length === 1) return results[0]!;
    return { kind: 'unknown', node, expr, choice: { condition: choice.condition, consequent: results[0]!, alternate: results[1]! } };
  }

  private arrayMethod(array: Extract<Value, { kind: 'array' }>, name: string, args: Arg[], node: TSESTree.CallExpression): Value | undefined {
    switch (name) {
      case 'push':
        // Arrays built up with push before use (`rules.push({…})`) are read in order.
        array.items.push(...args.map((arg) => arg.value));
        return { kind: 'number', value: array.items.length, node };
      case 'concat': {
        const items = [...array.items];
        for (const arg of args) {
          if (arg.value.kind === 'array') items.push(...arg.value.items);
          else items.push(arg.value);
        }
        return { kind: 'array', items, node };
      }
      case 'forEach':
      case 'map':
      case 'flatMap': {
        const callback = args[0]?.value;
        if (callback?.kind !== 'function' || array.items.length > MAX_UNROLL) return undefined;
        const results = array.items.map((item, index) =>
          this.callFunction(callback, [{ value: item, node: item.node }, { value: { kind: 'number', value: index, node }, node }], undefined, node));
        if (name === 'forEach') return { kind: 'undefined', node };
        if (name === 'map') return { kind: 'array', items: results, node };
        return results.every((result) => result.kind === 'array') ? { kind: 'array', items: results.flatMap((result) => (result.kind === 'array' ? result.items : [])), node } : undefined;
      }
      case 'includes':
      case 'indexOf':
      case 'lastIndexOf':
      case 'join': {
        // On a list of known primitives, as JavaScript computes them (`PUBLIC_PORTS.includes(port) ? … : …`).
        const items = primitivesOf(array.items);
        const values = primitivesOf(args.map((arg) => arg.value));
        if (!items || !values) return undefined;
        if (name === 'join' && items.reduce<number>((length, item) => length + String(item ?? '').length + String(values[0] ?? ',').length, 0) > MAX_STRING_CHARS) return undefined;
        const result: unknown = (Array.prototype[name] as (...parameters: unknown[]) => unknown).apply(items, values);
        return primitiveValue(result, node);
      }
      case 'slice':
        if (args.every((arg) => arg.value.kind === 'number')) {
          const [start, end] = args.map((arg) => (arg.value.kind === 'number' ? arg.value.value : 0));
          return { kind: 'array', items: array.items.slice(start, end), node };
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private findMethod(classValue: ClassValue, name: string): FunctionValue | undefined {
    for (let current: ClassValue | undefined = classValue; current; current = this.localSuperclass(current)) {
      for (const member of current.decl.body.body) {
        if (member.type !== AST_NODE_TYPES.MethodDefinition || member.kind !== 'method' || member.static) continue;
        const key = member.computed ? undefined : member.key.type === AST_NODE_TYPES.Identifier ? member.key.name : undefined;
        if (key === name && member.value.type === AST_NODE_TYPES.FunctionExpression) {
          return { kind: 'function', fn: member.value, env: current.env, thisValue: undefined, node: member.value };
        }
      }
    }
    return undefined;
  }

  // ---- functions ----------------------------------------------------------------------------------------------

  /** Whether a function declaration's name occurs in the file beyond its declaration (a call, a reference). */
  private isNamedElsewhere(fn: FunctionNode): boolean {
    const name = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id?.name : undefined;
    if (!name) return false;
    const uses = this.source.text.match(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'));
    return (uses?.length ?? 0) > 1;
  }

  private functionValue(fn: FunctionNode, env: Env): FunctionValue {
    const value: FunctionValue = { kind: 'function', fn, env, thisValue: undefined, node: fn };
    this.pendingFunctions.push(value);
    return value;
  }

  /**
   * Reads a function's body with its parameters bound to the arguments seen (a call in the file, or unknowns when
   * it is never called). Returns the value of its single `return`, or of an arrow's expression body.
   */
  private callFunction(fnValue: FunctionValue, args: Arg[] | undefined, thisValue: Value | undefined, node: Node): Value {
    const fn = fnValue.fn;
    if (this.callDepth >= MAX_CALL_DEPTH || this.activeFunctions.has(fn)) {
      // Not followed (recursion, depth): it may change what it is given.
      if (args) this.escape(args);
      return unknownValue(node, this.text(node));
    }
    this.walkedFunctions.add(fn);
    this.activeFunctions.add(fn);
    const isArrow = fn.type === AST_NODE_TYPES.ArrowFunctionExpression;
    const frame = this.frame(isArrow, isArrow ? undefined : thisValue ?? fnValue.thisValue, fn);
    const env = new Env(fnValue.env as Env, frame);
    this.callDepth++;
    try {
      this.bindParameters(fn.params, args, env);
      if (!fn.body) return unknownValue(node, this.text(node));
      if (fn.body.type !== AST_NODE_TYPES.BlockStatement) {
        const value = this.evaluate(fn.body, env);
        return fn.async ? unknownValue(node, this.text(node)) : value;
      }
      this.walkStatements(fn.body.body, env);
      if (fn.async || fn.generator) return unknownValue(node, this.text(node));
      if (frame.returns.length === 0) return { kind: 'undefined', node };
      return frame.returns.length === 1 ? frame.returns[0]! : unknownValue(node, this.text(node));
    } finally {
      this.callDepth--;
      this.activeFunctions.delete(fn);
    }
  }

  /** `args` undefined: the function is read without a call, so every parameter is unknown. */
  private bindParameters(params: readonly TSESTree.Parameter[], args: Arg[] | undefined, env: Env): void {
    params.forEach((param, index) => {
      if (param.type === AST_NODE_TYPES.RestElement) {
        const rest: Value = args ? { kind: 'array', items: args.slice(index).map((arg) => arg.value), node: param } : unknownValue(param, this.text(param.argument));
        this.bindPattern(param.argument, rest, env, true);
        return;
      }
      const value = !args ? this.parameterUnknown(param) : args[index]?.value ?? { kind: 'undefined' as const, node: param };
      this.bindPattern(param, value, env, true);
      if (param.type === AST_NODE_TYPES.TSParameterProperty) {
        const thisValue = env.functionFrame()?.thisValue;
        const name = param.parameter.type === AST_NODE_TYPES.Identifier ? param.parameter.name
          : param.parameter.left.type === AST_NODE_TYPES.Identifier ? param.parameter.left.name : undefined;
        const bound = name === undefined ? undefined : env.vars.get(name);
        if (thisValue?.kind === 'construct' && name !== undefined && bound) thisValue.construct.fields.set(name, bound);
      }
    });
  }

  /** The value of a parameter of a function read without a call: unknown, named after the parameter. */
  private parameterUnknown(param: TSESTree.Parameter): Value {
    const target = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
    const name = target.type === AST_NODE_TYPES.AssignmentPattern ? target.left : target;
    return unknownValue(param, name.type === AST_NODE_TYPES.Identifier ? name.name : this.text(name));
  }

  // ---- classes ------------------------------------------------------------------------------------------------

  private classValue(decl: ClassNode, env: Env, name: string): ClassValueWritten {
    const value: ClassValueWritten = { kind: 'class', decl, env, name, instances: [], node: decl };
    this.classes.push(value);
    return value;
  }

  private localSuperclass(classValue: ClassValue): ClassValue | undefined {
    const superClass = classValue.decl.superClass;
    if (superClass?.type !== AST_NODE_TYPES.Identifier) return undefined;
    const value = (classValue.env as Env).lookup(superClass.name);
    return value?.kind === 'class' && value !== classValue ? value : undefined;
  }

  /** Whether instances of a class declared here are stacks, constructs or plain objects, following `extends`. */
  private classRole(classValue: ClassValue, seen = new Set<ClassValue>()): ClassRole {
    if (seen.has(classValue)) return 'other';
    seen.add(classValue);
    const local = this.localSuperclass(classValue);
    if (local) return this.classRole(local, seen);
    const superClass = classValue.decl.superClass;
    if (!superClass) return 'other';
    const value = this.evaluate(superClass, classValue.env as Env);
    return value.kind === 'symbol' ? libraryClassRole(value.name) : 'other';
  }

  private evaluateNew(node: TSESTree.NewExpression, env: Env): Value {
    const callee = this.evaluate(node.callee, env);
    const args = this.evaluateArgs(node.arguments, env);
    if (callee.kind === 'symbol') {
      const value = this.library.construct(callee.name, args, node, this);
      if (value) return value;
      const role = libraryClassRole(callee.name);
      if (role === 'other') return unknownValue(node, this.text(node));
      return { kind: 'construct', construct: this.constructInstance(role, args, undefined), node };
    }
    if (callee.kind === 'class') return this.instantiate(callee, args, node);
    this.noteImportedInstance(node, args, env);
    if (!(node.callee.type === AST_NODE_TYPES.Identifier && PURE_CALLS.has(node.callee.name))) this.escape(args);
    return unknownValue(node, this.text(node));
  }

  /**
   * `new WebStack(app, 'WebStack-prod')` where `WebStack` is imported from a relative module (`new lib.WebStack(…)`
   * through a namespace import too): noted with its scope's path and its id, for the cross-file link to name the
   * class's constructs after it. What the class is (a stack, a construct, neither) is known only in its own file.
   */
  private noteImportedInstance(node: TSESTree.NewExpression, args: Arg[], env: Env): void {
    const callee = node.callee;
    let imported: { module: string; name: string | undefined } | undefined;
    let name: string | undefined;
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const binding = env.lookup(callee.name);
      imported = binding ? this.relativeImports.get(binding) : undefined;
      name = imported?.name;
    } else if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.object.type === AST_NODE_TYPES.Identifier
      && callee.property.type === AST_NODE_TYPES.Identifier) {
      const binding = env.lookup(callee.object.name);
      imported = binding ? this.relativeImports.get(binding) : undefined;
      if (imported && (imported.name === undefined || imported.name === MODULE_EXPORTS)) name = callee.property.name;
    }
    if (!imported || name === undefined) return;
    const scope = args[0];
    const id = args[1];
    if (!scope || !id) return;
    const scopePath = scope.value.kind === 'construct' ? scope.value.construct.path : undefined;
    this.links.instances.push({
      file: this.source.file,
      module: imported.module,
      name,
      ...(scopePath !== undefined ? { scope: scopePath } : {}),
      scopeText: this.text(scope.node),
      id: id.value.kind === 'string' ? id.value.value : `\${${this.text(id.node)}}`,
    });
  }

  /** The exported names of top-level classes: `export class X`, `export default class`, `export { X as Y }`. */
  private findExportedClasses(body: TSESTree.ProgramStatement[]): void {
    const classesByName = new Map<string, ClassNode>();
    for (const statement of body) {
      const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration
        ? statement.declaration : statement;
      if (declaration?.type !== AST_NODE_TYPES.ClassDeclaration) continue;
      if (declaration.id) classesByName.set(declaration.id.name, declaration);
      if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration && declaration.id) this.exportClass(declaration, declaration.id.name);
      if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) this.exportClass(declaration, 'default');
    }
    for (const statement of body) {
      if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration && statement.declaration.type === AST_NODE_TYPES.Identifier) {
        const declaration = classesByName.get(statement.declaration.name);
        if (declaration) this.exportClass(declaration, 'default');
      }
      if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.source || statement.exportKind === 'type') continue;
      for (const specifier of statement.specifiers) {
        if (specifier.local.type !== AST_NODE_TYPES.Identifier) continue;
        const declaration = classesByName.get(specifier.local.name);
        const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : specifier.exported.value;
        if (declaration) this.exportClass(declaration, exported);
      }
    }
    this.findCommonJsExportedClasses(body, classesByName);
  }

  /**
   * Classes exported the CommonJS way: `module.exports = { WebStack }`, `module.exports = WebStack`, `exports.WebStack = WebStack`,
   * or a class expression in their place.
   */
  private findCommonJsExportedClasses(body: TSESTree.ProgramStatement[], classesByName: ReadonlyMap<string, ClassNode>): void {
    for (const statement of body) {
      const target = commonJsExportTarget(statement);
      if (!target) continue;
      const { value } = target;
      // `module.exports = class WebStack extends Stack {}`, `exports.DbStack = class extends Stack {}` as a declared class.
      const declarationOf = (node: TSESTree.Node): ClassNode | undefined =>
        node.type === AST_NODE_TYPES.ClassExpression ? node : node.type === AST_NODE_TYPES.Identifier ? classesByName.get(node.name) : undefined;
      if (value.type === AST_NODE_TYPES.Identifier || value.type === AST_NODE_TYPES.ClassExpression) {
        const declaration = declarationOf(value);
        if (!declaration) continue;
        if (target.name !== undefined) this.exportClass(declaration, target.name);
        else for (const name of [MODULE_EXPORTS, 'default']) this.exportClass(declaration, name);
      } else if (target.name === undefined && value.type === AST_NODE_TYPES.ObjectExpression) {
        for (const property of value.properties) {
          if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
          const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : typeof property.key.value === 'string' ? property.key.value : undefined;
          const declaration = declarationOf(property.value);
          if (key !== undefined && declaration) this.exportClass(declaration, key);
        }
      }
    }
  }

  private exportClass(declaration: ClassNode, name: string): void {
    const names = this.exportedClasses.get(declaration) ?? [];
    if (!names.includes(name)) names.push(name);
    this.exportedClasses.set(declaration, names);
  }

  /** A construct created with `(scope, id)`: its path is the scope's path plus the id, as far as both are known. */
  private constructInstance(role: ClassRole, args: Arg[], classValue: ClassValue | undefined): ConstructInstance {
    const instance: ConstructInstance = { path: undefined, isStack: role === 'stack', fields: new Map() };
    if (classValue) instance.classValue = classValue;
    if (role === 'app') {
      instance.path = '';
    } else if (role === 'stack' || role === 'construct') {
      const scope = args[0];
      const id = args[1];
      const idText = id?.value.kind === 'string' ? id.value.value : id ? `\${${this.text(id.node)}}` : undefined;
      const scopePath = scope?.value.kind === 'construct' ? scope.value.construct.path : undefined;
      // A stack is a root of the paths fwlint reports even when its scope (the app) is not visible here; a construct
      // whose scope is not known shows it as `${scope}/Web`, so its children are not mistaken for top-level ones.
      if (idText !== undefined && (scopePath !== undefined || role === 'stack')) instance.path = joinPath(scopePath ?? '', idText);
      else if (idText !== undefined && scope) instance.path = joinPath(`\${${this.text(scope.node)}}`, idText);
    }
    return instance;
  }

  /** `new LocalClass(…)`: field initializers and the constructor are read with `this` bound to the new instance. */
  private instantiate(classValue: ClassValueWritten, args: Arg[], node: Node): Value {
    const role = this.classRole(classValue);
    const instance = this.constructInstance(role, args, classValue);
    const thisValue: Value = { kind: 'construct', construct: instance, node };
    classValue.instances.push(instance);
    this.runConstructor(classValue, thisValue, args);
    return thisValue;
  }

  private runConstructor(classValue: ClassValue, thisValue: Value, args: Arg[] | undefined): void {
    if (this.callDepth >= MAX_CALL_DEPTH) return;
    this.callDepth++;
    try {
      const frame: Frame = { ...this.frame(false, thisValue, classValue.decl), classValue };
      const env = new Env(classValue.env as Env, frame);
      for (const member of classValue.decl.body.body) {
        if (member.type !== AST_NODE_TYPES.PropertyDefinition || member.static || !member.value) continue;
        const key = this.propertyKey(member.key, member.computed, env);
        const value = this.evaluate(member.value, env);
        if (key !== undefined && thisValue.kind === 'construct') thisValue.construct.fields.set(key, value);
      }
      const ctor = classValue.decl.body.body.find((member): member is TSESTree.MethodDefinition =>
        member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor');
      if (ctor?.value.type === AST_NODE_TYPES.FunctionExpression) {
        this.walkedFunctions.add(ctor.value);
        this.bindParameters(ctor.value.params, args, env);
        if (ctor.value.body) this.walkStatements(ctor.value.body.body, env);
      } else {
        // No constructor: the superclass's runs with the same arguments.
        const local = this.localSuperclass(classValue);
        if (local) this.runConstructor(local, thisValue, args);
      }
    } finally {
      this.callDepth--;
    }
  }

  private superCall(node: TSESTree.CallExpression, env: Env): void {
    const args = this.evaluateArgs(node.arguments, env);
    const frame = env.functionFrame();
    const local = frame?.classValue ? this.localSuperclass(frame.classValue) : undefined;
    if (local && frame?.thisValue) this.runConstructor(local, frame.thisValue, args);
  }

  // ---- the rest -----------------------------------------------------------------------------------------------

  /**
   * Code the reader does not fold is still searched for calls, `new` expressions and functions, so a rule written
   * inside an unusual expression is not missed.
   */
  private scanForEffects(node: TSESTree.Node, env: Env): void {
    if (!this.enter(node)) return;
    try {
      this.scanChildren(node, env);
    } finally {
      this.depth--;
    }
  }

  private scanChildren(node: TSESTree.Node, env: Env): void {
    for (const child of childNodes(node)) {
      switch (child.type) {
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
        case AST_NODE_TYPES.AssignmentExpression:
        case AST_NODE_TYPES.ArrowFunctionExpression:
        case AST_NODE_TYPES.FunctionExpression:
        case AST_NODE_TYPES.ClassExpression:
          this.evaluate(child, env);
          break;
        case AST_NODE_TYPES.BlockStatement:
          this.walkStatement(child, env);
          break;
        default:
          this.scanForEffects(child, env);
      }
    }
  }

  /**
   * Code never reached by a call is read once anyway: classes never instantiated here (a stack instantiated in
   * `bin/app.ts`), methods never called, callbacks handed to code outside the file. Their parameters are unknown.
   */
  private drain(): void {
    // Code read this way may run at any time, or never: its writes to values made elsewhere are not certain.
    this.underCondition(undefined, () => this.drainRounds());
  }

  private drainRounds(): void {
    for (let round = 0; round < 8 && !this.exhausted; round++) {
      let progressed = false;
      // Functions first: one never called may instantiate a class, which then has its real place in the tree. A
      // function named again elsewhere in the file (a helper a class not instantiated here calls) waits a round: the
      // class calls it with its real arguments, instead of reading it with unknown ones (a stand-in group `sg`).
      for (const fnValue of [...this.pendingFunctions]) {
        if (this.walkedFunctions.has(fnValue.fn)) continue;
        progressed = true;
        if (round === 0 && this.isNamedElsewhere(fnValue.fn)) continue;
        this.callFunction(fnValue, undefined, undefined, fnValue.fn);
      }
      const instantiated = new Set(this.classes.filter((classValue) => classValue.instances.length > 0).map((classValue) => classValue.decl));
      for (const classValue of [...this.classes]) {
        // A declaration read twice (in a function called twice) is one class.
        if (classValue.instances.length > 0 || instantiated.has(classValue.decl)) continue;
        instantiated.add(classValue.decl);
        progressed = true;
        const role = this.classRole(classValue);
        // Never instantiated here (a stack made in bin/app.ts, a construct of a library file): a stack is named after
        // its class, and a construct's unknown place in the tree shows as `${WebTier}`, one per class.
        const path = role === 'stack' ? classValue.name : role === 'construct' ? `\${${classValue.name}}` : undefined;
        // Another scanned file may instantiate it: the link names its constructs after those instances.
        if (path !== undefined && (role === 'stack' || role === 'construct')) {
          for (const name of this.exportedClasses.get(classValue.decl) ?? []) this.links.classes.push({ file: this.source.file, name, role, root: path });
        }
        const instance: ConstructInstance = { path, isStack: role === 'stack', fields: new Map(), classValue };
        classValue.instances.push(instance);
        this.runConstructor(classValue, { kind: 'construct', construct: instance, node: classValue.decl }, undefined);
      }
      for (const classValue of [...this.classes]) {
        const instance = classValue.instances[0];
        if (!instance) continue;
        for (const member of classValue.decl.body.body) {
          if (member.type !== AST_NODE_TYPES.MethodDefinition || member.kind === 'constructor' || member.value.type !== AST_NODE_TYPES.FunctionExpression) continue;
          if (this.walkedFunctions.has(member.value)) continue;
          progressed = true;
          const thisValue: Value | undefined = member.static ? undefined : { kind: 'construct', construct: instance, node: classValue.decl };
          this.callFunction({ kind: 'function', fn: member.value, env: classValue.env, thisValue, node: member.value }, undefined, thisValue, member.value);
        }
      }
      if (!progressed) return;
    }
  }
}

/**
 * A copy of a value another file exports, every part located at `at`: strings, numbers, booleans, null, undefined,
 * lists and objects of them, and unknowns (choices kept). Undefined for anything else (functions, classes,
 * constructs, library values): those are read only in their own file. A list or object shared by several parts, or
 * holding itself, is copied once (`copies`).
 */
function importedData(value: Value, at: Node, copies = new Map<Value, Value>()): Value | undefined {
  const copied = copies.get(value);
  if (copied) return copied;
  const part = (item: Value): Value => importedData(item, at, copies) ?? unknownValue(at, textOf(item));
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return { ...value, node: at };
    case 'null':
    case 'undefined':
      return { kind: value.kind, node: at };
    case 'array': {
      const copy: Value = { kind: 'array', items: [], node: at };
      copies.set(value, copy);
      for (const item of value.items) copy.items.push(part(item));
      return copy;
    }
    case 'object': {
      const copy: Value = { kind: 'object', entries: new Map(), complete: value.complete, node: at };
      copies.set(value, copy);
      for (const [key, entry] of value.entries) copy.entries.set(key, part(entry));
      return copy;
    }
    case 'unknown': {
      if (!value.choice) return unknownValue(at, value.expr);
      const { condition, consequent, alternate } = value.choice;
      return { kind: 'unknown', node: at, expr: value.expr, choice: { condition, consequent: part(consequent), alternate: part(alternate) } };
    }
    default:
      return undefined;
  }
}

/** A name for a part of an imported value that is not data (a function in an exported object): its kind. */
function textOf(value: Value): string {
  return value.kind === 'unknown' ? value.expr : `<${value.kind}>`;
}

/**
 * An imported name, unknown until its module is read (and after, when it cannot be): shown (FW303, unresolved ports
 * and peers) with the module it comes from, `SSH from './net'`, and with the exported name when it is imported under
 * another (`S (SSH from './net')`).
 */
function importedUnknown(node: Node, local: string, imported: string, specifier: string): Value {
  const origin = importOrigin(imported, specifier);
  return { kind: 'unknown', node, expr: local === imported ? origin : `${local} (${origin})`, imported: { written: local, specifier } };
}

/** `SSH from './net'`, the specifier quoted as it is usually written. */
function importOrigin(name: string, specifier: string): string {
  const quote = "'";
  return `${name} from ${quote}${specifier}${quote}`;
}

type NumberConversion = 'Number' | 'parseInt' | 'parseFloat';

function isNumberConversion(name: string): name is NumberConversion {
  return name === 'Number' || name === 'parseInt' || name === 'parseFloat';
}

/**
 * The number a conversion gives for known primitive arguments (JavaScript's own functions on primitives: no user
 * code runs), or undefined when an argument that matters is not known (an object's `valueOf` could say anything).
 */
function convertedNumber(conversion: NumberConversion, values: readonly Value[]): number | undefined {
  const primitive = (value: Value | undefined): string | number | boolean | null | undefined | typeof UNKNOWN => {
    if (value === undefined) return undefined;
    switch (value.kind) {
      case 'string':
      case 'number':
      case 'boolean':
        return value.value;
      case 'null':
        return null;
      case 'undefined':
        return undefined;
      default:
        return UNKNOWN;
    }
  };
  const input = primitive(values[0]);
  if (input === UNKNOWN) return undefined;
  if (conversion === 'Number') return values.length === 0 ? 0 : Number(input);
  if (conversion === 'parseFloat') return parseFloat(String(input));
  const radix = primitive(values[1]);
  if (radix === UNKNOWN) return undefined;
  return parseInt(String(input), radix === undefined ? undefined : Number(radix));
}
const UNKNOWN = Symbol('unknown');

/** The export name under which a module's CommonJS `module.exports` value as a whole is known (not an identifier). */
const MODULE_EXPORTS = 'module.exports';

/** The specifier of `require('…')` (a string literal), if `node` is that call. */
function requiredSpecifier(node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.Identifier || node.callee.name !== 'require') return undefined;
  const [first] = node.arguments;
  return node.arguments.length === 1 && first?.type === AST_NODE_TYPES.Literal && typeof first.value === 'string' ? first.value : undefined;
}

/**
 * A top-level CommonJS export statement: `module.exports = value` and `export = value` (`name` undefined),
 * `module.exports.X = value` (`viaModule`) or `exports.X = value` (also `['X']`).
 */
function commonJsExportTarget(statement: TSESTree.ProgramStatement): { name: string | undefined; viaModule: boolean; value: TSESTree.Expression } | undefined {
  if (statement.type === AST_NODE_TYPES.TSExportAssignment) return { name: undefined, viaModule: true, value: statement.expression };
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const assignment = statement.expression;
  if (assignment.type !== AST_NODE_TYPES.AssignmentExpression || assignment.operator !== '=') return undefined;
  const left = assignment.left;
  if (isModuleExports(left)) return { name: undefined, viaModule: true, value: assignment.right };
  if (left.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = !left.computed && left.property.type === AST_NODE_TYPES.Identifier ? left.property.name
    : left.computed && left.property.type === AST_NODE_TYPES.Literal && typeof left.property.value === 'string' ? left.property.value : undefined;
  if (name === undefined) return undefined;
  if (isModuleExports(left.object)) return { name, viaModule: true, value: assignment.right };
  if (left.object.type === AST_NODE_TYPES.Identifier && left.object.name === 'exports') return { name, viaModule: false, value: assignment.right };
  return undefined;
}

/**
 * The writes to a module's CommonJS exports outside the top-level statements `commonJsExportTarget` reads in order
 * (`ordered`): `exports.X = …` or `module.exports.X += …` anywhere else (an `if`, a function, a loop) make X unknown;
 * replacing `module.exports` there, or handing the exports object to other code (`Object.assign(module.exports, …)`,
 * an alias, an argument), makes every export unknown (`whole`: the node that did). Reads (`exports.X`) are no writes.
 */
function lateCommonJsWrites(program: TSESTree.Program, ordered: ReadonlySet<TSESTree.Node>): { names: Map<string, TSESTree.Node>; whole: TSESTree.Node | undefined } {
  const names = new Map<string, TSESTree.Node>();
  let whole: TSESTree.Node | undefined;
  const visit = (node: TSESTree.Node, ancestors: TSESTree.Node[]): void => {
    if (whole) return;
    const parent = ancestors[ancestors.length - 1];
    const isExportsObject = isModuleExports(node) || (node.type === AST_NODE_TYPES.Identifier && node.name === 'exports' && !isPropertyName(node, parent));
    if (isExportsObject) {
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
        // `exports.X.y = …` writes into X as well.
        let topIndex = ancestors.length - 1;
        while (topIndex > 0) {
          const above = ancestors[topIndex - 1]!;
          if (above.type !== AST_NODE_TYPES.MemberExpression || above.object !== ancestors[topIndex]) break;
          topIndex--;
        }
        const user = ancestors[topIndex - 1];
        if (user && isWrittenBy(ancestors[topIndex]!, user)) {
          const name = memberName(parent);
          if (name === undefined) whole = user;
          else if (!names.has(name)) names.set(name, user);
        }
        return;
      }
      whole = parent ?? node;
      return;
    }
    if (node.type === AST_NODE_TYPES.Identifier && node.name === 'module' && !isPropertyName(node, parent)
      && !(parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node)) {
      // `module` itself handed to other code.
      whole = parent ?? node;
      return;
    }
    ancestors.push(node);
    for (const child of childNodes(node)) visit(child, ancestors);
    ancestors.pop();
  };
  for (const statement of program.body) {
    if (!ordered.has(statement)) {
      visit(statement, [program]);
      continue;
    }
    // The ordered write itself is read in order; only its value may hold another write.
    const target = commonJsExportTarget(statement)!;
    visit(target.value, [program, statement]);
  }
  return { names, whole };
}

/** Whether `user` (the node above `target`) assigns, updates or deletes `target`. */
function isWrittenBy(target: TSESTree.Node, user: TSESTree.Node): boolean {
  switch (user.type) {
    case AST_NODE_TYPES.AssignmentExpression:
      return user.left === target;
    case AST_NODE_TYPES.UpdateExpression:
      return true;
    case AST_NODE_TYPES.UnaryExpression:
      return user.operator === 'delete';
    case AST_NODE_TYPES.ForInStatement:
    case AST_NODE_TYPES.ForOfStatement:
      return user.left === target;
    default:
      return false;
  }
}

/** `x.NAME` or `x['NAME']`: the name; undefined for a computed one. */
function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed) return node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : undefined;
  return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string' ? node.property.value : undefined;
}

/** An identifier that names a property (`a.exports`, `{ exports: 1 }`), not a variable. */
function isPropertyName(node: TSESTree.Identifier, parent: TSESTree.Node | undefined): boolean {
  if (parent?.type === AST_NODE_TYPES.MemberExpression) return parent.property === node && !parent.computed;
  if (parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition || parent?.type === AST_NODE_TYPES.MethodDefinition) {
    return parent.key === node && !parent.computed && !(parent.type === AST_NODE_TYPES.Property && parent.shorthand);
  }
  return false;
}

function isModuleExports(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.object.type === AST_NODE_TYPES.Identifier && node.object.name === 'module'
    && node.property.type === AST_NODE_TYPES.Identifier && node.property.name === 'exports';
}

/** An expression `export default` gives that is data, not a function or class declared there. */
function isDataExpression(node: TSESTree.Node): boolean {
  return node.type !== AST_NODE_TYPES.FunctionDeclaration && node.type !== AST_NODE_TYPES.ClassDeclaration && node.type !== AST_NODE_TYPES.TSInterfaceDeclaration
    && node.type !== AST_NODE_TYPES.TSDeclareFunction && node.type !== AST_NODE_TYPES.ArrowFunctionExpression && node.type !== AST_NODE_TYPES.FunctionExpression
    && node.type !== AST_NODE_TYPES.ClassExpression;
}

/** The names a declaration's pattern binds (`const { a, b: [c] } = …` binds a and c). */
function boundNames(pattern: TSESTree.Node): string[] {
  switch (pattern.type) {
    case AST_NODE_TYPES.Identifier:
      return [pattern.name];
    case AST_NODE_TYPES.AssignmentPattern:
      return boundNames(pattern.left);
    case AST_NODE_TYPES.RestElement:
      return boundNames(pattern.argument);
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.flatMap((element) => (element ? boundNames(element) : []));
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.flatMap((property) => boundNames(property.type === AST_NODE_TYPES.Property ? property.value : property));
    default:
      return [];
  }
}

/** `a + b` as JavaScript computes it on known numbers or a known string and a primitive; undefined otherwise. */
function plus(left: Value, right: Value, node: Node): Value | undefined {
  if (left.kind === 'number' && right.kind === 'number') return { kind: 'number', value: left.value + right.value, node };
  if (left.kind !== 'string' && right.kind !== 'string') return undefined;
  const a = primitiveText(left);
  const b = primitiveText(right);
  if (a === undefined || b === undefined || a.length + b.length > MAX_STRING_CHARS) return undefined;
  return { kind: 'string', value: a + b, node };
}

/** `Object.keys`, `Object.values` or `Object.entries` of an object whose every key is known; undefined otherwise. */
function objectListing(name: string, args: Arg[], node: TSESTree.CallExpression): Value | undefined {
  const object = args[0]?.value;
  if (args.length !== 1 || object?.kind !== 'object' || !object.complete) return undefined;
  const keys = [...object.entries.keys()];
  const key = (text: string): Value => ({ kind: 'string', value: text, node });
  if (name === 'keys') return { kind: 'array', items: keys.map(key), node };
  if (name === 'values') return { kind: 'array', items: [...object.entries.values()], node };
  if (name === 'entries') return { kind: 'array', items: [...object.entries].map(([text, value]) => ({ kind: 'array', items: [key(text), value], node })), node };
  return undefined;
}

/**
 * Methods of strings folded on a known string with known primitive arguments: pure and independent of the locale, so
 * their result is what the program computes (`cidr.includes(':') ? Peer.ipv6(cidr) : Peer.ipv4(cidr)` takes one side).
 */
const STRING_METHODS = new Set([
  'at', 'charAt', 'charCodeAt', 'codePointAt', 'concat', 'endsWith', 'includes', 'indexOf', 'lastIndexOf', 'padEnd',
  'padStart', 'repeat', 'replace', 'replaceAll', 'slice', 'split', 'startsWith', 'substring', 'toLowerCase', 'toString',
  'toUpperCase', 'trim', 'trimEnd', 'trimStart', 'valueOf',
]);

/** `text.name(…args)` when the method is pure and every argument a known primitive; undefined otherwise. */
function stringMethod(text: string, name: string, args: Arg[], node: Node): Value | undefined {
  const values = primitivesOf(args.map((arg) => arg.value));
  if (!STRING_METHODS.has(name) || !values) return undefined;
  const bound = grownLength(text, name, values);
  if (bound === undefined || bound > MAX_STRING_CHARS) return undefined;
  const method = String.prototype[name as keyof string] as (...parameters: unknown[]) => unknown;
  return primitiveValue(method.apply(text, values), node);
}

/**
 * An upper bound on the length of `text.name(…values)`, checked before the call so that `'x'.repeat(1e9)` is never
 * computed; undefined when the arguments make no sense for it (the call is then not folded).
 */
function grownLength(text: string, name: string, values: unknown[]): number | undefined {
  const [first, second] = values;
  switch (name) {
    case 'repeat':
      return typeof first === 'number' && Number.isInteger(first) && first >= 0 ? text.length * first : undefined;
    case 'padStart':
    case 'padEnd':
      return typeof first === 'number' ? Math.max(text.length, first) : undefined;
    case 'concat':
      return values.reduce<number>((length, value) => length + String(value).length, text.length);
    case 'replace':
    case 'replaceAll':
      // Replacement patterns (`$&`) are at most twice as long as what they insert.
      return typeof first === 'string' && typeof second === 'string' ? text.length + (text.length + 1) * second.length * 2 : undefined;
    default:
      return text.length;
  }
}

type Primitive = string | number | boolean | null | undefined;

/** The JavaScript values of known primitives, or undefined when one is not known (or not a primitive). */
function primitivesOf(values: readonly Value[]): Primitive[] | undefined {
  const primitives: Primitive[] = [];
  for (const value of values) {
    switch (value.kind) {
      case 'string':
      case 'number':
      case 'boolean':
        primitives.push(value.value);
        break;
      case 'null':
        primitives.push(null);
        break;
      case 'undefined':
        primitives.push(undefined);
        break;
      default:
        return undefined;
    }
  }
  return primitives;
}

/** A value computed by a built-in method as the reader's Value: primitives and lists of strings (`split`). */
function primitiveValue(result: unknown, node: Node): Value | undefined {
  if (typeof result === 'string') return result.length <= MAX_STRING_CHARS ? { kind: 'string', value: result, node } : undefined;
  if (typeof result === 'number') return { kind: 'number', value: result, node };
  if (typeof result === 'boolean') return { kind: 'boolean', value: result, node };
  if (result === undefined) return { kind: 'undefined', node };
  // A list no longer than a loop unrolls: what a split is for here (`'22,443'.split(',')`).
  if (Array.isArray(result) && result.length <= MAX_UNROLL && result.every((item) => typeof item === 'string')) {
    return { kind: 'array', items: result.map((item: string) => ({ kind: 'string', value: item, node })), node };
  }
  return undefined;
}

/** Globals that do not change their arguments: values passed to them stay known. */
const PURE_CALLS = new Set([
  'String', 'Number', 'Boolean', 'BigInt', 'Symbol', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent',
  'decodeURIComponent', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Date', 'RegExp', 'URL', 'Error', 'TypeError', 'RangeError',
  'Array.isArray', 'Array.from', 'Array.of', 'Object.keys', 'Object.values', 'Object.entries', 'Object.freeze', 'Object.fromEntries',
  'Object.getOwnPropertyNames', 'Object.isFrozen', 'JSON.stringify', 'JSON.parse', 'Promise.all', 'Promise.resolve',
]);
const PURE_RECEIVERS = new Set(['console', 'Math', 'path']);
/** List methods that call their callback on each element: read per side of a list that is a choice. */
const CALLBACK_LIST_METHODS = new Set(['forEach', 'map', 'flatMap']);
const MUTATING_ARRAY_METHODS = new Set(['splice', 'pop', 'shift', 'unshift', 'reverse', 'sort', 'fill', 'copyWithin']);

/** The first argument that stands for a choice (`c ? a : b` under an undecidable `c`), and the choice. */
function choiceArgument(args: Arg[]): { index: number; choice: Choice } | undefined {
  for (let index = 0; index < args.length; index++) {
    const value = args[index]!.value;
    if (value.kind === 'unknown' && value.choice !== undefined) return { index, choice: value.choice };
  }
  return undefined;
}

function withArgument(args: Arg[], index: number, value: Value): Arg[] {
  return args.map((arg, position) => (position === index ? { value, node: arg.node } : arg));
}

function joinPath(scope: string, id: string): string {
  return scope === '' ? id : `${scope}/${id}`;
}

/**
 * The construct path of a child created with `(scope, id)`: `Stack/Id` when the scope's path is known, else just the
 * id (contract: "CDK / Pulumi: the construct path or resource name", as far as it can be known statically).
 */
export function childPath(scope: Value | undefined, id: string): string {
  const scopePath = scope?.kind === 'construct' ? scope.construct.path : undefined;
  return joinPath(scopePath ?? '', id);
}

function samePrimitive(a: Value, b: Value): boolean {
  const textA = primitiveText(a);
  return textA !== undefined && a.kind === b.kind && textA === primitiveText(b);
}

const SKIPPED_KEYS = new Set(['parent', 'loc', 'range', 'typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'decorators']);

/** Child nodes of any node, type annotations left out. */
export function childNodes(node: TSESTree.Node): TSESTree.Node[] {
  const children: TSESTree.Node[] = [];
  for (const [key, value] of Object.entries(node as unknown as Record<string, unknown>)) {
    if (SKIPPED_KEYS.has(key)) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * The counter of a classic index loop with a trip count known once its bounds are: `for (let i = START; i < END; i++)`
 * (`<=`, `++i`, `i += 1` too) where END is a name, a property (`PORTS.length`) or a number, and the body never assigns
 * `i`. Undefined for any other `for`: its counter stays unknown.
 */
function loopCounter(node: TSESTree.ForStatement): { name: TSESTree.Identifier; start: TSESTree.Expression; end: TSESTree.Expression; inclusive: boolean } | undefined {
  const { init, test, update } = node;
  if (init?.type !== AST_NODE_TYPES.VariableDeclaration || init.kind === 'const' || init.declarations.length !== 1) return undefined;
  const [declarator] = init.declarations as [TSESTree.VariableDeclarator];
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  const name = declarator.id;
  const isCounter = (expression: TSESTree.Node): boolean => expression.type === AST_NODE_TYPES.Identifier && expression.name === name.name;
  if (test?.type !== AST_NODE_TYPES.BinaryExpression || (test.operator !== '<' && test.operator !== '<=') || !isCounter(test.left)) return undefined;
  const end = test.right;
  // A name or property path read once before the loop: nothing in it runs code, nor depends on the counter.
  const isPlainPath = (expression: TSESTree.Node): boolean => (expression.type === AST_NODE_TYPES.Identifier && !isCounter(expression))
    || expression.type === AST_NODE_TYPES.ThisExpression
    || (expression.type === AST_NODE_TYPES.MemberExpression && !expression.computed && isPlainPath(expression.object));
  if (end.type !== AST_NODE_TYPES.Literal && !isPlainPath(end)) return undefined;
  const stepsByOne = (update?.type === AST_NODE_TYPES.UpdateExpression && update.operator === '++' && isCounter(update.argument))
    || (update?.type === AST_NODE_TYPES.AssignmentExpression && update.operator === '+=' && isCounter(update.left)
      && update.right.type === AST_NODE_TYPES.Literal && update.right.value === 1);
  if (!stepsByOne || assignedNames(node.body).has(name.name)) return undefined;
  return { name, start: declarator.init, end, inclusive: test.operator === '<=' };
}

/** START, START+1, … up to END (or before it): undefined unless both are known integers and at most MAX_UNROLL counts. */
function countedValues(start: Value, end: Value, inclusive: boolean): number[] | undefined {
  if (start.kind !== 'number' || end.kind !== 'number' || !Number.isSafeInteger(start.value) || !Number.isSafeInteger(end.value)) return undefined;
  const last = inclusive ? end.value : end.value - 1;
  if (last - start.value + 1 > MAX_UNROLL) return undefined;
  const counts: number[] = [];
  for (let count = start.value; count <= last; count++) counts.push(count);
  return counts;
}

/** Names assigned anywhere below `root` after their declaration (`x = …`, `x++`, `for (x of …)`): such `let`s are not folded. */
function assignedNames(root: TSESTree.Node): Set<string> {
  const names = new Set<string>();
  const addPattern = (pattern: TSESTree.Node): void => {
    if (pattern.type === AST_NODE_TYPES.Identifier) names.add(pattern.name);
    else if (pattern.type === AST_NODE_TYPES.ObjectPattern || pattern.type === AST_NODE_TYPES.ArrayPattern) {
      for (const child of childNodes(pattern)) addPattern(child.type === AST_NODE_TYPES.Property ? child.value : child);
    } else if (pattern.type === AST_NODE_TYPES.AssignmentPattern) addPattern(pattern.left);
    else if (pattern.type === AST_NODE_TYPES.RestElement) addPattern(pattern.argument);
  };
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.AssignmentExpression) addPattern(node.left);
    else if (node.type === AST_NODE_TYPES.UpdateExpression) addPattern(node.argument);
    else if ((node.type === AST_NODE_TYPES.ForOfStatement || node.type === AST_NODE_TYPES.ForInStatement) && node.left.type !== AST_NODE_TYPES.VariableDeclaration) addPattern(node.left);
    stack.push(...childNodes(node));
  }
  return names;
}

/** A call of one of Pulumi's config getters that throw when the key is not set (`cfg.requireNumber` …). */
function isRequiredConfig(node: TSESTree.Expression): boolean {
  return node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression && node.callee.property.type === AST_NODE_TYPES.Identifier && REQUIRED_CONFIG_GETTERS.has(node.callee.property.name);
}

const REQUIRED_CONFIG_GETTERS = new Set(['', 'Secret'].flatMap((secret) => ['', 'Number', 'Boolean', 'Object'].map((type) => `require${secret}${type}`)));
