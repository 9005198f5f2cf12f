import * as assert from 'assert';
import { initParams, paramLayout } from '../../src/core/params';
import { trainModel } from '../../src/core/trainer/trainer';
import { DEFAULT_IDLE_RETRAIN_CHARS, IDLE_AFTER_MS, IdleRetrainFacts, SavedEditCounter, decideIdleRetrain } from '../../src/core/workspaceTraining/idleRetrain';
import { onBatteryFromPmset, onBatteryFromPowerSupply, onBatteryFromWin32Battery } from '../../src/core/workspaceTraining/powerSource';
import { readOnBattery } from '../../src/host/workspaceTraining/powerSource';
import { JsOps } from '../../src/core/kernels/jsOps';
import { scoreHeldOut } from '../../src/core/workspaceTraining/heldOutScore';
import { PauseGate } from '../../src/core/workspaceTraining/pauseGate';

const TEXT = 'def add(a, b):\n    return a + b\n\n'.repeat(40);

const READY: IdleRetrainFacts = {
  auto: 'idle',
  trusted: true,
  hasTrainedModel: true,
  savedChars: DEFAULT_IDLE_RETRAIN_CHARS,
  thresholdChars: DEFAULT_IDLE_RETRAIN_CHARS,
  msSinceActivity: IDLE_AFTER_MS,
  running: false,
  onBattery: false,
};

describe('idle retraining: when', () => {
  it('starts once enough saved edits piled up and the user is idle', () => {
    assert.strictEqual(decideIdleRetrain(READY).start, true);
    assert.strictEqual(decideIdleRetrain({ ...READY, onBattery: undefined }).start, true, 'unknown power source: allowed');
  });

  it('waits for enough edits, for idleness, for mains power, and for a model of its own', () => {
    const cases: Partial<IdleRetrainFacts>[] = [
      { auto: 'ask' },
      { auto: 'off' },
      { trusted: false },
      { hasTrainedModel: false },
      { running: true },
      { savedChars: DEFAULT_IDLE_RETRAIN_CHARS - 1 },
      { msSinceActivity: IDLE_AFTER_MS - 1 },
      { onBattery: true },
    ];
    for (const c of cases) assert.strictEqual(decideIdleRetrain({ ...READY, ...c }).start, false, JSON.stringify(c));
  });

  it('counts edits when their document is saved, not those closed unsaved', () => {
    const counter = new SavedEditCounter();
    counter.change('a', 100);
    counter.change('a', 50);
    counter.change('b', 70);
    assert.strictEqual(counter.saved, 0);
    counter.save('a');
    assert.strictEqual(counter.saved, 150);
    counter.close('b');
    counter.save('b');
    assert.strictEqual(counter.saved, 150);
    counter.change('b', 5);
    counter.reset();
    counter.save('b');
    assert.strictEqual(counter.saved, 5, 'an unsaved edit outlives a reset');
    assert.strictEqual(new SavedEditCounter(Number.NaN).saved, 0);
  });

  it('tells battery from mains on Linux, and says nothing where it cannot', () => {
    const fake = (files: Record<string, string>) => ({
      list: (dir: string) => [...new Set(Object.keys(files).filter((f) => f.startsWith(dir + '/')).map((f) => f.slice(dir.length + 1).split('/')[0]))],
      file: (p: string) => {
        if (!(p in files)) throw new Error('ENOENT');
        return files[p] + '\n';
      },
    });
    const R = '/sys/class/power_supply';
    assert.strictEqual(onBatteryFromPowerSupply(fake({ [`${R}/AC/type`]: 'Mains', [`${R}/AC/online`]: '1', [`${R}/BAT0/type`]: 'Battery', [`${R}/BAT0/status`]: 'Charging' })), false);
    assert.strictEqual(onBatteryFromPowerSupply(fake({ [`${R}/AC/type`]: 'Mains', [`${R}/AC/online`]: '0', [`${R}/BAT0/type`]: 'Battery', [`${R}/BAT0/status`]: 'Discharging' })), true);
    assert.strictEqual(onBatteryFromPowerSupply(fake({})), undefined, 'a desktop without supplies listed');
    assert.strictEqual(onBatteryFromPowerSupply({ list: () => { throw new Error('no such folder'); }, file: () => '' }), undefined);
  });

  it("tells battery from mains from macOS's pmset -g batt", () => {
    const battery = "Now drawing from 'Battery Power'\n -InternalBattery-0 (id=4653155)\t87%; discharging; 5:12 remaining present: true\n";
    const mains = "Now drawing from 'AC Power'\n -InternalBattery-0 (id=4653155)\t100%; charged; 0:00 remaining present: true\n";
    assert.strictEqual(onBatteryFromPmset(battery), true);
    assert.strictEqual(onBatteryFromPmset(mains), false);
    assert.strictEqual(onBatteryFromPmset("Now drawing from 'UPS Power'\n"), false);
    assert.strictEqual(onBatteryFromPmset(''), undefined, 'nothing printed');
    assert.strictEqual(onBatteryFromPmset('pmset: command failed'), undefined);
  });

  it("tells battery from mains from Windows' Win32_Battery status", () => {
    assert.strictEqual(onBatteryFromWin32Battery('1\r\n'), true, 'discharging');
    assert.strictEqual(onBatteryFromWin32Battery('4\r\n'), true, 'low, only reached discharging');
    assert.strictEqual(onBatteryFromWin32Battery('2\r\n'), false, 'on AC');
    assert.strictEqual(onBatteryFromWin32Battery('6\r\n'), false, 'charging');
    assert.strictEqual(onBatteryFromWin32Battery('2\r\n1\r\n'), true, 'one of two batteries discharging');
    assert.strictEqual(onBatteryFromWin32Battery(''), false, 'no battery: a desktop on mains');
    assert.strictEqual(onBatteryFromWin32Battery('Get-CimInstance : Access denied'), undefined);
  });

  it('says nothing where the platform cannot tell: a missing command, an unknown platform', async function () {
    if (process.platform === 'darwin' || process.platform === 'win32') this.skip();
    // Here (not macOS) pmset does not exist: the command fails and the answer is unknown, not an error.
    assert.strictEqual(await readOnBattery('darwin'), undefined);
    assert.strictEqual(await readOnBattery('aix'), undefined);
  });
});

