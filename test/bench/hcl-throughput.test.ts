import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTerraform } from '../../src/bench/generate-terraform';
import { measureHclReader } from '../../src/bench/hcl-throughput';

describe('bench: the HCL reader alone', () => {
  it('reads every .tf file of the generated corpus without a syntax error and reports its size and rate', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-hcl-rate-'));
    try {
      const corpus = generateTerraform(root, { files: 6, filesPerFolder: 3 });
      fs.writeFileSync(path.join(root, 'notes.txt'), 'not HCL {');
      const reader = measureHclReader(root, 1);
      expect(reader.files).toBe(corpus.files);
      expect(reader.bytes).toBe(corpus.bytes);
      expect(reader.mbPerSecond).toBeGreaterThan(0);
      // A broken file is an error, not a silently faster figure.
      fs.writeFileSync(path.join(root, 'broken.tf'), 'resource "x" {\n');
      expect(() => measureHclReader(root, 1)).toThrow(/broken\.tf/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
