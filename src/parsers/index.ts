import type { FormatParser } from '../model/source-file';
import { isInfrastructureSource } from './cdk/detect';
import { cloudFormationParser } from './cloudformation';
import { netshParser } from './netsh';
import { terraformParser } from './terraform';
import { terraformPlanParser } from './terraform-plan';

/**
 * The CDK/Pulumi parser behind its cheap detector: typescript-estree takes about half a second to load, so it is
 * required only when a scan actually holds such a file (docs/performance.md).
 */
const cdkParser: FormatParser = {
  kind: 'cdk',
  detect: isInfrastructureSource,
  parse: (files, options) => (require('./cdk') as typeof import('./cdk')).cdkParser.parse(files, options),
};

/** Detection order: the first parser whose `detect` accepts a file parses it. */
export const PARSERS: readonly FormatParser[] = [terraformParser, terraformPlanParser, cloudFormationParser, netshParser, cdkParser];
