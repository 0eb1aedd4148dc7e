// The CDK detector's bound on how far past a licence header detection reads, shared so both formats agree.
import { MAX_DETECT_CHARS } from '../cdk/detect';

/** Extensions a template may have; the content decides, since plenty of other YAML and JSON shares them. */
const TEMPLATE_EXTENSION = /\.(ya?ml|json|template)$/i;

/**
 * A top-level `AWSTemplateFormatVersion` key: in YAML (`Key:`) at column 0, not inside a block scalar or nested
 * mapping (a Kubernetes manifest carrying a template); in JSON (`"Key":`) a key of the outermost object.
 */
const FORMAT_VERSION = /^["']?AWSTemplateFormatVersion["']?[ \t]*:/m;
const RESOURCES = /(?:^|[\s{,])["']?Resources["']?\s*:/;
/** A resource type such as `Type: AWS::EC2::SecurityGroup` or `"Type": "AWS::Serverless::Function"`. */
const AWS_TYPE = /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/;
/**
 * A template-level transform of CloudFormation's own (transform reference): SAM templates may omit the format version
 * and put a long `Globals` section before `Resources`, and ECS blue/green templates open with `Transform` and `Hooks`.
 * Written as a string, or first in a flow (`[…]`) or block (`- …`) list.
 */
const AWS_TRANSFORM_VALUE = /^\s*(?:\[\s*|-\s+)?["']?AWS::(?:Serverless-|CodeDeployBlueGreen\b|LanguageExtensions\b|SecretsManager-)/;
/** The value after a top-level `Transform:` key, as for `FORMAT_VERSION`. */
const YAML_TRANSFORM = /^["']?Transform["']?[ \t]*:([^]{0,256})/m;
const JSON_TRANSFORM = /["']Transform["']\s*:([^]{0,256})/g;

/** The top-level keys a template may have (template anatomy); `Globals` is SAM's, `Hooks` the blue/green deployment's. */
const TEMPLATE_SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
  'Conditions', 'Transform', 'Resources', 'Outputs', 'Globals', 'Hooks']);
/** Sections whose entries are CloudFormation-specific; `Description`/`Metadata` alone say nothing. */
const BODY_SECTIONS = ['Parameters', 'Conditions', 'Mappings', 'Resources', 'Outputs', 'Rules'];
/** A parameter or resource type: `Type: String`, `"Type": "List<AWS::EC2::Subnet::Id>"`, `Type: AWS::…`. */
const CFN_TYPE = /["']?Type["']?[ \t]*:[ \t]*["']?(?:String|Number|CommaDelimitedList|List<[A-Za-z0-9:<>]+>|AWS::[A-Za-z0-9]+::[A-Za-z0-9:<>]+)["']?[ \t]*[,}\r\n]/;
/** An intrinsic function, short form (`!Equals [`) or long form (`"Fn::Equals":`, `"Ref":`). */
const INTRINSIC = /(?:^|[\s[{,:-])!(?:Ref|Sub|GetAtt|If|Equals|FindInMap|Join|Select|Split|Not|And|Or|Condition|ImportValue|Base64|Cidr|GetAZs)[\s[{]|(?:^|[\s{,])["']?(?:Fn::[A-Za-z]+|Ref)["']?[ \t]*:/m;

/**
 * True when the first 4 KiB look like a CloudFormation or SAM template (style.md §2: detection sees the path and the
 * first 4 KiB only). Cheap and total: it never throws, and other YAML/JSON (workflows, Kubernetes manifests,
 * parameter files) is not claimed. Without the format version or an AWS transform, a template is recognised by its
 * shape, so that one whose head is a long `Parameters` (or `Conditions`, `Mappings`) section is found too: every
 * top-level key seen is a template section, one of them a section with CloudFormation content (`Parameters`,
 * `Resources`, …), and a parameter type (`Type: String`), an `AWS::` type or an intrinsic function appears.
 * When the whole text is given (`whole`), the 4 KiB start after a header of comment lines (a licence of any length), as
 * the CDK detector looks past one, up to 256 KiB into the file; and when those 4 KiB hold only sections that say
 * nothing (`Description`, `Metadata`, `Globals`), the 4 KiB judged start at the first other top-level key instead,
 * found within 256 KiB.
 */
export function isCloudFormationTemplate(path: string, head: string, whole?: string): boolean {
  return readTemplateHead(path, head, whole).template;
}

/**
 * Why a file that detection did not take still looks like a template, or undefined when it does not: its top-level keys
 * (as far as detection reads) are all template sections, and either only sections that say nothing fill the 256 KiB
 * read, or a `Resources` mapping is there but nothing in the 4 KiB judged is CloudFormation's. Files no detector takes
 * are passed here, so other YAML is rejected at its first 4 KiB, as in detection.
 */
export function unrecognisedTemplateReason(path: string, text: string): string | undefined {
  if (typeof path !== 'string' || typeof text !== 'string') return undefined;
  const reading = readTemplateHead(path, text.slice(0, 4096), text);
  return reading.template ? undefined : reading.undecided;
}

interface TemplateHeadReading {
  template: boolean;
  /** Set when the text is not taken but looks like a template: what kept it from being read as one. */
  undecided?: string;
}

function readTemplateHead(path: string, head: string, whole?: string): TemplateHeadReading {
  if (typeof path !== 'string' || typeof head !== 'string' || !TEMPLATE_EXTENSION.test(path)) return { template: false };
  const start = typeof whole === 'string' ? commentHeaderLength(whole) : 0;
  const text = start > 0 ? whole!.slice(start, start + 4096) : head.length > 4096 ? head.slice(0, 4096) : head;
  const json = JSON_BODY.test(text);
  const entries = topLevelEntries(text, json, true);
  const verdict = judgeWindow(text, entries?.map((entry) => entry.key), json);
  if (verdict !== READ_ON) return verdict ? { template: true } : { template: false, undecided: resourcesWithoutEvidence(text, entries, json) };
  if (typeof whole !== 'string' || whole.length <= start + 4096) return { template: false };
  // Only sections that say nothing so far: the keys up to 256 KiB decide whether to look at the first one that does.
  const limit = Math.min(whole.length, start + MAX_DETECT_CHARS);
  const range = whole.slice(start, limit);
  const later = topLevelEntries(range, json, limit < whole.length);
  if (later === undefined || !later.every((entry) => TEMPLATE_SECTIONS.has(entry.key))) return { template: false };
  const telling = later.find((entry) => !SILENT_SECTIONS.has(entry.key));
  if (telling === undefined) {
    return { template: false, undecided: limit < whole.length ? `its first ${MAX_DETECT_CHARS / 1024} KiB hold only ${[...new Set(later.map((entry) => entry.key))].join(' and ')}` : undefined };
  }
  const window = range.slice(telling.offset, telling.offset + 4096);
  const keys = later.map((entry) => entry.key);
  if (judgeWindow(window, keys, json) === true) return { template: true };
  return { template: false, undecided: resourcesWithoutEvidence(range, later, json) };
}

/** Judging a window that holds only sections saying nothing (`SILENT_SECTIONS`) is left to the text past it. */
const READ_ON = 'read-on';
const JSON_BODY = /^\uFEFF?\s*\{/;
/** Template sections whose content says nothing about CloudFormation (free text, any metadata, SAM's defaults). */
const SILENT_SECTIONS = new Set(['Description', 'Metadata', 'Globals']);

function judgeWindow(text: string, keys: string[] | undefined, json: boolean): boolean | typeof READ_ON {
  if (hasTopLevelMarker(text, keys, json)) return true;
  // A document with other top-level keys (`apiVersion`, `jobs`, `service`) is no template, whatever its values say.
  if (keys === undefined) return RESOURCES.test(text) && AWS_TYPE.test(text);
  if (keys.length === 0 || !keys.every((key) => TEMPLATE_SECTIONS.has(key))) return false;
  if (keys.every((key) => SILENT_SECTIONS.has(key))) return READ_ON;
  return keys.some((key) => BODY_SECTIONS.includes(key)) && (AWS_TYPE.test(text) || CFN_TYPE.test(text) || INTRINSIC.test(text));
}

/**
 * The undecided reason of a text whose keys are all template sections and that has a `Resources` mapping, yet was not
 * taken; undefined otherwise (a parameter file's `{"Parameters": …}`, `Resources: some words`).
 */
function resourcesWithoutEvidence(text: string, entries: TopLevelEntry[] | undefined, json: boolean): string | undefined {
  if (entries === undefined || !entries.every((entry) => TEMPLATE_SECTIONS.has(entry.key))) return undefined;
  const resources = entries.find((entry) => entry.key === 'Resources');
  if (resources === undefined) return undefined;
  const mapping = json ? /^"Resources"\s*:\s*\{/ : /^["']?Resources["']?[ \t]*:[ \t]*(?:\{|#[^\r\n]*)?(?:\r?\n|$)/;
  if (!mapping.test(text.slice(resources.offset, resources.offset + 256))) return undefined;
  return 'no AWS:: resource type, parameter type or intrinsic function appears in the 4 KiB detection reads';
}

/** A top-level `AWSTemplateFormatVersion`, or a `Transform` of CloudFormation's own (see `AWS_TRANSFORM_VALUE`). */
function hasTopLevelMarker(text: string, keys: string[] | undefined, json: boolean): boolean {
  if (!json) {
    const transform = YAML_TRANSFORM.exec(text);
    return FORMAT_VERSION.test(text) || (transform !== null && AWS_TRANSFORM_VALUE.test(transform[1]!));
  }
  // A YAML flow mapping (`{AWSTemplateFormatVersion: …}`) has unquoted keys, which the JSON key scan does not see.
  if (keys?.includes('AWSTemplateFormatVersion') || /^\uFEFF?\s*\{\s*AWSTemplateFormatVersion\s*:/.test(text)) return true;
  if (!keys?.includes('Transform')) return false;
  // Some `"Transform":` holds the AWS value; the key itself is known to be top-level.
  return [...text.matchAll(JSON_TRANSFORM)].some((match) => AWS_TRANSFORM_VALUE.test(match[1]!));
}

/** One line of a YAML header: blank, a comment, a directive (`%YAML 1.2`) or the document start (`---`). */
const HEADER_LINE = /(?:[ \t]*(?:#[^\r\n]*)?|%[^\r\n]*|---[ \t]*(?:#[^\r\n]*)?)\r?\n/y;

/**
 * Characters of the YAML header lines (and BOM) that open `text`: where detection starts reading. 0 when there are
 * none, or when they go on past 256 KiB (no template has such a header; the file is not read further).
 */
function commentHeaderLength(text: string): number {
  let offset = text.startsWith('\uFEFF') ? 1 : 0;
  HEADER_LINE.lastIndex = offset;
  while (offset < MAX_DETECT_CHARS && HEADER_LINE.test(text)) offset = HEADER_LINE.lastIndex;
  return offset < MAX_DETECT_CHARS ? offset : 0;
}

/** A top-level mapping key and where its line (YAML) or its opening quote (JSON) starts in the text read. */
interface TopLevelEntry {
  key: string;
  offset: number;
}

/**
 * The top-level mapping keys of a YAML or JSON document (cut at the end when `cut`), or undefined when its top level is
 * not a mapping of plain keys. YAML: keys at column 0; JSON: keys at depth 1. Linear in the text.
 */
function topLevelEntries(text: string, json: boolean, cut: boolean): TopLevelEntry[] | undefined {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  return json ? jsonTopLevelEntries(text, bom) : yamlTopLevelEntries(text, bom, cut);
}

function yamlTopLevelEntries(text: string, from: number, cut: boolean): TopLevelEntry[] | undefined {
  const entries: TopLevelEntry[] = [];
  let offset = from;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    // A last line without line end may be cut by the window.
    if (newline < 0 && cut && offset > from) break;
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(offset, end > offset && text[end - 1] === '\r' ? end - 1 : end);
    if (!(line === '' || /^[ \t]/.test(line) || line.startsWith('#') || /^(?:---|\.\.\.|%)/.test(line))) {
      const key = /^(["']?)([A-Za-z][A-Za-z0-9]*)\1[ \t]*:(?:[ \t]|$)/.exec(line);
      if (!key) return undefined;
      entries.push({ key: key[2]!, offset });
    }
    offset = end + 1;
  }
  return entries;
}

function jsonTopLevelEntries(text: string, from: number): TopLevelEntry[] {
  const entries: TopLevelEntry[] = [];
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const start = i + 1;
      for (i = start; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth !== 1) continue;
      let next = i + 1;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      if (text[next] === ':') entries.push({ key: text.slice(start, i), offset: start - 1 });
    } else if (char === '{' || char === '[') {
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
    }
  }
  return entries;
}

/** JSON for `.json`, YAML for `.yaml`/`.yml`; a `.template` is JSON when it starts with `{`. */
export function isJsonTemplate(path: string, text: string): boolean {
  if (/\.json$/i.test(path)) return true;
  if (/\.ya?ml$/i.test(path)) return false;
  return /^\uFEFF?\s*\{/.test(text);
}
