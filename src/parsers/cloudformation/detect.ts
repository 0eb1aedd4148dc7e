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
 * the CDK detector looks past one, up to 256 KiB into the file.
 */
export function isCloudFormationTemplate(path: string, head: string, whole?: string): boolean {
  if (typeof path !== 'string' || typeof head !== 'string' || !TEMPLATE_EXTENSION.test(path)) return false;
  const start = typeof whole === 'string' ? commentHeaderLength(whole) : 0;
  const text = start > 0 ? whole!.slice(start, start + 4096) : head.length > 4096 ? head.slice(0, 4096) : head;
  const keys = topLevelKeys(text);
  if (hasTopLevelMarker(text, keys)) return true;
  // A document with other top-level keys (`apiVersion`, `jobs`, `service`) is no template, whatever its values say.
  if (keys === undefined) return RESOURCES.test(text) && AWS_TYPE.test(text);
  if (keys.length === 0 || !keys.every((key) => TEMPLATE_SECTIONS.has(key))) return false;
  return keys.some((key) => BODY_SECTIONS.includes(key)) && (AWS_TYPE.test(text) || CFN_TYPE.test(text) || INTRINSIC.test(text));
}

/** A top-level `AWSTemplateFormatVersion`, or a `Transform` of CloudFormation's own (see `AWS_TRANSFORM_VALUE`). */
function hasTopLevelMarker(text: string, keys: string[] | undefined): boolean {
  if (!/^\s*\{/.test(text.replace(/^\uFEFF/, ''))) {
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

/**
 * The top-level mapping keys of a (possibly cut) YAML or JSON document, or undefined when its top level is not a
 * mapping of plain keys. YAML: keys at column 0; JSON: keys at depth 1. Linear in the text.
 */
function topLevelKeys(text: string): string[] | undefined {
  const body = text.replace(/^\uFEFF/, '');
  return /^\s*\{/.test(body) ? jsonTopLevelKeys(body) : yamlTopLevelKeys(body);
}

function yamlTopLevelKeys(text: string): string[] | undefined {
  const keys: string[] = [];
  const lines = text.split(/\r?\n/);
  // The last line may be cut by the 4 KiB limit.
  if (lines.length > 1) lines.pop();
  for (const line of lines) {
    if (line === '' || /^[ \t]/.test(line) || line.startsWith('#') || /^(?:---|\.\.\.|%)/.test(line)) continue;
    const key = /^(["']?)([A-Za-z][A-Za-z0-9]*)\1[ \t]*:(?:[ \t]|$)/.exec(line);
    if (!key) return undefined;
    keys.push(key[2]!);
  }
  return keys;
}

function jsonTopLevelKeys(text: string): string[] | undefined {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const start = i + 1;
      for (i = start; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth !== 1) continue;
      let next = i + 1;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      if (text[next] === ':') keys.push(text.slice(start, i));
    } else if (char === '{' || char === '[') {
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
    }
  }
  return keys;
}

/** JSON for `.json`, YAML for `.yaml`/`.yml`; a `.template` is JSON when it starts with `{`. */
export function isJsonTemplate(path: string, text: string): boolean {
  if (/\.json$/i.test(path)) return true;
  if (/\.ya?ml$/i.test(path)) return false;
  return /^\uFEFF?\s*\{/.test(text);
}
