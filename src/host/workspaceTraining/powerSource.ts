import { execFile } from 'child_process';
import * as fs from 'fs';
import { onBatteryFromPmset, onBatteryFromPowerSupply, onBatteryFromWin32Battery } from '../../core/workspaceTraining/powerSource';

/** A command that hangs must not hold idle retraining back for long. */
const COMMAND_TIMEOUT_MS = 10_000;

function run(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: COMMAND_TIMEOUT_MS, windowsHide: true }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

/**
 * Whether this machine runs on battery: Linux's power-supply folder, macOS's
 * `pmset -g batt`, Windows' Win32_Battery through PowerShell; undefined
 * elsewhere or when the platform does not say (a missing command, a timeout).
 */
export async function readOnBattery(platform: NodeJS.Platform = process.platform): Promise<boolean | undefined> {
  switch (platform) {
    case 'linux':
      return onBatteryFromPowerSupply({ list: (d) => fs.readdirSync(d), file: (p) => fs.readFileSync(p, 'utf8') });
    case 'darwin': {
      const out = await run('pmset', ['-g', 'batt']);
      return out === undefined ? undefined : onBatteryFromPmset(out);
    }
    case 'win32': {
      const out = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', '(Get-CimInstance -ClassName Win32_Battery).BatteryStatus']);
      return out === undefined ? undefined : onBatteryFromWin32Battery(out);
    }
    default:
      return undefined;
  }
}
