export * from './rule-pack';
export { BUILTIN_RULES_DIR, PACK_SCHEMA_FILE, flowIdOf, loadPacks, parsePack } from './load-packs';
export type { LoadPacksOptions, ParsedPack } from './load-packs';
export { installOnlyFlows, requiredFlowOf, resolveRole, unknownPeerMessages, unusedPeerMessages } from './resolve-role';
export type { RoleSelectionInput } from './resolve-role';
export { formatPackList, formatRoleTable, packListJson, portsLabel, roleJson } from './describe';
export type { PackListEntry, RoleJson, RoleJsonFlow } from './describe';
export { RENDER_FORMATS, renderRole, renderTerraformReplacement } from './render';
export type { RenderFormat, RenderOptions } from './render';
