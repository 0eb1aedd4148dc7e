import { branchesCompatible, branchImplies, branchOfAnyText, branchOfLiterals, branchWorldConditions, branchWorlds, negateCondition, negatedBranchCells } from '../../src/model/branch';
import { rule } from '../helpers/build-rule';

const cfn = (branch?: string) => rule('in', 'tcp', '22', '10.0.0.0/8', branch === undefined ? { kind: 'cloudformation' } : { kind: 'cloudformation', branch });
const cdk = (branch: string) => rule('in', 'tcp', '22', '10.0.0.0/8', { kind: 'cdk', branch });
const tf = (branch: string) => rule('in', 'tcp', '22', '10.0.0.0/8', { kind: 'terraform-hcl', branch });

describe('branch predicates', () => {
  it('CloudFormation: compatible unless a condition has different values; no branch is compatible with all', () => {
    expect(branchesCompatible(cfn('IsProd=true'), cfn('IsProd=false'))).toBe(false);
    expect(branchesCompatible(cfn('IsProd=true,IsEu=false'), cfn('IsEu=true'))).toBe(false);
    expect(branchesCompatible(cfn('IsProd=true'), cfn('IsEu=true'))).toBe(true);
    expect(branchesCompatible(cfn(), cfn('IsProd=false'))).toBe(true);
  });

  it('CDK: `open` and `!open`, `x === 1` and `!(x === 1)` exclude each other', () => {
    expect(branchesCompatible(cdk('open'), cdk('!open'))).toBe(false);
    expect(branchesCompatible(cdk("ready and !(stage === 'prod')"), cdk("stage === 'prod'"))).toBe(false);
    expect(branchesCompatible(cdk('open'), cdk('ready'))).toBe(true);
  });

  it('CloudFormation: conditions testing one parameter carry its value (`Env=prod`), which excludes another value', () => {
    expect(branchesCompatible(cfn('IsProd=true,Env=prod'), cfn('IsDev=true,Env=dev'))).toBe(false);
    expect(branchesCompatible(cfn('IsProd=true,Env=prod'), cfn('IsEu=true'))).toBe(true);
  });

  it('CloudFormation: a parameter\'s values (`Env=prod|test`) are a set: they meet `Env=prod`, not `Env=dev`', () => {
    expect(branchesCompatible(cfn('IsB=true,Env=prod|test'), cfn('IsProd=true,Env=prod'))).toBe(true);
    expect(branchesCompatible(cfn('IsB=true,Env=prod|test'), cfn('IsDev=true,Env=dev'))).toBe(false);
    expect(branchImplies(cfn('IsB=true,IsProd=true,Env=prod'), cfn('IsB=true,Env=prod|test'))).toBe(true);
    expect(branchImplies(cfn('IsB=true,Env=prod|test'), cfn('IsProd=true,Env=prod'))).toBe(false);
    const [prod, b, dev] = [cfn('IsProd=true,Env=prod'), cfn('IsB=true,Env=prod|test'), cfn('IsDev=true,Env=dev')];
    expect(branchWorlds([prod, b, dev], (each) => each).filter((world) => world.length > 1)).toEqual([[prod, b]]);
  });

  it('a deny\'s branch negated where the allow exists; a conjunction of conditions as disjoint conjunctions', () => {
    expect(negatedBranchCells(cfn(), cfn('IsProd=true,Env=prod'))).toEqual([['IsProd=false']]);
    expect(negatedBranchCells(cfn('IsEu=true'), cfn('IsEu=true,IsProd=false'))).toEqual([['IsProd=true']]);
    expect(negatedBranchCells(tf('var.public'), tf('var.public and var.prod'))).toEqual([['!var.prod']]);
    expect(negatedBranchCells(tf('var.public'), tf('var.env == "prod"'))).toEqual([['!(var.env == "prod")']]);
    // Regression (QA h6): a deny under two conditions could not be negated, so what it closes was reported always open.
    expect(negatedBranchCells(tf('var.public'), tf('var.a and var.b'))).toEqual([['!var.a'], ['var.a', '!var.b']]);
    expect(negatedBranchCells(cdk('open'), cdk("ready and stage === 'prod'"))).toEqual([['!ready'], ['ready', "!(stage === 'prod')"]]);
    expect(negatedBranchCells(cfn(), cfn('IsEu=true,IsProd=true'))).toEqual([['IsEu=false'], ['IsEu=true', 'IsProd=false']]);
    // Which parameter value goes with which of several conditions is not told.
    expect(negatedBranchCells(cfn(), cfn('IsEu=true,IsProd=true,Env=prod'))).toBeUndefined();
    expect(branchOfLiterals('cloudformation', ['IsB=true', 'Env=prod|test', 'IsProd=true', 'Env=prod'])).toBe('IsB=true,Env=prod,IsProd=true');
  });

  it('a deny read per parameter value is absent under the parameter\'s other values, when its rule says them (QA-13 01)', () => {
    const perValue = (branch: string, branchDomains: Record<string, string[]>) => ({ ...cfn(branch), branchDomains });
    expect(negatedBranchCells(cfn(), perValue('DenyNo=50', { DenyNo: ['50', '200'] }))).toEqual([['DenyNo=200']]);
    expect(negatedBranchCells(cfn(), perValue('Env=dev,Tier=a', { Env: ['prod', 'dev', 'test'], Tier: ['a', 'b'] })))
      .toEqual([['Env=prod|test'], ['Env=dev', 'Tier=b']]);
    // Without the parameter's values, where the deny is absent cannot be said.
    expect(negatedBranchCells(cfn(), cfn('DenyNo=50'))).toBeUndefined();
    expect(branchOfLiterals('terraform-hcl', ['var.public', '!var.prod', 'var.public'])).toBe('var.public and !var.prod');
  });

  it('writes a condition holding under any of several branches readably, and none when they hold always', () => {
    expect(branchOfAnyText('terraform-hcl', ['!var.a', 'var.a and !var.b'])).toBe('!var.a or !var.b');
    expect(branchOfAnyText('terraform-hcl', ['!var.a', 'var.a and !var.b', 'var.a and var.b and !(var.env == "prod")'])).toBe('!var.a or !var.b or !(var.env == "prod")');
    expect(branchOfAnyText('terraform-hcl', ['var.c and !var.a', 'var.c and var.a and !var.b'])).toBe('var.c and (!var.a or !var.b)');
    expect(branchOfAnyText('terraform-hcl', ['var.x', 'var.y and var.z'])).toBe('var.x or (var.y and var.z)');
    expect(branchOfAnyText('terraform-hcl', ['var.x', 'var.x and var.y'])).toBe('var.x');
    expect(branchOfAnyText('terraform-hcl', ['var.x', '!var.x'])).toBeUndefined();
    expect(branchOfAnyText('cloudformation', ['IsEu=false', 'IsEu=true,IsProd=false'])).toBe('IsEu=false or IsProd=false');
  });

  it('CDK: `x === a` and `x === b` exclude each other, however the literals are quoted or ordered', () => {
    expect(branchesCompatible(cdk("stage === 'prod'"), cdk('stage === "dev"'))).toBe(false);
    expect(branchesCompatible(cdk("stage === 'prod'"), cdk("'prod' === stage"))).toBe(true);
    expect(branchesCompatible(cdk("stage === 'prod'"), cdk('stage==="prod"'))).toBe(true);
    expect(branchesCompatible(cdk("process.env.STAGE === 'prod'"), cdk('`dev` === process.env.STAGE'))).toBe(false);
    expect(branchesCompatible(cdk('replicas === 1'), cdk('replicas === 2'))).toBe(false);
    expect(branchesCompatible(cdk('replicas === 1'), cdk('replicas === 1.0'))).toBe(true);
    // A truthiness test of the same name says nothing about its value.
    expect(branchesCompatible(cdk("stage === 'prod'"), cdk('stage'))).toBe(true);
    // Not an equality of a name and a plain literal: no value is taken from it.
    expect(branchesCompatible(cdk("stage === 'a\\'b'"), cdk("stage === 'dev'"))).toBe(true);
    expect(branchesCompatible(cdk('stage === other'), cdk("stage === 'dev'"))).toBe(true);
  });

  // Regression (QA): `var.stage != "prod"` and `var.stage == "prod"` were taken to hold together, so halves of
  // 0.0.0.0/0 under the two gave a high FW101 no value of var.stage produces.
  it('an inequality excludes the equality it negates, and is implied by another value', () => {
    expect(branchesCompatible(tf('var.stage != "prod"'), tf('var.stage == "prod"'))).toBe(false);
    expect(branchesCompatible(tf('var.stage != "prod"'), tf('!(var.stage != "prod")'))).toBe(false);
    expect(branchesCompatible(tf('var.stage != "prod"'), tf('!(var.stage == "prod")'))).toBe(true);
    expect(branchesCompatible(tf('var.stage != "prod"'), tf('var.stage == "dev"'))).toBe(true);
    expect(branchesCompatible(tf('!(var.stage != "prod")'), tf('var.stage == "dev"'))).toBe(false);
    expect(branchesCompatible(cdk("stage !== 'prod'"), cdk('stage === "prod"'))).toBe(false);
    expect(negateCondition('var.stage != "prod"')).toBe('var.stage == "prod"');
    expect(negateCondition("stage !== 'prod'")).toBe("stage === 'prod'");
  });

  it('implication: a rule without branch exists whenever any rule does, not the other way round', () => {
    expect(branchImplies(cfn('IsProd=true,IsEu=false'), cfn('IsProd=true'))).toBe(true);
    expect(branchImplies(cfn('IsProd=true'), cfn())).toBe(true);
    expect(branchImplies(cfn(), cfn('IsProd=true'))).toBe(false);
    expect(branchImplies(cfn('IsProd=true'), cfn('IsEu=true'))).toBe(false);
  });

  it('worlds: one per assignment, unbranched rules in all; none at all gives the rules themselves', () => {
    const plain = cfn();
    const prod = cfn('IsProd=true');
    const dev = cfn('IsProd=false');
    expect(branchWorlds([plain, prod, dev], (each) => each)).toEqual([[plain, dev], [plain, prod]]);
    expect(branchWorlds([plain], (each) => each)).toEqual([[plain]]);
  });

  it('world conditions: each world with the conditions it holds under, in the rules\' own literals or their negation', () => {
    const plain = cfn();
    const prod = cfn('IsProd=true');
    expect(branchWorldConditions('cloudformation', [plain, prod], (each) => each)).toEqual([
      { items: [plain, prod], conditions: ['IsProd=true'] },
      { items: [plain], conditions: ['IsProd=false'] },
    ]);
    const winrm = cdk('process.env.ENABLE_WINRM');
    expect(branchWorldConditions('cdk', [winrm], (each) => each)).toEqual([
      { items: [winrm], conditions: ['process.env.ENABLE_WINRM'] },
      { items: [], conditions: ['!process.env.ENABLE_WINRM'] },
    ]);
    // Equalities of one name: a world where `var.env == "prod"` holds and the name is "dev" is no world.
    const prodOnly = tf('var.env == "prod"');
    const devOnly = tf('var.env == "dev"');
    const conditions = branchWorldConditions('terraform-hcl', [prodOnly, devOnly], (each) => each)!.flatMap((world) => world.conditions);
    expect(conditions).not.toContain('var.env == "dev" and var.env == "prod"');
    expect(conditions).toContain('!(var.env == "dev") and !(var.env == "prod")');
    expect(branchWorldConditions('cloudformation', [plain], (each) => each)).toEqual([{ items: [plain], conditions: [] }]);
  });
});
