import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureEngineHere } from '../../src/bench/engine-alone';
import { generateProfile } from '../../src/bench/generate-profile';
import { ProfileAssigner } from '../../src/pipeline/assign-profiles';
import { loadPacks } from '../../src/packs';
import { scan } from '../../src/pipeline/scan';

function listFiles(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('profile benchmark corpus (issue #4: 100k rules, every role applied)', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-bench-profile-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes the same corpus twice, byte for byte', () => {
    const first = generateProfile(path.join(root, 'a'), { files: 5, filesPerFolder: 2 });
    const second = generateProfile(path.join(root, 'b'), { files: 5, filesPerFolder: 2 });
    const files = listFiles(first.root);
    expect(files).toContain('.fwlint.yaml');
    expect(listFiles(second.root)).toEqual(files);
    for (const file of files) expect(fs.readFileSync(path.join(second.root, file), 'utf8')).toBe(fs.readFileSync(path.join(first.root, file), 'utf8'));
  });

  it('maps every role of every built-in pack, by annotation and by the generated config', () => {
    const corpus = generateProfile(path.join(root, 'roles'), { files: 4, filesPerFolder: 2 });
    const texts = listFiles(corpus.root).map((file) => fs.readFileSync(path.join(corpus.root, file), 'utf8'));
    const annotated = new Set(texts.flatMap((text) => [...text.matchAll(/# fwlint:profile (\S+)/g)].map((match) => match[1]!)));
    const configured = new Set([...fs.readFileSync(path.join(corpus.root, '.fwlint.yaml'), 'utf8').matchAll(/profile: (\S+)/g)].map((match) => match[1]!));
    const roles = loadPacks([]).value.flatMap((pack) => Object.keys(pack.roles).map((role) => `${pack.id}/${role}`)).sort();
    expect([...annotated].sort()).toEqual(roles);
    expect([...configured].sort()).toEqual(roles);
  });

  it('scans without diagnostics into about 250 rules a file, with every kind of profile finding', () => {
    // File 7 holds the large group (3,000 rules); 8 files cover every pack twice.
    const corpus = generateProfile(path.join(root, 'scan'), { files: 8, filesPerFolder: 4 });
    const result = scan({ paths: ['.'], cwd: corpus.root, today: '2026-11-23', workers: 1 });
    expect(result.diagnostics).toEqual([]);
    const rules = result.targets.flatMap((target) => target.rules);
    expect(rules.length).toBeGreaterThan(8 * 150 + 2900);
    expect(rules.length).toBeLessThan(8 * 400 + 3100);
    expect(Math.max(...result.targets.map((target) => target.rules.length))).toBeGreaterThanOrEqual(3000);
    expect(rules.some((rule) => rule.action === 'deny')).toBe(true);
    expect(rules.some((rule) => rule.peer.kind === 'sg-ref')).toBe(true);
    const checks = new Set(result.findings.map((finding) => finding.checkId));
    for (const id of ['FW201', 'FW202', 'FW203']) expect(checks).toContain(id);
    // Every pack's roles are judged: profile findings name a role of each pack.
    const profiled = new Set(result.findings.map((finding) => String(finding.properties.profile ?? '').split('/')[0]).filter(Boolean));
    expect([...profiled].sort()).toEqual(loadPacks([]).value.map((pack) => pack.id).sort());
    // Most rules carry a vendor flow exactly: FW202 (broader than the role) stays a small share of the rules.
    expect(result.findings.filter((finding) => finding.checkId === 'FW202').length).toBeLessThan(rules.length / 10);
  });

  it('measures the engine alone on the model of a scan with every check off (npm run bench, engine alone)', () => {
    const corpus = generateProfile(path.join(root, 'engine'), { files: 8, filesPerFolder: 4 });
    const assign = ProfileAssigner.prototype.assign;
    const measured = measureEngineHere({ root: corpus.root, warmRuns: 1 });
    const scanned = scan({ paths: ['.'], cwd: corpus.root, today: '2026-11-23', workers: 1 });
    expect(measured.targets).toBe(scanned.targets.length);
    expect(measured.rules).toBe(scanned.stats.rules);
    // Every target is mapped, to every role of every pack.
    expect(measured.mappedTargets).toBe(scanned.targets.length);
    expect(measured.roles).toBe(loadPacks([]).value.reduce((sum, pack) => sum + Object.keys(pack.roles).length, 0));
    // The engine found what the checks report: at least one gap per profile finding's flow or rule.
    const profileFindings = scanned.findings.filter((finding) => ['FW201', 'FW202', 'FW203'].includes(finding.checkId)).length;
    expect(measured.gaps).toBeGreaterThan(0);
    expect(measured.gaps).toBeLessThanOrEqual(profileFindings);
    expect(measured.coldMs).toBeGreaterThan(0);
    expect(measured.warmMs).toBeGreaterThan(0);
    // Nothing left behind: the config written beside the corpus, the wrapped assigner.
    expect(fs.existsSync(`${corpus.root}.engine.fwlint.yaml`)).toBe(false);
    expect(ProfileAssigner.prototype.assign).toBe(assign);
  });
});
