/**
 * Whether the machine runs on battery, read the way each platform tells it,
 * so that idle retraining can wait for mains power (the issue: "do not train
 * on battery where that can be detected"). Each reader returns true on
 * battery, false on mains, undefined when the answer cannot be told; the
 * host runs the commands, these functions only read what they print.
 */

/**
 * Linux: the power-supply folder (a Mains supply online: no; a battery
 * discharging, or a Mains supply offline: yes); undefined when there is
 * nothing to read (a desktop or a container often lists no supply).
 */
export function onBatteryFromPowerSupply(read: { list(dir: string): string[]; file(path: string): string }, root = '/sys/class/power_supply'): boolean | undefined {
  let supplies: string[];
  try {
    supplies = read.list(root);
  } catch {
    return undefined;
  }
  let sawMains = false;
  let discharging = false;
  for (const name of supplies) {
    try {
      const type = read.file(`${root}/${name}/type`).trim();
      if (type === 'Mains') {
        sawMains = true;
        if (read.file(`${root}/${name}/online`).trim() === '1') return false;
      } else if (type === 'Battery' && read.file(`${root}/${name}/status`).trim() === 'Discharging') discharging = true;
    } catch {
      // A supply that cannot be read says nothing.
    }
  }
  if (discharging) return true;
  return sawMains ? true : undefined;
}

/**
 * macOS: what `pmset -g batt` prints first, "Now drawing from 'Battery
 * Power'" (yes) or 'AC Power' / 'UPS Power' (no).
 */
export function onBatteryFromPmset(output: string): boolean | undefined {
  const source = /drawing from '([^']+)'/.exec(output)?.[1];
  if (source === undefined) return undefined;
  if (/battery/i.test(source)) return true;
  if (/\b(AC|UPS)\b/.test(source)) return false;
  return undefined;
}

/**
 * Windows: the BatteryStatus of each Win32_Battery, one number a line, as
 * `(Get-CimInstance Win32_Battery).BatteryStatus` prints them. 1 is
 * discharging, 4 and 5 (low, critical) are only reached discharging; 2 (on
 * AC), 3 (full) and 6 to 11 (charging and the rest) are not on battery. No
 * battery at all (nothing printed) is a machine on mains.
 */
export function onBatteryFromWin32Battery(output: string): boolean | undefined {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return false;
  const statuses = lines.map(Number);
  if (statuses.some((n) => !Number.isInteger(n))) return undefined;
  if (statuses.some((n) => n === 1 || n === 4 || n === 5)) return true;
  return false;
}
