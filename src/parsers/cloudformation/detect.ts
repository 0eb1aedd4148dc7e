/** Extensions a template may have; the content decides, since plenty of other YAML and JSON shares them. */
const TEMPLATE_EXTENSION = /\.(ya?ml|json|template)$/i;

/** A top-level-looking `AWSTemplateFormatVersion` key, in YAML (`Key:`) or JSON (`"Key":`) spelling. */
const FORMAT_VERSION = /(?:^|[\s{,])["']?AWSTemplateFormatVersion["']?\s*:/;
const RESOURCES = /(?:^|[\s{,])["']?Resources["']?\s*:/;
/** A resource type such as `Type: AWS::EC2::SecurityGroup` or `"Type": "AWS::Serverless::Function"`. */
const AWS_TYPE = /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/;
/** SAM templates may omit the format version and put a long `Globals` section before `Resources`. */
const SAM_TRANSFORM = /["']?Transform["']?\s*:\s*(?:\[\s*)?["']?AWS::Serverless-/;

/**
 * True when the first 4 KiB look like a CloudFormation or SAM template. Cheap and total: it never throws, and other
 * YAML/JSON (workflows, Kubernetes manifests, parameter files) is not claimed.
 */
export function isCloudFormationTemplate(path: string, head: string): boolean {
  if (typeof path !== 'string' || typeof head !== 'string' || !TEMPLATE_EXTENSION.test(path)) return false;
  const text = head.length > 4096 ? head.slice(0, 4096) : head;
  return FORMAT_VERSION.test(text) || SAM_TRANSFORM.test(text) || (RESOURCES.test(text) && AWS_TYPE.test(text));
}

/** JSON for `.json`, YAML for `.yaml`/`.yml`; a `.template` is JSON when it starts with `{`. */
export function isJsonTemplate(path: string, text: string): boolean {
  if (/\.json$/i.test(path)) return true;
  if (/\.ya?ml$/i.test(path)) return false;
  return /^\uFEFF?\s*\{/.test(text);
}
