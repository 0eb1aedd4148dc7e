import type { FormatParser } from '../model/source-file';
import { cdkParser } from './cdk';
import { cloudFormationParser } from './cloudformation';
import { netshParser } from './netsh';
import { terraformParser } from './terraform';
import { terraformPlanParser } from './terraform-plan';

/** Detection order: the first parser whose `detect` accepts a file parses it. */
export const PARSERS: readonly FormatParser[] = [terraformParser, terraformPlanParser, cloudFormationParser, netshParser, cdkParser];
