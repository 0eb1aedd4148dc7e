import * as fs from 'node:fs';
import * as path from 'node:path';

export const PACKAGE_ROOT = path.resolve(__dirname, '../..');

export function toolVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

const docsCache = new Map<string, string | undefined>();

export function readCheckDocs(checkId: string): string | undefined {
  if (!docsCache.has(checkId)) {
    const check = (require('../checks') as typeof import('../checks')).findCheck(checkId);
    let text: string | undefined;
    if (check) {
      try {
        text = fs.readFileSync(path.join(PACKAGE_ROOT, check.docsPath), 'utf8');
      } catch {
        text = undefined;
      }
    }
    docsCache.set(checkId, text);
  }
  return docsCache.get(checkId);
}
