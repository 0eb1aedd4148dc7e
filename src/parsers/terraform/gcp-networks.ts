import { evaluate, stringValue, type Reference, type Value } from './hcl';
import { knownProviderProject } from './hcl-resources';
import { instanceScope } from './module';
import type { ModuleInstance } from './module-tree';
import { scopeWrittenIn } from './override-files';
import type { ResourceInstance } from './resources';
import { modulePrefix } from './to-model';

const NETWORK_TYPE = 'google_compute_network';

/** The attributes of a network that name it: its name, or its id or self link, which end in it. */
const NAMING_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'id', 'self_link']);

/**
 * `data.google_compute_network.<name>.name` (`.id`, `.self_link`) as a reference to the data source, so that
 * `nameGcpNetworks` can name the network by the data source's `name` argument (the network it reads is the one of
 * that name). Any other data source reference stays unknown, as before; undefined for those.
 */
export function gcpNetworkDataReference(reference: Reference): Value | undefined {
  if (reference.root !== 'data' || reference.steps.length !== 3) return undefined;
  const [typeStep, nameStep, attributeStep] = reference.steps as [Reference['steps'][number], Reference['steps'][number], Reference['steps'][number]];
  if (typeStep.kind !== 'attr' || typeStep.name !== NETWORK_TYPE || nameStep.kind !== 'attr' || attributeStep.kind !== 'attr' || !NAMING_ATTRIBUTES.has(attributeStep.name)) return undefined;
  return { kind: 'ref', address: `data.${NETWORK_TYPE}.${nameStep.name}`, attribute: attributeStep.name, text: reference.text, range: reference.range };
}

/**
 * A firewall's `network` written as a reference to a `google_compute_network` resource or data source of any module
 * instance of the tree (`google_compute_network.vpc.name`, `.id`, `.self_link`; through a module output,
 * `module.vpc.network_name`, or a module input, `var.network`) becomes that network's name when its `name` is known,
 * so that firewalls naming it by reference and by name (`network = "vpc"`) are seen to share it; its id
 * (`projects/p/global/networks/vpc`) when its `project` is known too, so that the firewall is seen in that project.
 * A network that stays unresolved (a variable without value, a repeated network resource, a name that cannot be
 * resolved) is recorded as an unknown of the firewall (FW303): the firewall is then judged without the firewalls that
 * name its network otherwise, and the note says so rather than nothing.
 */
export function nameGcpNetworks(instances: readonly ModuleInstance[], resources: readonly ResourceInstance[]): void {
  let byAddress: Map<string, ModuleInstance> | undefined;
  // Built on the first firewall that needs it: most configurations have none.
  const byModule = (): ReadonlyMap<string, ModuleInstance> => (byAddress ??= new Map(instances.map((instance) => [instance.address, instance])));
  const names = new Map<string, string | undefined>();
  for (const firewall of resources) {
    if (firewall.type !== 'google_compute_firewall') continue;
    const network = firewall.fields.get('network');
    if (!network || (network.value.kind !== 'ref' && network.value.kind !== 'unknown')) continue;
    if (network.value.kind === 'ref') {
      const address = network.value.address;
      if (!names.has(address)) names.set(address, networkName(address, byModule()));
      const name = names.get(address);
      if (name !== undefined) {
        firewall.fields.set('network', { value: stringValue(name), range: network.range, ...(network.file !== undefined ? { file: network.file } : {}) });
        continue;
      }
    }
    const file = network.file ?? firewall.file;
    const writtenText = network.expr ? writtenTextOf(firewall, file, network.expr, byModule()) : undefined;
    firewall.unknowns.push({ field: `${firewall.address}.network`, expr: writtenText ?? network.value.text, location: { file, range: network.range } });
  }
}

/** The name (or id, where the project is known) of the network a reference's address names; undefined when unknown. */
function networkName(address: string, byModule: ReadonlyMap<string, ModuleInstance>): string | undefined {
  const prefix = modulePrefix(address);
  const local = address.slice(prefix.length);
  const isData = local.startsWith('data.');
  const [type, label, ...rest] = (isData ? local.slice('data.'.length) : local).split('.');
  if (type !== NETWORK_TYPE || label === undefined || rest.length > 0) return undefined;
  const moduleInstance = byModule.get(prefix.replace(/\.$/, ''));
  if (!moduleInstance) return undefined;
  for (const { file, blocks } of moduleInstance.module.files) {
    const block = blocks.find((candidate) => candidate.type === (isData ? 'data' : 'resource') && candidate.labels.length === 2 && candidate.labels[0] === NETWORK_TYPE && candidate.labels[1] === label);
    if (!block) continue;
    // A repeated network (`count`, `for_each`) has several names: left as a reference.
    if (block.body.attributes.some((attribute) => attribute.name === 'count' || attribute.name === 'for_each')) return undefined;
    const scope = instanceScope(moduleInstance.module, file.text);
    const written = (argument: string): Value | undefined => {
      const attribute = block.body.attributes.find((candidate) => candidate.name === argument);
      return attribute && evaluate(attribute.expr, scopeWrittenIn(attribute, file, scope));
    };
    const name = knownName(written('name'));
    if (name === undefined) return undefined;
    // Without `project` (or with a null one) the network is in its provider configuration's, as a firewall is.
    const projectValue = written('project');
    const project = projectValue === undefined || projectValue.kind === 'null' ? knownProviderProject(block, NETWORK_TYPE, moduleInstance) : knownName(projectValue);
    return project === undefined ? name : `projects/${project}/global/networks/${name}`;
  }
  return undefined;
}

function knownName(value: Value | undefined): string | undefined {
  return value?.kind === 'string' && value.value ? value.value : undefined;
}

/** The firewall's `network` expression as written in its file (`module.vpc.network_name`), for the FW303 note. */
function writtenTextOf(firewall: ResourceInstance, file: string, expr: { start: number; end: number }, byModule: ReadonlyMap<string, ModuleInstance>): string | undefined {
  const moduleInstance = byModule.get(modulePrefix(firewall.address).replace(/\.$/, ''));
  const source = moduleInstance?.module.files.find((each) => each.file.path === file)?.file;
  return source?.text.slice(expr.start, expr.end);
}
