import { branchesCompatible, branchImplies, branchWorlds } from '../../src/model/branch';
import { rule } from '../helpers/build-rule';

const cfn = (branch?: string) => rule('in', 'tcp', '22', '10.0.0.0/8', branch === undefined ? { kind: 'cloudformation' } : { kind: 'cloudformation', branch });
const cdk = (branch: string) => rule('in', 'tcp', '22', '10.0.0.0/8', { kind: 'cdk', branch });

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
});
