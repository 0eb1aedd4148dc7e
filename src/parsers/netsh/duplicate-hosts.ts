import { warningDiagnostic } from '../../model/diagnostic';
import type { Diagnostic } from '../../model/diagnostic';
import { isWindowsHostKind } from '../../model/location';
import type { Target } from '../../model/target';

/**
 * One warning per host defined by more than one file (`a/host01.txt`, `b/host01.txt`, `host01.cmd`, or a PowerShell
 * export `host01.json`): findings name the host, and fingerprints, suppressions by target and baselines cannot tell
 * the files apart. The pipeline parses each file alone and calls this over the targets of all of them
 * (src/pipeline/scan.ts, which loads this module, and only this one, when several Windows hosts are scanned).
 */
export function duplicateHostWarnings(targets: ReadonlyArray<Pick<Target, 'kind' | 'id' | 'location'>>): Diagnostic[] {
  const firstFile = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const target of targets) {
    if (!isWindowsHostKind(target.kind)) continue;
    const first = firstFile.get(target.id);
    if (first === undefined) {
      firstFile.set(target.id, target.location.file);
      continue;
    }
    if (first === target.location.file) continue;
    const name = target.id.length > 200 ? `${target.id.slice(0, 200)}…` : target.id;
    diagnostics.push(warningDiagnostic('parse/netsh-duplicate-host', target.location.file,
      `host "${name}" is also defined by ${first}: the two are scanned as separate hosts with the same name, so ` +
        `their findings, fingerprints and baselines cannot be told apart; rename one file${target.kind === 'netsh' ? ' or give it a "fwlint:target NAME" comment' : ''}`,
      target.location.range));
  }
  return diagnostics;
}