describe('idle retraining: pausing', () => {
  it('a gate shared as a SharedArrayBuffer pauses and resumes', async () => {
    const gate = new PauseGate();
    const twin = new PauseGate(gate.buffer);
    assert.strictEqual(await twin.waitWhilePaused(), 0);
    gate.pause();
    assert.strictEqual(twin.paused, true);
    const waiting = twin.waitWhilePaused(undefined, 1);
    let done = false;
    void waiting.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.strictEqual(done, false, 'still paused');
    gate.resume();
    assert.ok((await waiting) >= 0);
    const aborted = new AbortController();
    gate.pause();
    aborted.abort();
    assert.ok((await twin.waitWhilePaused(aborted.signal)) >= 0, 'an abort ends the wait');
  });

  it('the trainer takes no step while paused, and goes on after', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 8, hidden: [16] });
    const gate = new PauseGate();
    let steps = 0;
    let stepsWhilePaused = 0;
    let pausedAt = -1;
    const outcome = await trainModel(layout, initParams(layout, 5), [{ name: 'a.py', text: TEXT }], {
      seq: 16,
      batch: 4,
      epochs: 2,
      valFraction: 0,
      threads: 1,
      evalEverySeconds: Infinity,
      betweenSteps: () => gate.waitWhilePaused(undefined, 1),
      onProgress: (p) => {
        if (p.phase !== 'train') return;
        steps++;
        if (gate.paused) stepsWhilePaused++;
        if (steps === 3) {
          // A keystroke: pause now, resume a little later, as the host does.
          gate.pause();
          pausedAt = steps;
          setTimeout(() => gate.resume(), 30);
        }
      },
    });
    assert.strictEqual(pausedAt, 3);
    // No step ran between the pause and the resume.
    assert.strictEqual(stepsWhilePaused, 0);
    assert.ok(steps > 3, `training went on after the pause (${steps} steps)`);
    assert.strictEqual(outcome.steps, steps);
  });

  it('a validation holds at a pause too, window by window, and its result comes only after the resume', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 8, hidden: [16] });
    const gate = new PauseGate();
    const events: string[] = [];
    await trainModel(layout, initParams(layout, 5), [{ name: 'a.py', text: TEXT }, { name: 'b.py', text: TEXT.toUpperCase() }], {
      seq: 16,
      batch: 4,
      epochs: 1,
      valFraction: 0.5,
      threads: 1,
      evalEverySeconds: Infinity,
      betweenSteps: () => gate.waitWhilePaused(undefined, 1),
      onProgress: (p) => {
        // A keystroke as the validation starts: no window may run until the resume.
        if (p.phase !== 'validate' || events.length > 0) return;
        gate.pause();
        events.push('paused');
        setTimeout(() => {
          events.push('resumed');
          gate.resume();
        }, 30);
      },
      onValidate: () => events.push('validated'),
    });
    assert.deepStrictEqual(events.slice(0, 3), ['paused', 'resumed', 'validated']);
  });

  it('scoring held-out text waits at a pause and gives the same figure as without one', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 8, hidden: [16] });
    const params = initParams(layout, 6);
    const bytes = new TextEncoder().encode(TEXT);
    const shape = { B: 4, T: 16, maxChars: 2000 };
    const plain = await scoreHeldOut(new JsOps(), layout, params, bytes, shape);
    const gate = new PauseGate();
    gate.pause();
    let done = false;
    const paused = scoreHeldOut(new JsOps(), layout, params, bytes, shape, () => gate.waitWhilePaused(undefined, 1)).then((r) => {
      done = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.strictEqual(done, false, 'no window scored while paused');
    gate.resume();
    assert.ok(plain);
    assert.deepStrictEqual(await paused, plain);
  });
});
