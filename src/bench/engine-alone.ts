/**
 * Issue #4 item 7: the profile engine alone on the profile corpus (100k rules at 1×, every role of every pack). Run
 * in a fresh child process forked by `run.ts`, so that the engine's code is cold, as in a real scan: the model is
 * built first by a scan with every check turned off (the engine never runs then, and this part is not timed), then
 * every target's effective set and, where a role is mapped, its profile diff are computed: once cold (the JIT
 * compiling the engine as it goes) and again warm (best of the further passes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Target } from '../model/target';
import type { ProfileAssignment } from '../engine/profile-diff';

export interface EngineRequest {
  /** The corpus folder; its `.fwlint.yaml` maps the targets to roles. */
  root: string;
  /** Warm passes after the cold one. */
  warmRuns: number;
}

export interface EngineMeasurement {
  targets: number;
  mappedTargets: number;
  rules: number;
  roles: number;
  /** Missing flows, excess grants and install-only openings found (the same on every pass). */
  gaps: number;
  coldMs: number;
  warmMs: number;
}

/** Forks this module on a corpus and resolves with its measurement. */
export function measureEngineAlone(root: string, warmRuns = 3, nodeArgs: string[] = []): Promise<EngineMeasurement> {
  const { fork } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    // --expose-gc: the model's garbage is collected before the engine is timed; what is left to collect is its own.
    const child = fork(__filename, [], { execArgv: [...nodeArgs, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer: { ok: true; measurement: EngineMeasurement } | { ok: false; error: string } | undefined;
    child.on('message', (message) => {
      answer = message as typeof answer;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (answer?.ok) resolve(answer.measurement);
      else reject(new Error(answer && !answer.ok ? answer.error : `engine measurement exited with ${code} and no answer`));
    });
    child.send({ root, warmRuns } satisfies EngineRequest);
  });
}

/** The measurement itself, in this process (the child's work; in-process in tests, where the code is not cold). */
export function measureEngineHere(request: EngineRequest): EngineMeasurement {
  const { CHECKS } = require('../checks') as typeof import('../checks');
  const { ProfileAssigner } = require('../pipeline/assign-profiles') as typeof import('../pipeline/assign-profiles');
  const { scan } = require('../pipeline/scan') as typeof import('../pipeline/scan');
  // The corpus's own config with every check off, beside the corpus (not inside it: it would be scanned).
  const configFile = `${request.root}.engine.fwlint.yaml`;
  const config = fs.readFileSync(path.join(request.root, '.fwlint.yaml'), 'utf8');
  fs.writeFileSync(configFile, `${config}checks:\n${CHECKS.map((check) => `  ${check.id}: off\n`).join('')}`);
  // The roles the scan maps, as it maps them (per scope, with the config's peers and options).
  const assigned = new Map<Target, ProfileAssignment>();
  const assign = ProfileAssigner.prototype.assign;
  ProfileAssigner.prototype.assign = function (this: InstanceType<typeof ProfileAssigner>, targets) {
    const assignments = assign.call(this, targets);
    for (const [target, assignment] of assignments) assigned.set(target, assignment);
    return assignments;
  };
  let targets: Target[];
  try {
    const result = scan({ paths: ['.'], cwd: request.root, configFile, today: '2026-11-23', keepModel: true });
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    if (errors.length > 0) throw new Error(`${errors[0]!.file}: ${errors[0]!.message}`);
    if (result.findings.length > 0) throw new Error('a check ran although every check was turned off');
    targets = result.targets;
  } finally {
    ProfileAssigner.prototype.assign = assign;
    fs.rmSync(configFile, { force: true });
  }
  (globalThis as { gc?: () => void }).gc?.();
  const { computeEffective } = require('../engine/effective') as typeof import('../engine/effective');
  const { computeProfileDiff } = require('../engine/profile-diff') as typeof import('../engine/profile-diff');
  const pass = (): { ms: number; gaps: number } => {
    const started = performance.now();
    let gaps = 0;
    for (const target of targets) {
      const effective = computeEffective(target);
      const assignment = assigned.get(target);
      if (!assignment) continue;
      const diff = computeProfileDiff(target, effective, assignment);
      gaps += diff.missing.length + diff.excess.length + diff.installOnlyOpen.length;
    }
    return { ms: performance.now() - started, gaps };
  };
  const cold = pass();
  let warmMs = Infinity;
  for (let run = 0; run < request.warmRuns; run++) warmMs = Math.min(warmMs, pass().ms);
  return {
    targets: targets.length,
    mappedTargets: assigned.size,
    rules: targets.reduce((sum, target) => sum + target.rules.length, 0),
    roles: new Set([...assigned.values()].map((assignment) => assignment.ref)).size,
    gaps: cold.gaps,
    coldMs: cold.ms,
    warmMs,
  };
}

if (require.main === module) {
  process.once('message', (request: EngineRequest) => {
    let answer: { ok: true; measurement: EngineMeasurement } | { ok: false; error: string };
    try {
      answer = { ok: true, measurement: measureEngineHere(request) };
    } catch (error) {
      answer = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    process.send!(answer, () => process.disconnect());
  });
}
