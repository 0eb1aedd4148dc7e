import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePeer, protocolName, type ParseResult, type Rule, type Target } from '../../../src/model';
import { cdkParser } from '../../../src/parsers/cdk';

export const REPO_ROOT = join(__dirname, '../../..');

/** Parses one file under fixtures/cdk/ with the CDK parser alone, as the pipeline would hand it over. */
export function readFixture(relative: string): ParseResult {
  const path = `fixtures/cdk/${relative}`;
  const absolutePath = join(REPO_ROOT, path);
  const text = readFileSync(absolutePath, 'utf8');
  return cdkParser.parse([{ path, absolutePath, text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params: {} });
}

/** Parses source text given inline (for small cases that need no fixture of their own). */
export function readText(text: string, path = 'inline/stack.ts'): ParseResult {
  return cdkParser.parse([{ path, absolutePath: join(REPO_ROOT, path), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params: {} });
}

/** What a reviewer reads: direction, action, protocol, ports, ICMP, peer. */
export function brief(rule: Rule): string {
  const icmp = rule.icmp ? ` icmp ${rule.icmp.type}/${rule.icmp.code}` : '';
  const priority = rule.priority === null ? '' : ` #${rule.priority}`;
  return `${rule.direction} ${rule.action} ${protocolName(rule.protocol)} ${rule.ports.toString()}${icmp} ${describePeer(rule.peer)}${priority}`;
}

export function target(result: ParseResult, id: string): Target {
  const found = result.targets.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no target ${id} in ${result.targets.map((t) => t.id).join(', ')}`);
  return found;
}

export function rule(result: ParseResult, targetId: string, ruleId: string): Rule {
  const found = target(result, targetId).rules.find((candidate) => candidate.id === ruleId);
  if (!found) throw new Error(`no rule ${ruleId} in ${target(result, targetId).rules.map((r) => r.id).join(', ')}`);
  return found;
}

/** `ruleId: brief` for every rule of a target, in order. */
export function rulesOf(result: ParseResult, targetId: string): string[] {
  return target(result, targetId).rules.map((candidate) => `${candidate.id}: ${brief(candidate)}`);
}
