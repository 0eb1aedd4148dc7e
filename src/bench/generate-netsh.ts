import { CorpusWriter, pad, type Corpus } from './corpus';
import { Prng, seedOf } from './prng';

export interface NetshCorpusOptions {
  hosts: number;
  rulesPerHost: number;
}

export const NETSH_RULES_PER_HOST = 50_000;

const PROGRAMS = ['%SystemRoot%\\system32\\svchost.exe', 'C:\\Program Files\\App\\app.exe', 'System', 'Any'];

/**
 * Writes `netsh advfirewall firewall show rule name=all` exports (English, UTF-8), one host per file: allow rules
 * in and out with addresses, ranges and port lists, a few block rules and disabled rules.
 */
export function generateNetsh(root: string, options: NetshCorpusOptions): Corpus {
  const writer = new CorpusWriter(root);
  for (let host = 0; host < options.hosts; host++) writer.write(`hosts/host-${pad(host, 3)}.txt`, netshExport(host, options.rulesPerHost));
  return writer.corpus('netsh', `${options.rulesPerHost} rules per host`);
}

export function netshExport(host: number, rules: number): string {
  const random = new Prng(seedOf('netsh', host));
  const chunks: string[] = [''];
  for (let index = 0; index < rules; index++) {
    const inbound = random.chance(0.7);
    const block = random.chance(0.02);
    const protocol = random.pick(['TCP', 'TCP', 'UDP', 'Any']);
    const port = random.pick(['80', '443', '445', '3389', '5985-5986', '135', '49152-65535', '8080,8443', String(random.int(1024, 60000))]);
    const remote = random.chance(0.05)
      ? 'Any'
      : random.chance(0.3)
        ? `10.${random.int(0, 255)}.${random.int(0, 255)}.0/255.255.255.0`
        : random.chance(0.5)
          ? addressRange(random)
          : `192.168.${random.int(0, 255)}.${random.int(1, 254)}/255.255.255.255`;
    const localPort = protocol === 'Any' ? 'Any' : inbound ? port : 'Any';
    const remotePort = protocol === 'Any' ? 'Any' : inbound ? 'Any' : port;
    chunks.push(`Rule Name:                            Rule ${pad(index, 6)} ${random.pick(['Web', 'SMB', 'RDP', 'WinRM', 'App', 'Backup'])}
----------------------------------------------------------------------
Enabled:                              ${random.chance(0.93) ? 'Yes' : 'No'}
Direction:                            ${inbound ? 'In' : 'Out'}
Profiles:                             ${random.pick(['Domain,Private,Public', 'Domain', 'Private,Public', 'Domain,Private'])}
Grouping:                             ${random.pick(['', 'Core Networking', 'Remote Desktop', 'File and Printer Sharing'])}
LocalIP:                              Any
RemoteIP:                             ${remote}
Protocol:                             ${protocol}
${protocol === 'Any' ? '' : `LocalPort:                            ${localPort}
RemotePort:                           ${remotePort}
`}Edge traversal:                       No
Program:                              ${random.pick(PROGRAMS)}
Action:                               ${block ? 'Block' : 'Allow'}
`);
  }
  chunks.push('Ok.\n');
  return chunks.join('\n');
}

function addressRange(random: Prng): string {
  const second = random.int(0, 250);
  return `10.${second}.0.1-10.${second + random.int(0, 5)}.0.254`;
}
