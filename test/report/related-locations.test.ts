import { renderSarif } from '../../src/report/sarif';
import { scanFixture } from '../helpers/scan-fixture';
import { basicInput, testContext } from './report-fixture';

describe('relatedLocations of a group finding', () => {
  const result = scanFixture('terraform/profiles');
  const fw201 = result.findings.find((finding) => finding.checkId === 'FW201' && finding.targetId === 'azurerm_network_security_group.vm')!;
  const nsg = result.targets.find((target) => target.id === 'azurerm_network_security_group.vm')!;
  const deny = nsg.rules.find((rule) => rule.id.endsWith('security_rule[0]') || rule.resourceAddress === 'azurerm_network_security_group.vm.security_rule[0]')!;

  it('FW201 points to the rules that block the required flow', () => {
    expect(fw201.properties.blockedBy).toEqual(['azurerm_network_security_group.vm.security_rule[0]']);
    expect(fw201.relatedLocations).toEqual([deny.location]);
  });

  it('SARIF carries them as relatedLocations named after the blocking rule', () => {
    const input = { ...basicInput(), findings: [fw201], diagnostics: [] };
    const log = JSON.parse(renderSarif(input, testContext()));
    const related = log.runs[0].results[0].relatedLocations;
    expect(related).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: deny.location.file, uriBaseId: '%SRCROOT%' },
          region: { startLine: deny.location.range.startLine, startColumn: deny.location.range.startColumn, endLine: deny.location.range.endLine, endColumn: deny.location.range.endColumn },
        },
        message: { text: 'blocking rule azurerm_network_security_group.vm.security_rule[0]' },
      },
    ]);
  });
});
