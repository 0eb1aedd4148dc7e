import type { SourceRange } from '../../model/location';
import { translateRe2 } from '../shared/re2-pattern';
import { entryOf, type MapNode, type TemplateNode } from './template-node';

/** A value CloudFormation would refuse for a parameter: the constraint it breaks, where it is written, and why. */
export interface ConstraintViolation {
  /** `AllowedValues`, `AllowedPattern`, `MinLength`, `MaxLength`, `MinValue`, `MaxValue`, or `Type` (not a number). */
  constraint: string;
  range: SourceRange;
  /**
   * What is wrong, to follow the value in a message: `is not one of its AllowedValues (dev, prod)`, or for a list
   * `has a member "qa" that is not one of its AllowedValues (dev, prod)`.
   */
  problem: string;
}

/** An `AllowedPattern` fwlint cannot check (not translated safely, or too costly for the value). */
export interface UncheckedPattern {
  range: SourceRange;
  reason: string;
}

const MAX_LISTED_VALUES = 10;

/** CloudFormation's Number: an integer or a float, written in decimal (Parameters section, Type Number). */
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Checks a parameter's value as CloudFormation does before it creates or updates a stack (template reference,
 * Parameters: AllowedValues, AllowedPattern, MinLength/MaxLength for strings, MinValue/MaxValue for numbers). A list
 * type (`CommaDelimitedList`, `List<…>`) is checked member by member, each trimmed as CloudFormation trims them; an
 * empty list has no member to check. Returns the first constraint the value breaks, if any.
 */
export function checkParameterValue(
  type: string,
  body: MapNode,
  value: string,
): { violation?: ConstraintViolation; uncheckedPattern?: UncheckedPattern } {
  const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
  const isNumber = type === 'Number' || type === 'List<Number>';
  const members = isList ? (value.trim() === '' ? [] : value.split(',').map((member) => member.trim())) : [value];
  const entry = (key: string) => entryOf(body, key);
  const wrong = (member: string, what: string): string => (isList ? `has a member "${member}" that ${what}` : what);

  if (isNumber) {
    for (const member of members) {
      if (!NUMBER.test(member.trim())) {
        const typeEntry = entry('Type');
        return { violation: { constraint: 'Type', range: (typeEntry ?? { range: body.range }).range, problem: wrong(member, `is not a number, as Type ${type} requires`) } };
      }
    }
  }

  const allowed = entry('AllowedValues');
  if (allowed?.value.kind === 'list') {
    const allowedValues = allowed.value.items.flatMap((item) => (item.kind === 'scalar' && item.value !== null ? [String(item.value)] : []));
    // A YAML number has lost how it was written (`1.0` reads as 1): any spelling of the same number is allowed.
    const allowedNumbers = allowed.value.items.flatMap((item) => (item.kind === 'scalar' && typeof item.value === 'number' ? [item.value] : []));
    const isAllowed = (member: string): boolean => allowedValues.includes(member) || (NUMBER.test(member.trim()) && allowedNumbers.includes(Number(member)));
    // A list with other than plain values is not one CloudFormation accepts; it is left to CloudFormation.
    if (allowedValues.length === allowed.value.items.length) {
      const outside = members.find((member) => !isAllowed(member));
      if (outside !== undefined) {
        const listed = allowedValues.length > MAX_LISTED_VALUES ? `${allowedValues.slice(0, MAX_LISTED_VALUES).join(', ')}, …` : allowedValues.join(', ');
        return { violation: { constraint: 'AllowedValues', range: allowed.range, problem: wrong(outside, `is not one of its AllowedValues (${listed})`) } };
      }
    }
  }

  let uncheckedPattern: UncheckedPattern | undefined;
  const pattern = entry('AllowedPattern');
  if (!isNumber && pattern && scalarString(pattern.value) !== undefined) {
    const source = scalarString(pattern.value)!;
    const translated = translateRe2(source);
    for (const member of members) {
      if (translated.kind === 'refused' || !translated.isWithinBudget(member.length)) {
        uncheckedPattern = { range: pattern.range, reason: translated.kind === 'refused' ? translated.reason : 'the value is too long to match safely' };
        break;
      }
      // CloudFormation matches the whole value (Java `String.matches`).
      const whole = new RegExp(`^(?:${translated.regexp.source})$`, translated.regexp.flags);
      if (!whole.test(member)) {
        return { violation: { constraint: 'AllowedPattern', range: pattern.range, problem: wrong(member, `does not match its AllowedPattern ${source}`) } };
      }
    }
  }

  if (!isNumber && !isList) {
    // Characters, not UTF-16 code units.
    const length = [...value].length;
    const minLength = integerOf(entry('MinLength')?.value);
    const maxLength = integerOf(entry('MaxLength')?.value);
    if (minLength !== undefined && length < minLength) {
      return { violation: { constraint: 'MinLength', range: entry('MinLength')!.range, problem: `is shorter than its MinLength ${minLength} (${length} characters)` } };
    }
    if (maxLength !== undefined && length > maxLength) {
      return { violation: { constraint: 'MaxLength', range: entry('MaxLength')!.range, problem: `is longer than its MaxLength ${maxLength} (${length} characters)` } };
    }
  }

  if (isNumber) {
    for (const [key, below] of [['MinValue', true], ['MaxValue', false]] as const) {
      const limitEntry = entry(key);
      const limitText = limitEntry ? scalarString(limitEntry.value) : undefined;
      if (!limitEntry || limitText === undefined || !NUMBER.test(limitText.trim())) continue;
      const limit = Number(limitText);
      const member = members.find((candidate) => (below ? Number(candidate) < limit : Number(candidate) > limit));
      if (member !== undefined) {
        return { violation: { constraint: key, range: limitEntry.range, problem: wrong(member, `is ${below ? 'less' : 'greater'} than its ${key} ${limitText.trim()}`) } };
      }
    }
  }
  return uncheckedPattern ? { uncheckedPattern } : {};
}

/**
 * The integers a Number parameter's `MinValue` and `MaxValue` allow, when both are written as whole numbers and there
 * are at most `maxCount` of them (`FromPort: !Ref Lo` with `MinValue: 8000, MaxValue: 8001`); else undefined.
 */
export function integerRangeValues(body: MapNode, maxCount: number): string[] | undefined {
  const min = integerOf(entryOf(body, 'MinValue')?.value);
  const max = integerOf(entryOf(body, 'MaxValue')?.value);
  if (min === undefined || max === undefined || max < min || max - min + 1 > maxCount) return undefined;
  return Array.from({ length: max - min + 1 }, (_, index) => String(min + index));
}

function scalarString(node: TemplateNode): string | undefined {
  return node.kind === 'scalar' && node.value !== null && typeof node.value !== 'boolean' ? String(node.value) : undefined;
}

function integerOf(node: TemplateNode | undefined): number | undefined {
  const text = node ? scalarString(node) : undefined;
  return text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}
