import type { FormatParser } from '../model/source-file';
import { isInfrastructureSource } from './cdk/detect';
import { isCloudFormationTemplate } from './cloudformation/detect';
import { detectNetsh } from './netsh/detect';
import { isPowerShellRuleExport } from './powershell-json/detect';
import { isTerraformPlan } from './terraform-plan/detect';
import { isTerraformConfiguration, TERRAFORM_FOLDER } from './terraform/root-groups';

/**
 * A parser behind its cheap detector: the parser's code is loaded on the first file it parses, so a scan loads only
 * the parsers its files need (typescript-estree alone takes half a second to load; docs/performance.md).
 */
function lazyParser(kind: FormatParser['kind'], detect: FormatParser['detect'], load: () => FormatParser, folder?: Pick<FormatParser, 'readsWithFolder' | 'formsOneUnit'>): FormatParser {
  let parser: FormatParser | undefined;
  return { kind, detect, parse: (files, options) => (parser ??= load()).parse(files, options), ...folder };
}

/** Detection order: the first parser whose `detect` accepts a file parses it. */
export const PARSERS: readonly FormatParser[] = [
  lazyParser('terraform-hcl', isTerraformConfiguration, () => (require('./terraform') as typeof import('./terraform')).terraformParser, TERRAFORM_FOLDER),
  lazyParser('terraform-plan', isTerraformPlan, () => (require('./terraform-plan') as typeof import('./terraform-plan')).terraformPlanParser),
  lazyParser('cloudformation', (file, head, text) => isCloudFormationTemplate(file, head, text), () => (require('./cloudformation') as typeof import('./cloudformation')).cloudFormationParser),
  lazyParser('powershell', isPowerShellRuleExport, () => (require('./powershell-json') as typeof import('./powershell-json')).powerShellJsonParser),
  lazyParser('netsh', (file, head) => {
    try {
      return detectNetsh(file, head);
    } catch {
      return false;
    }
  }, () => (require('./netsh') as typeof import('./netsh')).netshParser),
  lazyParser('cdk', isInfrastructureSource, () => (require('./cdk') as typeof import('./cdk')).cdkParser),
];
