import type { FormatParser } from '../model/source-file';
import { cloudFormationParser } from './cloudformation';
import { netshParser } from './netsh';
import { terraformParser } from './terraform';

/** Detection order: the first parser whose `detect` accepts a file parses it. */
export const PARSERS: readonly FormatParser[] = [terraformParser, cloudFormationParser, netshParser];
